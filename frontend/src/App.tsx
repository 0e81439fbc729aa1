import { Button, Group, Stack } from '@mantine/core';
import { useState } from 'react';
import { getStartupProblem } from './api/recovery';
import { ErrorPanel } from './components/ErrorPanel';
import { FullPageLoader } from './components/FullPageLoader';
import { useLoad } from './hooks/useLoad';
import { MainRoutes } from './MainRoutes';
import { RecoveryLayout } from './views/recovery/RecoveryLayout';
import { RecoveryRoutes } from './views/recovery/RecoveryRoutes';

/** Asks the backend whether the database opened: the app if it did, the recovery screen if not. */
export function App() {
  const startup = useLoad(getStartupProblem);
  const [skipCheck, setSkipCheck] = useState(false);

  if (!skipCheck) {
    if (startup.loading) {
      return <FullPageLoader label="Starting Herald…" />;
    }
    if (startup.error) {
      return (
        <RecoveryLayout>
          <Stack gap="md">
            <ErrorPanel title="Herald could not check its database" error={startup.error} onRetry={startup.reload} />
            <Group justify="flex-end">
              <Button
                variant="subtle"
                onClick={() => {
                  setSkipCheck(true);
                }}
              >
                Continue anyway
              </Button>
            </Group>
          </Stack>
        </RecoveryLayout>
      );
    }
    if (startup.data && startup.data.kind !== 'none') {
      return <RecoveryRoutes problem={startup.data} />;
    }
  }
  return <MainRoutes />;
}
