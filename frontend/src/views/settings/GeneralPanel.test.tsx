import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Preferences } from '../../api/types';
import { mockedBinding } from '../../test/bindings';
import { preferencesFixture } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import * as Settings from '../../wailsjs/go/service/Settings';
import { getClockSetting, setClockSetting } from '../../time/format';
import { GeneralPanel, reminderDaysProblem } from './GeneralPanel';

vi.mock('../../wailsjs/go/service/Settings', () => ({ Preferences: vi.fn(), SetReminderDays: vi.fn(), SetClock: vi.fn() }));

const preferences = mockedBinding<Preferences>(Settings.Preferences);
const setReminderDays = mockedBinding<Preferences>(Settings.SetReminderDays);
const setClock = mockedBinding<Preferences>(Settings.SetClock);

beforeEach(() => {
  preferences.mockResolvedValue(preferencesFixture());
});

describe('reminderDaysProblem', () => {
  it.each([
    [0, undefined],
    [7, undefined],
    [90, undefined],
    [365, undefined],
    [6, 'Choose between 7 and 365 days, or 0 to turn the reminder off.'],
    [366, 'Choose between 7 and 365 days, or 0 to turn the reminder off.'],
    [1, 'Choose between 7 and 365 days, or 0 to turn the reminder off.'],
    ['', 'Choose between 7 and 365 days, or 0 to turn the reminder off.'],
    [7.5, 'Use a whole number of days.'],
  ])('%j → %s', (value, problem) => {
    expect(reminderDaysProblem(value)).toBe(problem);
  });
});

describe('Settings → General', () => {
  it('shows the reminder with the advice and saves a new value', async () => {
    setReminderDays.mockResolvedValue(preferencesFixture({ reminderDays: 120 }));
    const { user } = renderWithProviders(<GeneralPanel />);
    const input = await screen.findByRole('textbox', { name: /Remind me to refresh a channel's connection every N days \(0 turns it off\)/ });
    expect(input).toHaveValue('90 days');
    expect(screen.getByText(/every 3–4 months/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();

    await user.clear(input);
    await user.type(input, '120');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(setReminderDays).toHaveBeenCalledWith(120);
    expect(await screen.findByText('Reminder saved')).toBeInTheDocument();
    expect(screen.getByTestId('reminder-current')).toHaveTextContent('Now: every 120 days.');
  });

  it('refuses a value out of range without calling the backend', async () => {
    const { user } = renderWithProviders(<GeneralPanel />);
    const input = await screen.findByRole('textbox', { name: /Remind me/ });
    await user.clear(input);
    await user.type(input, '3');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Choose between 7 and 365 days, or 0 to turn the reminder off.')).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(setReminderDays).not.toHaveBeenCalled();
  });

  it('turns the reminder off with 0', async () => {
    setReminderDays.mockResolvedValue(preferencesFixture({ reminderDays: 0 }));
    const { user } = renderWithProviders(<GeneralPanel />);
    const input = await screen.findByRole('textbox', { name: /Remind me/ });
    await user.clear(input);
    await user.type(input, '0');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(setReminderDays).toHaveBeenCalledWith(0);
    expect(await screen.findByText('Herald will not remind you to refresh connections.')).toBeInTheDocument();
    expect(screen.getByTestId('reminder-current')).toHaveTextContent('Reminders are off.');
  });

  it('puts a backend field error on the field', async () => {
    setReminderDays.mockRejectedValue({ code: 'invalid_input', field: 'reminderDays', message: 'Choose between 7 and 365 days, or 0 to turn the reminder off.' });
    const { user } = renderWithProviders(<GeneralPanel />);
    const input = await screen.findByRole('textbox', { name: /Remind me/ });
    await user.clear(input);
    await user.type(input, '30');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => {
      expect(input).toHaveAttribute('aria-invalid', 'true');
    });
  });

  it('shows a failed load with Retry', async () => {
    preferences.mockRejectedValueOnce({ code: 'unavailable', message: "Herald's database is not open.", hint: 'Open Diagnostics.' });
    const { user } = renderWithProviders(<GeneralPanel />);
    const panel = await screen.findByTestId('error-panel');
    expect(panel).toHaveTextContent("Herald's database is not open.");
    await user.click(within(panel).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('textbox', { name: /Remind me/ })).toHaveValue('90 days');
  });
});

describe('Settings → General → Clock', () => {
  it('saves the clock and writes times with it at once', async () => {
    setClock.mockResolvedValue(preferencesFixture({ clock: '12' }));
    const { user } = renderWithProviders(<GeneralPanel />);
    const control = await screen.findByTestId('clock-setting');
    await waitFor(() => {
      expect(within(control).getByRole('radio', { name: 'System' })).toBeChecked();
    });
    await user.click(within(control).getByText('12-hour'));
    await waitFor(() => {
      expect(setClock).toHaveBeenCalledWith('12');
    });
    await waitFor(() => {
      expect(screen.getByTestId('clock-sample')).toHaveTextContent('Half past two in the afternoon reads 2:30 PM.');
    });
    expect(getClockSetting()).toBe('12');
    setClockSetting('system');
  });
});
