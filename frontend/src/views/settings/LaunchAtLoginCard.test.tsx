import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Preferences } from '../../api/types';
import { mockedBinding } from '../../test/bindings';
import { renderWithProviders } from '../../test/render';
import * as Settings from '../../wailsjs/go/service/Settings';
import { LaunchAtLoginCard } from './LaunchAtLoginCard';

vi.mock('../../wailsjs/go/service/Settings', () => ({ SetLaunchAtLogin: vi.fn() }));

const setLaunch = mockedBinding<Preferences>(Settings.SetLaunchAtLogin);

describe('Start at login', () => {
  it('turns starting in the tray at login on', async () => {
    setLaunch.mockResolvedValue({ reminderDays: 90, launchAtLogin: true });
    const onSaved = vi.fn();
    const { user } = renderWithProviders(<LaunchAtLoginCard prefs={{ reminderDays: 90, launchAtLogin: false, clock: 'system' }} onSaved={onSaved} />);
    const toggle = screen.getByRole('switch', { name: /Start Herald when I log in/ });
    expect(toggle).not.toBeChecked();
    await user.click(toggle);
    expect(setLaunch).toHaveBeenCalledWith(true);
    await waitFor(() => {
      expect(onSaved).toHaveBeenCalledWith({ reminderDays: 90, launchAtLogin: true });
    });
    expect(await screen.findByText('Herald starts at login')).toBeInTheDocument();
  });

  it('says why it could not change the setting', async () => {
    setLaunch.mockRejectedValue({ code: 'unavailable', message: 'Herald could not write the autostart entry.', hint: 'Check ~/.config/autostart.' });
    const onSaved = vi.fn();
    const { user } = renderWithProviders(<LaunchAtLoginCard prefs={{ reminderDays: 90, launchAtLogin: false, clock: 'system' }} onSaved={onSaved} />);
    await user.click(screen.getByRole('switch'));
    expect(await screen.findByText('The setting was not changed')).toBeInTheDocument();
    expect(screen.getByText(/Check ~\/.config\/autostart./)).toBeInTheDocument();
    expect(onSaved).not.toHaveBeenCalled();
  });
});
