import { Skeleton, Switch } from '@mantine/core';
import { IconPower } from '@tabler/icons-react';
import { useState } from 'react';
import { setLaunchAtLogin } from '../../api/settings';
import type { Preferences } from '../../api/types';
import { InfoCard } from '../../components/InfoCard';
import { notifyError, notifySuccess } from '../../lib/notify';

interface LaunchAtLoginCardProps {
  /** The saved preferences; undefined while they load. */
  prefs: Preferences | undefined;
  onSaved: (prefs: Preferences) => void;
}

/** Settings → General: start Herald in the tray at login, so scheduled posts go out without the window. */
export function LaunchAtLoginCard({ prefs, onSaved }: LaunchAtLoginCardProps) {
  const [saving, setSaving] = useState(false);
  const change = async (on: boolean) => {
    setSaving(true);
    try {
      const next = await setLaunchAtLogin(on);
      onSaved(next);
      notifySuccess(
        on ? 'Herald starts at login' : 'Herald no longer starts at login',
        on ? 'It opens in the tray when you log in, and publishes from there.' : 'Open Herald yourself for scheduled posts to go out.',
      );
    } catch (err) {
      notifyError('The setting was not changed', err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <InfoCard title="Start at login" icon={IconPower}>
      {prefs ? (
        <Switch
          label="Start Herald when I log in (in the tray)"
          description="Herald publishes only while it runs. Started at login it waits in the system tray, without a window, and posts go out on time."
          checked={prefs.launchAtLogin}
          disabled={saving}
          onChange={(event) => {
            void change(event.currentTarget.checked);
          }}
          data-testid="launch-at-login"
        />
      ) : (
        <Skeleton h={36} w={420} aria-hidden />
      )}
    </InfoCard>
  );
}
