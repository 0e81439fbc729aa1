import { screen, waitFor, within } from '@testing-library/react';
import dayjs from 'dayjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ResponseTimesReport } from '../../api/inbox';
import { mockedBinding } from '../../test/bindings';
import { renderWithProviders } from '../../test/render';
import * as Inbox from '../../wailsjs/go/service/Inbox';
import { lastDays, ResponseTimesView } from './ResponseTimesView';

vi.mock('../../wailsjs/go/service/Inbox', () => ({ ResponseTimes: vi.fn() }));

const report = mockedBinding<ResponseTimesReport>(Inbox.ResponseTimes);

const filled: ResponseTimesReport = {
  from: '2026-11-08T00:00:00Z',
  to: '2026-12-08T00:00:00Z',
  all: { id: 0, name: 'All channels', replied: 8, unanswered: 2, medianSeconds: 1800, p90Seconds: 3 * 3600 + 5 * 60 },
  channels: [
    { id: 12, name: 'Shop', replied: 8, unanswered: 1, medianSeconds: 1800, p90Seconds: 3 * 3600 + 5 * 60 },
    { id: 13, name: 'Brand', replied: 0, unanswered: 1, medianSeconds: 0, p90Seconds: 0 },
  ],
  teams: [{ id: 3, name: 'Support', replied: 8, unanswered: 1, medianSeconds: 1800, p90Seconds: 2 * 86400 }],
};

beforeEach(() => {
  report.mockResolvedValue(filled);
});

afterEach(() => {
  vi.clearAllMocks();
});

describe('Response times', () => {
  it('asks for the last 30 days, from local midnight to the next one after today', async () => {
    renderWithProviders(<ResponseTimesView />);
    await screen.findByTestId('response-times-channels');
    const [from, to] = report.mock.calls[0] as unknown as [string, string];
    const today = dayjs().startOf('day');
    expect(dayjs(from).valueOf()).toBe(today.subtract(29, 'day').valueOf());
    expect(dayjs(to).valueOf()).toBe(today.add(1, 'day').valueOf());
    expect(lastDays(7, dayjs('2026-03-10'))).toEqual({ from: '2026-03-04', to: '2026-03-10' });
  });

  it('shows the median and 90th percentile per channel and team with the app’s durations', async () => {
    renderWithProviders(<ResponseTimesView />);
    const channels = await screen.findByTestId('response-times-channels');
    const [shop, brand] = within(channels).getAllByTestId('response-times-channels-row');
    expect(within(shop!).getByRole('rowheader')).toHaveTextContent('Shop');
    expect(shop).toHaveTextContent('30 min');
    expect(shop).toHaveTextContent('3 h 5 min');
    // Spelled out for a screen reader.
    expect(within(shop!).getByText('3 hours 5 minutes')).toBeInTheDocument();
    expect(brand).toHaveTextContent('—no reply');
    const teams = screen.getByTestId('response-times-teams');
    expect(teams).toHaveTextContent('2 d');
    expect(screen.getByTestId('response-times-summary')).toHaveTextContent(
      'Half of the answered items had their first reply within 30 minutes, nine in ten within 3 hours 5 minutes. 8 answered, 2 without a reply.',
    );
  });

  it('says when nothing came in, and reloads for other days', async () => {
    report.mockResolvedValue({ ...filled, all: { ...filled.all, replied: 0, unanswered: 0 }, channels: [], teams: [] });
    const { user } = renderWithProviders(<ResponseTimesView />);
    expect(await screen.findByTestId('response-times-empty')).toHaveTextContent('Nothing came in on these days');
    await user.click(screen.getByRole('button', { name: 'Last 7 days' }));
    await waitFor(() => {
      expect(report).toHaveBeenCalledTimes(2);
    });
  });

  it('shows the backend’s refusal with its hint', async () => {
    report.mockRejectedValue({ code: 'invalid_input', field: 'to', message: 'The last day is before the first.', hint: 'Pick a last day on or after the first.' });
    renderWithProviders(<ResponseTimesView />);
    expect(await screen.findByText('The last day is before the first.')).toBeInTheDocument();
  });
});
