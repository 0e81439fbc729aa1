import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProfileView, SearchChannel } from '../api/search';
import { mockedBinding } from '../test/bindings';
import { renderWithProviders } from '../test/render';
import * as Search from '../wailsjs/go/service/Search';
import { MENTION_DELAY_MS } from '../hooks/useMentionSearch';
import { MentionTextarea } from './MentionAutocomplete';

vi.mock('../wailsjs/go/service/Search', () => ({ SearchAccounts: vi.fn(), SearchableChannels: vi.fn() }));

const searchAccounts = mockedBinding<ProfileView[]>(Search.SearchAccounts);

const mastodon: SearchChannel = {
  channelId: 4,
  channelName: 'Shop',
  handle: '@shop@m.example',
  avatarUrl: '',
  network: 'mastodon',
  networkName: 'Mastodon',
  available: true,
  reason: '',
};

function profile(handle: string, displayName: string): ProfileView {
  return {
    remoteId: handle,
    handle,
    mention: handle,
    displayName,
    bio: '',
    avatarUrl: '',
    profileUrl: `https://example.social/${handle}`,
    channelId: 4,
    channelName: 'Shop',
    network: 'mastodon',
    networkName: 'Mastodon',
  };
}

const alice = profile('@alice@example.social', 'Alice');
const alan = profile('@alan@m.example', 'Alan');

function Field({ channel = mastodon, onKeyDown }: { channel?: SearchChannel | null; onKeyDown?: () => void }) {
  const [text, setText] = useState('');
  return (
    <MentionTextarea label="Text" value={text} onChange={setText} channel={channel ?? undefined} onKeyDown={onKeyDown} />
  );
}

function textarea(): HTMLTextAreaElement {
  return screen.getByRole<HTMLTextAreaElement>('combobox', { name: 'Text' });
}

describe('MentionTextarea', () => {
  beforeEach(() => {
    searchAccounts.mockReset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lists the accounts for @ and two characters, and Enter inserts the chosen one', async () => {
    searchAccounts.mockResolvedValue([alan, alice]);
    const { user } = renderWithProviders(<Field />);
    const box = textarea();
    expect(box).toHaveAttribute('aria-expanded', 'false');

    await user.type(box, 'Thanks @a');
    expect(screen.queryByTestId('mention-popup')).not.toBeInTheDocument();
    await user.type(box, 'l');
    const list = await screen.findByRole('listbox', { name: 'Accounts on Mastodon to mention' });
    expect(searchAccounts).toHaveBeenCalledWith(4, 'al', true);
    expect(box).toHaveAttribute('aria-expanded', 'true');
    expect(box).toHaveAttribute('aria-controls', list.id);
    const options = within(list).getAllByRole('option');
    expect(options).toHaveLength(2);
    expect(box).toHaveAttribute('aria-activedescendant', options[0]!.id);
    expect(options[0]).toHaveAttribute('aria-selected', 'true');

    await user.keyboard('{ArrowDown}');
    expect(box).toHaveAttribute('aria-activedescendant', options[1]!.id);
    expect(options[1]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Enter}');

    expect(box).toHaveValue('Thanks @alice@example.social ');
    expect(box.selectionStart).toBe('Thanks @alice@example.social '.length);
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    // Typing goes on after the mention.
    await user.keyboard('hi');
    expect(box).toHaveValue('Thanks @alice@example.social hi');
  });

  it('inserts with Tab and with a click, and ↑ wraps to the last', async () => {
    searchAccounts.mockResolvedValue([alan, alice]);
    const { user } = renderWithProviders(<Field />);
    const box = screen.getByRole('combobox', { name: 'Text' });
    await user.type(box, '@al');
    await screen.findByRole('listbox');
    await user.keyboard('{ArrowUp}{Tab}');
    expect(box).toHaveValue('@alice@example.social ');
    expect(box).toHaveFocus();

    await user.type(box, 'and @al');
    const option = await screen.findByRole('option', { name: /Alan/ });
    await user.click(option);
    expect(box).toHaveValue('@alice@example.social and @alan@m.example ');
    expect(box).toHaveFocus();
  });

  it('closes with Esc without inserting, and Enter then makes a new line', async () => {
    searchAccounts.mockResolvedValue([alan]);
    const keys = vi.fn();
    const { user } = renderWithProviders(<Field onKeyDown={keys} />);
    const box = screen.getByRole('combobox', { name: 'Text' });
    await user.type(box, '@al');
    await screen.findByRole('listbox');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('mention-popup')).not.toBeInTheDocument();
    expect(box).toHaveAttribute('aria-expanded', 'false');
    await user.keyboard('{Enter}');
    expect(box).toHaveValue('@al\n');
    expect(keys).toHaveBeenCalled();
  });

  it('shows only the latest query’s answer, asking once the typing pauses', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const answers: Record<string, (value: ProfileView[]) => void> = {};
    searchAccounts.mockImplementation(
      (_id: unknown, query: unknown) =>
        new Promise<ProfileView[]>((resolve) => {
          answers[String(query)] = resolve;
        }),
    );
    renderWithProviders(<Field />);
    const box = textarea();
    box.focus();
    const type = (value: string) => {
      fireEvent.change(box, { target: { value, selectionStart: value.length, selectionEnd: value.length } });
    };
    type('@al');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(MENTION_DELAY_MS);
    });
    type('@ali');
    type('@alic');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(MENTION_DELAY_MS - 50);
    });
    // "@ali" was replaced before the pause ended: never asked.
    expect(searchAccounts.mock.calls.map((c) => c[1])).toEqual(['al']);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(50);
    });
    expect(searchAccounts.mock.calls.map((c) => c[1])).toEqual(['al', 'alic']);

    // The older answer comes last: it is not shown.
    await act(async () => {
      answers.alic!([alice]);
      answers.al!([alan]);
      await Promise.resolve();
    });
    const options = await screen.findAllByRole('option');
    expect(options).toHaveLength(1);
    expect(options[0]).toHaveTextContent('Alice');
  });

  it('says quietly when the search fails, and typing goes on', async () => {
    searchAccounts.mockRejectedValue({ code: 'unavailable', message: 'Mastodon asks Herald to wait before searching again.' });
    const { user } = renderWithProviders(<Field />);
    const box = screen.getByRole('combobox', { name: 'Text' });
    await user.type(box, '@al');
    await waitFor(() => {
      expect(screen.getByTestId('mention-status')).toHaveTextContent(
        'Search unavailable: Mastodon asks Herald to wait before searching again.',
      );
    });
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    await user.type(box, 'ex');
    expect(box).toHaveValue('@alex');
  });

  it('asks nothing through a disconnected channel and says why', async () => {
    const { user } = renderWithProviders(<Field channel={{ ...mastodon, available: false, reason: 'This channel is disconnected.' }} />);
    await user.type(screen.getByRole('combobox', { name: 'Text' }), '@al');
    expect(await screen.findByTestId('mention-status')).toHaveTextContent('Search unavailable: This channel is disconnected.');
    await new Promise((r) => setTimeout(r, MENTION_DELAY_MS + 50));
    expect(searchAccounts).not.toHaveBeenCalled();
  });

  it('is a plain text field without a channel that can search', async () => {
    const { user } = renderWithProviders(<Field channel={null} />);
    const box = screen.getByRole('textbox', { name: 'Text' });
    await user.type(box, '@alice');
    await waitFor(() => {
      expect(box).toHaveValue('@alice');
    });
    expect(screen.queryByTestId('mention-popup')).not.toBeInTheDocument();
    expect(searchAccounts).not.toHaveBeenCalled();
  });
});
