import { SegmentedControl, Stack, Text } from '@mantine/core';
import { IconClock } from '@tabler/icons-react';
import { useState } from 'react';
import { setClock } from '../../api/settings';
import type { Preferences } from '../../api/types';
import { InfoCard } from '../../components/InfoCard';
import { notifyError } from '../../lib/notify';
import { type ClockSetting, formatClock, isClockSetting, setClockSetting, systemUses12Hour } from '../../time/format';

const LABELS: Record<ClockSetting, string> = { system: 'System', '12': '12-hour', '24': '24-hour' };

/** Settings → General → Clock: the system's 12/24-hour preference, or always one. */
export function ClockCard({ prefs, onSaved }: { prefs: Preferences | undefined; onSaved: (prefs: Preferences) => void }) {
  const [saving, setSaving] = useState(false);
  const current: ClockSetting = isClockSetting(prefs?.clock) ? prefs.clock : 'system';
  const system = systemUses12Hour() ? '12-hour' : '24-hour';

  const choose = async (next: string) => {
    if (!isClockSetting(next) || next === current) {
      return;
    }
    setSaving(true);
    try {
      const saved = await setClock(next);
      setClockSetting(isClockSetting(saved.clock) ? saved.clock : 'system');
      onSaved(saved);
    } catch (err) {
      notifyError('The clock was not changed', err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <InfoCard title="Clock" icon={IconClock}>
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          How Herald writes times everywhere. System follows this computer ({system} now).
        </Text>
        <SegmentedControl
          value={current}
          onChange={(value) => {
            void choose(value);
          }}
          disabled={!prefs || saving}
          data={(Object.keys(LABELS) as ClockSetting[]).map((value) => ({ value, label: LABELS[value] }))}
          w={320}
          aria-label="Clock"
          data-testid="clock-setting"
        />
        <Text size="sm" c="dimmed" data-testid="clock-sample">
          Half past two in the afternoon reads {formatClock(14, 30, current === 'system' ? systemUses12Hour() : current === '12')}.
        </Text>
      </Stack>
    </InfoCard>
  );
}
