import { Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { Diagnostics } from '../../../api/types';
import { InfoCard, InfoList, InfoRow } from '../../../components/InfoCard';
import { TimeValue } from '../../../components/TimeValue';

const OS_NAMES: Record<string, string> = { linux: 'Linux', darwin: 'macOS', windows: 'Windows' };

export function platformLabel(os: string, arch: string): string {
  return `${OS_NAMES[os] ?? os} (${arch})`;
}

export function HeraldCard({ diagnostics: d }: { diagnostics: Diagnostics }) {
  return (
    <InfoCard title="Herald" icon={IconInfoCircle}>
      <InfoList>
        <InfoRow label="Version">
          <Text size="sm" fw={600} data-testid="diag-version">
            {d.version}
          </Text>
          {d.commit && (
            <Text size="xs" c="dimmed" data-testid="diag-commit">
              Build{' '}
              <Text span ff="monospace" inherit>
                {d.commit}
              </Text>
            </Text>
          )}
        </InfoRow>
        <InfoRow label="System">
          <Text size="sm" data-testid="diag-platform">
            {platformLabel(d.os, d.arch)}
          </Text>
        </InfoRow>
        <InfoRow label="Go version">
          <Text size="sm">{d.goVersion}</Text>
        </InfoRow>
        <InfoRow label="Started">
          <TimeValue iso={d.startedAt} />
        </InfoRow>
      </InfoList>
    </InfoCard>
  );
}
