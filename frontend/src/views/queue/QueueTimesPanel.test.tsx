import { act, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueueTimes } from '../../api/publishing';
import type { ChannelView } from '../../api/types';
import { ChannelListProvider } from '../../hooks/useChannelList';
import { mockedBinding } from '../../test/bindings';
import { channelFixture } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import * as Channels from '../../wailsjs/go/service/Channels';
import * as Publishing from '../../wailsjs/go/service/Publishing';
import { QueueTimesPanel } from './QueueTimesPanel';
import { QUEUE_SUGGESTION_STATE } from './queueSuggestion';

vi.mock('../../wailsjs/go/service/Channels', () => ({ List: vi.fn() }));
vi.mock('../../wailsjs/go/service/Publishing', () => ({ QueueSlots: vi.fn(), SetQueueSlots: vi.fn() }));

const slots = mockedBinding<QueueTimes>(Publishing.QueueSlots);
const setSlots = mockedBinding<QueueTimes>(Publishing.SetQueueSlots);

beforeEach(() => {
  mockedBinding<ChannelView[]>(Channels.List).mockResolvedValue([channelFixture({ id: 12, displayName: 'Shop' })]);
  slots.mockResolvedValue({ channelId: 12, timeZone: 'Europe/Berlin', slots: [{ weekday: 1, time: '09:30' }] });
});

const renderPanel = () =>
  renderWithProviders(
    <ChannelListProvider>
      <QueueTimesPanel />
    </ChannelListProvider>,
  );

describe('Settings → Queue', () => {
  it('shows a channel’s weekly times, adds one and saves them in the chosen zone', async () => {
    setSlots.mockImplementation((times) => Promise.resolve(times as unknown as QueueTimes));
    const { user } = renderPanel();
    const card = await screen.findByTestId('queue-times-12');
    expect(await within(card).findByDisplayValue('09:30')).toBeInTheDocument();
    expect(within(card).getByDisplayValue('Monday')).toBeInTheDocument();
    expect(within(card).getByTestId('save-slots-12')).toBeDisabled();

    await user.click(within(card).getByTestId('add-slot-12'));
    expect(within(card).getByDisplayValue('Tuesday')).toBeInTheDocument();
    await user.click(within(card).getByTestId('save-slots-12'));
    await waitFor(() => {
      expect(setSlots).toHaveBeenCalledWith({
        channelId: 12,
        timeZone: 'Europe/Berlin',
        slots: [
          { weekday: 1, time: '09:30' },
          { weekday: 2, time: '09:30' },
        ],
      });
    });
    expect(await screen.findByText('Posting times saved')).toBeInTheDocument();
  });

  it('says when a channel has no times yet and removes a time', async () => {
    const { user } = renderPanel();
    const card = await screen.findByTestId('queue-times-12');
    await user.click(await within(card).findByRole('button', { name: 'Remove Monday 09:30' }));
    expect(within(card).getByText(/No posting times yet/)).toBeInTheDocument();
  });

  it('shows a backend error on the card', async () => {
    setSlots.mockRejectedValue({ code: 'invalid_input', field: 'timeZone', message: '"Mars/Base" is not a time zone Herald knows.' });
    const { user } = renderPanel();
    const card = await screen.findByTestId('queue-times-12');
    await user.click(await within(card).findByTestId('add-slot-12'));
    await user.click(within(card).getByTestId('save-slots-12'));
    expect(await within(card).findByRole('alert')).toHaveTextContent('is not a time zone Herald knows');
  });

  it('opens with times suggested by Best times added, unsaved, until Save', async () => {
    setSlots.mockImplementation((times) => Promise.resolve(times as unknown as QueueTimes));
    const { user, router } = renderPanel();
    await act(() =>
      router.navigate('/settings/queue', {
        state: {
          [QUEUE_SUGGESTION_STATE]: {
            channelId: 12,
            timeZone: 'Europe/Berlin',
            slots: [
              { weekday: 1, time: '09:30' },
              { weekday: 2, time: '14:00' },
            ],
          },
        },
      }),
    );
    const card = await screen.findByTestId('queue-times-12');
    expect(await within(card).findByTestId('suggested-slots-12')).toHaveTextContent('1 suggested time from Best times added below.');
    expect(within(card).getByDisplayValue('Tuesday')).toBeInTheDocument();
    expect(within(card).getByDisplayValue('14:00')).toBeInTheDocument();
    await user.click(within(card).getByTestId('save-slots-12'));
    await waitFor(() => {
      expect(setSlots).toHaveBeenCalledWith({
        channelId: 12,
        timeZone: 'Europe/Berlin',
        slots: [
          { weekday: 1, time: '09:30' },
          { weekday: 2, time: '14:00' },
        ],
      });
    });
    await waitFor(() => {
      expect(within(card).queryByTestId('suggested-slots-12')).not.toBeInTheDocument();
    });
  });
});
