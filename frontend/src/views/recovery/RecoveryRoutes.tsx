import { Anchor, Group } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link, Route, Routes } from 'react-router-dom';
import type { StartupProblem } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { DIAGNOSTICS_PATH } from '../../navigation';
import { DiagnosticsPanel } from '../settings/DiagnosticsPanel';
import { RecoveryLayout } from './RecoveryLayout';
import { RecoveryScreen } from './RecoveryScreen';

function RecoveryDiagnostics() {
  return (
    <RecoveryLayout width={1040}>
      <Anchor component={Link} to="/" size="sm" mb="md" display="inline-block">
        <Group gap={6} component="span">
          <IconArrowLeft size={16} aria-hidden />
          Back to recovery
        </Group>
      </Anchor>
      <PageHeader title="Diagnostics" description="Herald is in recovery mode: its database could not be opened." />
      <DiagnosticsPanel />
    </RecoveryLayout>
  );
}

/** In recovery mode only Diagnostics and the recovery screen exist. */
export function RecoveryRoutes({ problem }: { problem: StartupProblem }) {
  return (
    <Routes>
      <Route path={DIAGNOSTICS_PATH} element={<RecoveryDiagnostics />} />
      <Route path="*" element={<RecoveryScreen problem={problem} />} />
    </Routes>
  );
}
