import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Link, Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DraftInput, MediaView, PostView, ScheduleResult, Validation } from '../../api/posts';
import type { ChannelView, NetworkInfo } from '../../api/types';
import { ChannelListProvider } from '../../hooks/useChannelList';
import { mockedBinding } from '../../test/bindings';
import { blueskyNetwork, channelFixture, mastodonNetwork } from '../../test/fixtures';
import { checkFixture, countFixture, mediaFixture, postFixture, targetFixture, validationFixture } from '../../test/postFixtures';
import { renderWithProviders } from '../../test/render';
import * as Channels from '../../wailsjs/go/service/Channels';
import * as Posts from '../../wailsjs/go/service/Posts';
import * as Publishing from '../../wailsjs/go/service/Publishing';
import * as Search from '../../wailsjs/go/service/Search';
import type { ProfileView, SearchChannel } from '../../api/search';
import type { PublishingStatus } from '../../api/publishing';
import { statusFixture } from '../../test/postFixtures';
import { PublishingStatusProvider } from '../queue/usePublishingStatus';
import { PostPage } from '../posts/PostPage';
import { computerZone } from '../../time/zones';
import { ComposeView } from './ComposeView';

vi.mock('../../wailsjs/go/service/Channels', () => ({ List: vi.fn(), Networks: vi.fn() }));
vi.mock('../../wailsjs/go/service/Publishing', () => ({ Status: vi.fn(), SetPaused: vi.fn() }));
vi.mock('../../wailsjs/go/service/Search', () => ({ SearchableChannels: vi.fn(), SearchAccounts: vi.fn() }));
vi.mock('../../wailsjs/go/service/Posts', () => ({
  Validate: vi.fn(),
  SaveDraft: vi.fn(),
  Schedule: vi.fn(),
  AddToQueue: vi.fn(),
  PublishNow: vi.fn(),
  ImportMediaData: vi.fn(),
  MediaPreview: vi.fn(),
  Get: vi.fn(),
}));

const MASTODON_CAPS = ['publish', 'media', 'alt_text', 'threads', 'first_comment', 'content_warning', 'visibility', 'native_schedule'];

const mastodon = channelFixture({ id: 12, displayName: 'Shop' });
const bluesky = channelFixture({ id: 13, network: 'bluesky', networkName: 'Bluesky', handle: 'shop.bsky.social', displayName: 'Shop Sky' });
const plain = channelFixture({ id: 14, network: 'plain', networkName: 'Plain', handle: 'shop@plain', displayName: 'Shop Plain' });

const networks: NetworkInfo[] = [
  mastodonNetwork({ capabilities: MASTODON_CAPS }),
  blueskyNetwork({ capabilities: ['publish', 'media', 'alt_text', 'threads', 'first_comment'] }),
  mastodonNetwork({ id: 'plain', name: 'Plain', capabilities: ['publish'], limitations: [] }),
];

const validate = mockedBinding<Validation>(Posts.Validate);
const saveDraft = mockedBinding<PostView>(Posts.SaveDraft);
const schedule = mockedBinding<ScheduleResult>(Posts.Schedule);
const addToQueue = mockedBinding<PostView>(Posts.AddToQueue);
const importMedia = mockedBinding<MediaView>(Posts.ImportMediaData);
const preview = mockedBinding<string>(Posts.MediaPreview);
const getPost = mockedBinding<PostView>(Posts.Get);

/** A Validate that counts the text like the backend, with a 500-character limit. */
function validateLikeBackend(input: DraftInput): Promise<Validation> {
  const checks = input.variants.map((v) => {
    const chars = [...v.text].length;
    const tooLong = chars > 500;
    const missingAlt = v.media.filter((m) => !m.altText).map((m, i) => ({
      field: `media[${i}].alt`,
      severity: 'warning',
      code: 'alt_missing',
      message: `${m.name} has no description; add alt text so people who use screen readers know what it shows.`,
    }));
    return checkFixture(v.channelId, v.channelId === 13 ? 'Bluesky' : 'Mastodon on mastodon.social', {
      text: countFixture({ chars, max: v.channelId === 13 ? 300 : 500, remaining: (v.channelId === 13 ? 300 : 500) - chars, bytes: chars, maxBytes: v.channelId === 13 ? 3000 : 0 }),
      issues: [
        ...(tooLong
          ? [{ field: 'text', severity: 'error', code: 'too_long', message: `This post is ${chars} characters; Mastodon on mastodon.social allows 500.` }]
          : []),
        ...missingAlt,
      ],
      ok: !tooLong,
    });
  });
  return Promise.resolve(validationFixture(checks, input.variants.length === 0 ? ['Choose at least one channel to post to.'] : []));
}

beforeEach(() => {
  mockedBinding<ChannelView[]>(Channels.List).mockResolvedValue([mastodon, bluesky, plain]);
  mockedBinding<NetworkInfo[]>(Channels.Networks).mockResolvedValue(networks);
  validate.mockImplementation((input) => validateLikeBackend(input));
  saveDraft.mockResolvedValue(postFixture({ id: 7, status: 'draft' }));
  getPost.mockResolvedValue(postFixture({ id: 7 }));
  preview.mockResolvedValue('data:image/png;base64,iVBORw0KGgo=');
});

function renderCompose(route = '/compose') {
  return renderWithProviders(
    <ChannelListProvider>
      <Routes>
        <Route path="/compose" element={<ComposeView />} />
        <Route path="/compose/:postId" element={<ComposeView />} />
        <Route path="/posts/:postId" element={<PostPage />} />
        <Route path="/settings/queue" element={<p>Queue settings</p>} />
      </Routes>
    </ChannelListProvider>,
    route,
  );
}

const lastValidated = (): DraftInput => validate.mock.calls.at(-1)?.[0] as unknown as DraftInput;

describe('Compose', () => {
  it('counts live with Validate, shows its errors by the field and blocks Schedule until they are fixed', async () => {
    const { user } = renderCompose();
    await user.click(await screen.findByTestId('compose-channel-12'));
    const text = screen.getByTestId('compose-text');
    await user.type(text, 'Hello world');

    await waitFor(() => {
      expect(screen.getByTestId('char-count')).toHaveTextContent('11/500 · 489 left');
    });
    expect(lastValidated().variants).toEqual([expect.objectContaining({ channelId: 12, text: 'Hello world' })]);
    await waitFor(() => {
      expect(screen.getByTestId('compose-schedule')).not.toHaveAttribute('aria-disabled');
    });

    fireEvent.change(text, { target: { value: 'x'.repeat(512) } });
    const issue = await screen.findByText(
      (_, el) => el?.getAttribute('data-testid') === 'issue' && /Too long for Mastodon on mastodon.social \(Shop\): 512 of 500 characters/.test(el.textContent),
    );
    expect(issue).toHaveAttribute('data-severity', 'error');
    expect(issue).toHaveAttribute('data-field', 'text');
    expect(screen.getByTestId('char-count')).toHaveTextContent('512/500 · 12 over');
    expect(screen.getByTestId('compose-schedule')).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByTestId('compose-blockers')).toHaveTextContent('Too long for Mastodon on mastodon.social (Shop): 512 of 500 characters');
    // A draft can still be saved.
    expect(screen.getByTestId('compose-save-draft')).toBeEnabled();
  });

  it('shows a byte counter for Bluesky and each network only the controls it supports', async () => {
    const { user } = renderCompose();
    await user.click(await screen.findByTestId('compose-channel-13'));
    await user.type(screen.getByTestId('compose-text'), 'Hi');
    // Under load the check of "H" alone may come first: wait for the whole text's.
    await waitFor(() => {
      expect(screen.getByTestId('byte-count')).toHaveTextContent('2/3000 bytes');
    });
    // Bluesky: threads and a first comment, but no content warning, visibility or hand-off.
    expect(screen.getByTestId('compose-add-follow-up')).toBeInTheDocument();
    expect(screen.getByTestId('compose-first-comment')).toBeInTheDocument();
    expect(screen.queryByTestId('compose-cw')).not.toBeInTheDocument();
    expect(screen.queryByTestId('compose-visibility')).not.toBeInTheDocument();
    expect(screen.queryByTestId('compose-handoff')).not.toBeInTheDocument();

    // Only Mastodon: every control, and the hand-off to its scheduler.
    await user.click(screen.getByTestId('compose-channel-13'));
    await user.click(screen.getByTestId('compose-channel-12'));
    expect(await screen.findByTestId('compose-cw')).toBeInTheDocument();
    expect(screen.getByTestId('compose-visibility')).toBeInTheDocument();
    expect(screen.getByTestId('compose-handoff')).toBeInTheDocument();

    // A network without threads or media: none of those controls on its own tab.
    await user.click(screen.getByTestId('compose-channel-14'));
    expect(screen.queryByTestId('compose-handoff')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('compose-tab-14'));
    expect(screen.queryByTestId('compose-variant-14-add-follow-up')).not.toBeInTheDocument();
    expect(screen.queryByTestId('compose-variant-14-attach')).not.toBeInTheDocument();
    expect(screen.queryByTestId('compose-variant-14-cw')).not.toBeInTheDocument();
  });

  it('leaves out of a variant what its network cannot publish, and says why', async () => {
    const { user } = renderCompose();
    await user.click(await screen.findByTestId('compose-channel-12'));
    await user.click(screen.getByTestId('compose-channel-14'));
    await user.type(screen.getByTestId('compose-text'), 'Main');
    await user.click(screen.getByTestId('compose-add-follow-up'));
    await user.type(screen.getByTestId('compose-thread-0'), 'More');
    expect(await screen.findByTestId('compose-notes')).toHaveTextContent('Threads: not published to Shop Plain (Plain)');
    await waitFor(() => {
      expect(lastValidated().variants.map((v) => v.thread)).toEqual([['More'], []]);
    });
  });

  it('customises one channel and marks its tab', async () => {
    const { user } = renderCompose();
    await user.click(await screen.findByTestId('compose-channel-12'));
    await user.click(screen.getByTestId('compose-channel-13'));
    await user.type(screen.getByTestId('compose-text'), 'Shared');
    await user.click(screen.getByTestId('compose-tab-13'));
    const own = screen.getByTestId('compose-variant-13-text');
    expect(own).toHaveValue('Shared');
    await user.type(own, ' for Bluesky');
    expect(screen.getByTestId('compose-tab-13')).toHaveAttribute('data-customised', 'true');
    expect(screen.getByTestId('compose-tab-12')).toHaveAttribute('data-customised', 'false');
    await waitFor(() => {
      expect(lastValidated().variants.map((v) => v.text)).toEqual(['Shared', 'Shared for Bluesky']);
    });
    await user.click(screen.getByTestId('compose-reset-variant'));
    expect(screen.getByTestId('compose-tab-13')).toHaveAttribute('data-customised', 'false');
  });

  it('completes @mentions in the shared text through the first channel taking it that can search, and says which', async () => {
    const searchable = (c: ChannelView): SearchChannel => ({
      channelId: c.id,
      channelName: c.displayName,
      handle: c.handle,
      avatarUrl: '',
      network: c.network,
      networkName: c.networkName,
      available: true,
      reason: '',
    });
    mockedBinding<SearchChannel[]>(Search.SearchableChannels).mockResolvedValue([searchable(mastodon), searchable(bluesky)]);
    const searchAccounts = mockedBinding<ProfileView[]>(Search.SearchAccounts).mockResolvedValue([
      {
        remoteId: 'did:plc:jo',
        handle: 'jo.bsky.social',
        mention: '@jo.bsky.social',
        displayName: 'Jo',
        bio: '',
        avatarUrl: '',
        profileUrl: '',
        channelId: 13,
        channelName: 'Shop Sky',
        network: 'bluesky',
        networkName: 'Bluesky',
      },
    ]);
    const { user } = renderCompose();
    await user.click(await screen.findByTestId('compose-channel-14'));
    await user.click(screen.getByTestId('compose-channel-13'));
    const text = screen.getByTestId('compose-text');
    await waitFor(() => {
      expect(text).toHaveAttribute('role', 'combobox');
    });
    await user.type(text, 'Hi @jo');
    expect(await screen.findByTestId('mention-popup')).toHaveTextContent('Accounts on Bluesky, found through Shop Sky');
    await screen.findByRole('option', { name: /Jo/ });
    expect(searchAccounts).toHaveBeenCalledWith(13, 'jo', true);
    await user.keyboard('{Enter}');
    expect(text).toHaveValue('Hi @jo.bsky.social ');

    // The channel whose network cannot search has no list.
    await user.click(screen.getByTestId('compose-tab-14'));
    expect(screen.getByTestId('compose-variant-14-text')).not.toHaveAttribute('role', 'combobox');
  });

  it('imports a picked file with ImportMediaData, previews it and keeps its alt text', async () => {
    importMedia.mockResolvedValue(mediaFixture({ name: 'cat.png', path: 'ab/cat.png' }));
    const { user } = renderCompose();
    await user.click(await screen.findByTestId('compose-channel-12'));
    const file = new File(['png-bytes'], 'cat.png', { type: 'image/png' });
    await user.upload(screen.getByTestId('compose-file-input'), file);

    await waitFor(() => {
      expect(importMedia).toHaveBeenCalledWith('cat.png', btoa('png-bytes'));
    });
    const thumb = await screen.findByTestId('compose-media-0');
    await waitFor(() => {
      expect(thumb.querySelector('img')).toHaveAttribute('src', 'data:image/png;base64,iVBORw0KGgo=');
    });
    expect(preview).toHaveBeenCalledWith('ab/cat.png');
    expect(await within(thumb).findByText(/cat.png has no description/)).toBeInTheDocument();

    await user.type(screen.getByTestId('compose-alt-0'), 'A grey cat asleep');
    expect(screen.getByTestId('compose-alt-count-0')).toHaveTextContent('17 characters');
    await waitFor(() => {
      expect(within(thumb).queryByText(/has no description/)).not.toBeInTheDocument();
    });
    await user.click(screen.getByTestId('compose-save-draft'));
    await waitFor(() => {
      expect(saveDraft).toHaveBeenCalled();
    });
    const saved = saveDraft.mock.calls[0]?.[0] as unknown as DraftInput;
    expect(saved.variants[0]?.media).toEqual([expect.objectContaining({ path: 'ab/cat.png', altText: 'A grey cat asleep' })]);
    expect(await screen.findByText('Draft saved')).toBeInTheDocument();
  });

  it('schedules in the chosen zone, shows the daylight-saving note and opens the post', async () => {
    const note = '02:30 does not exist on Sun 29 Mar 2026 in Europe/Berlin: the clocks jump from 02:00 to 03:00. Herald will publish at 03:30 CEST (UTC+02:00).';
    schedule.mockResolvedValue({ post: postFixture({ id: 7 }), note });
    const { user } = renderCompose();
    await user.click(await screen.findByTestId('compose-channel-12'));
    await user.type(screen.getByTestId('compose-text'), 'Spring sale starts today');
    // In the computer's zone the zone goes unnamed.
    expect(screen.getByTestId('compose-summary').textContent).toMatch(/^\w{3} \d{1,2} \w{3}( \d{4})?, \d{1,2}:\d{2}( [AP]M)? · in \d+ minutes$/);
    const button = screen.getByTestId('compose-schedule');
    await waitFor(() => {
      expect(button).not.toHaveAttribute('aria-disabled');
    });
    await user.click(button);

    await waitFor(() => {
      expect(schedule).toHaveBeenCalledWith(7, expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/), computerZone());
    });
    expect(saveDraft).toHaveBeenCalledTimes(1);
    expect(await screen.findByTestId('schedule-note')).toHaveTextContent(note);
    expect(await screen.findByTestId('post-target-12')).toHaveAttribute('data-status', 'scheduled');
  });

  it('while publishing is paused, Publish now asks and says the post waits for the resume', async () => {
    mockedBinding<PublishingStatus>(Publishing.Status).mockResolvedValue(statusFixture({ paused: true }));
    const setPaused = mockedBinding<PublishingStatus>(Publishing.SetPaused);
    const publishNow = mockedBinding<PostView>(Posts.PublishNow);
    publishNow.mockResolvedValue(postFixture({ id: 7 }));
    const { user } = renderWithProviders(
      <PublishingStatusProvider>
        <ChannelListProvider>
          <Routes>
            <Route path="/compose" element={<ComposeView />} />
            <Route path="/posts/:postId" element={<p>Post page</p>} />
          </Routes>
        </ChannelListProvider>
      </PublishingStatusProvider>,
      '/compose',
    );
    await user.click(await screen.findByTestId('compose-channel-12'));
    await user.type(screen.getByTestId('compose-text'), 'Right now');
    await user.click(screen.getByTestId('compose-mode-now'));
    const button = screen.getByTestId('compose-publish-now');
    await waitFor(() => {
      expect(button).not.toHaveAttribute('aria-disabled');
    });
    await user.click(button);
    const dialog = await screen.findByRole('dialog', { name: 'Publishing is paused' });
    expect(publishNow).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Publish when I resume' }));
    await waitFor(() => {
      expect(publishNow).toHaveBeenCalledWith(7);
    });
    expect(setPaused).not.toHaveBeenCalled();
    expect(await screen.findByText('Publishes when you resume')).toBeInTheDocument();
    expect(screen.queryByText('Publishing now')).not.toBeInTheDocument();
    expect(await screen.findByText('Post page')).toBeInTheDocument();
  });

  it('shows why Add to queue failed, with the way forward', async () => {
    addToQueue.mockRejectedValue({
      code: 'invalid_input',
      field: 'queue',
      message: 'Shop has no queue times.',
      hint: 'Add posting times for it under Settings → Queue, or pick a time.',
    });
    const { user } = renderCompose();
    await user.click(await screen.findByTestId('compose-channel-12'));
    await user.type(screen.getByTestId('compose-text'), 'Queued');
    await user.click(screen.getByTestId('compose-mode-queue'));
    const button = screen.getByTestId('compose-add-to-queue');
    await waitFor(() => {
      expect(button).not.toHaveAttribute('aria-disabled');
    });
    await user.click(button);
    const alert = await screen.findByTestId('compose-action-error');
    expect(alert).toHaveTextContent('Shop has no queue times.');
    expect(alert).toHaveTextContent('Add posting times for it under Settings → Queue, or pick a time.');
    expect(within(alert).getByRole('link', { name: 'Open Settings → Queue' })).toHaveAttribute('href', '/settings/queue');
    // The post was saved as a draft first, and stays in the composer.
    expect(addToQueue).toHaveBeenCalledWith(7);
    expect(screen.getByTestId('composer')).toHaveAttribute('data-post-id', '7');
  });

  it('saves with Ctrl+S and runs the main action with Ctrl+Enter', async () => {
    schedule.mockResolvedValue({ post: postFixture({ id: 7 }), note: '' });
    const { user } = renderCompose();
    await user.click(await screen.findByTestId('compose-channel-12'));
    await user.type(screen.getByTestId('compose-text'), 'Keys');
    await user.keyboard('{Control>}s{/Control}');
    await waitFor(() => {
      expect(saveDraft).toHaveBeenCalledTimes(1);
    });
    await waitFor(() => {
      expect(screen.getByTestId('compose-schedule')).not.toHaveAttribute('aria-disabled');
    });
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => {
      expect(schedule).toHaveBeenCalled();
    });
  });

  it('opens a saved post for editing with its customised variants', async () => {
    getPost.mockResolvedValue(
      postFixture({
        id: 9,
        status: 'draft',
        targets: [
          targetFixture({ channelId: 12, status: 'draft', variant: { channelId: 12, text: 'Hello', thread: [], firstComment: '', media: [], options: {} } }),
          targetFixture({ id: 102, channelId: 13, status: 'draft', variant: { channelId: 13, text: 'Hello sky', thread: [], firstComment: '', media: [], options: {} } }),
        ],
      }),
    );
    renderCompose('/compose/9');
    expect(await screen.findByRole('heading', { level: 1, name: 'Edit post' })).toBeInTheDocument();
    expect(await screen.findByTestId('compose-text')).toHaveValue('Hello');
    expect(screen.getByTestId('compose-tab-13')).toHaveAttribute('data-customised', 'true');
    expect(screen.getByTestId('compose-channel-12')).toHaveAttribute('aria-checked', 'true');
  });

  it('asks before leaving with unsaved changes', async () => {
    const { user } = renderWithProviders(
      <ChannelListProvider>
        <Link to="/queue">Queue link</Link>
        <Routes>
          <Route path="/compose" element={<ComposeView />} />
          <Route path="/queue" element={<p>The queue</p>} />
        </Routes>
      </ChannelListProvider>,
      '/compose',
    );
    await user.click(await screen.findByTestId('compose-channel-12'));
    await user.type(screen.getByTestId('compose-text'), 'Unsaved');
    await user.click(screen.getByText('Queue link'));
    const dialog = await screen.findByRole('dialog', { name: 'Leave without saving?' });
    await user.click(within(dialog).getByRole('button', { name: 'Keep editing' }));
    expect(screen.getByTestId('compose-text')).toHaveValue('Unsaved');
    expect(screen.queryByText('The queue')).not.toBeInTheDocument();

    await user.click(screen.getByText('Queue link'));
    await user.click(await screen.findByTestId('guard-leave'));
    expect(await screen.findByText('The queue')).toBeInTheDocument();
  });

  it('asks before the back button leaves unsaved changes', async () => {
    const { user, router } = renderWithProviders(
      <ChannelListProvider>
        <Routes>
          <Route path="/compose" element={<ComposeView />} />
          <Route path="/queue" element={<p>The queue</p>} />
        </Routes>
      </ChannelListProvider>,
      ['/queue', '/compose'],
    );
    await user.click(await screen.findByTestId('compose-channel-12'));
    await user.type(screen.getByTestId('compose-text'), 'Unsaved');
    await act(() => router.navigate(-1));
    const dialog = await screen.findByRole('dialog', { name: 'Leave without saving?' });
    expect(router.state.location.pathname).toBe('/compose');
    await user.click(within(dialog).getByRole('button', { name: 'Keep editing' }));
    expect(screen.getByTestId('compose-text')).toHaveValue('Unsaved');
    expect(router.state.location.pathname).toBe('/compose');
  });

  it('lets the back button through when nothing is unsaved', async () => {
    const { router } = renderWithProviders(
      <ChannelListProvider>
        <Routes>
          <Route path="/compose" element={<ComposeView />} />
          <Route path="/queue" element={<p>The queue</p>} />
        </Routes>
      </ChannelListProvider>,
      ['/queue', '/compose'],
    );
    await screen.findByTestId('compose-channel-12');
    await act(() => router.navigate(-1));
    expect(await screen.findByText('The queue')).toBeInTheDocument();
    expect(screen.queryByRole('dialog', { name: 'Leave without saving?' })).not.toBeInTheDocument();
  });

});

describe('Compose guidance', () => {
  const cafe = channelFixture({ id: 15, network: 'bluesky', networkName: 'Bluesky', handle: 'cafe.bsky.social', displayName: 'Café' });
  const shop = channelFixture({ id: 13, network: 'bluesky', networkName: 'Bluesky', handle: 'shop.bsky.social', displayName: 'Shop' });

  /** Bluesky with a 10-character limit: the backend says where the part that fits ends. */
  function validateTen(input: DraftInput): Promise<Validation> {
    const checks = input.variants.map((v) => {
      const chars = [...v.text].length;
      const over = chars > 10;
      const media = v.media.length > 4;
      return checkFixture(v.channelId, 'Bluesky', {
        text: countFixture({ chars, max: 10, remaining: 10 - chars, fits: Math.min(v.text.length, 10) }),
        issues: [
          ...(over ? [{ field: 'text', severity: 'error', code: 'too_long', message: `This post is ${chars} characters; Bluesky allows 10.` }] : []),
          ...(media ? [{ field: 'media', severity: 'error', code: 'too_many_media', message: `This post has ${v.media.length} attachments; Bluesky allows 4.`, limit: 4 }] : []),
          ...v.media
            .map((m, i) => ({ m, i }))
            .filter(({ m }) => !m.altText)
            .map(({ m, i }) => ({ field: `media[${i}].alt`, severity: 'warning', code: 'alt_missing', message: `${m.name} has no description.` })),
        ],
        ok: !over && !media,
      });
    });
    return Promise.resolve(validationFixture(checks));
  }

  beforeEach(() => {
    mockedBinding<ChannelView[]>(Channels.List).mockResolvedValue([shop, cafe]);
    validate.mockImplementation((input) => validateTen(input));
  });

  it('shows a problem shared by channels once, naming them, marks what does not fit and says why Schedule is off', async () => {
    const { user } = renderCompose();
    await user.click(await screen.findByTestId('compose-channel-13'));
    await user.click(screen.getByTestId('compose-channel-15'));
    fireEvent.change(screen.getByTestId('compose-text'), { target: { value: 'hello world again' } });

    const issue = await screen.findByText((_, el) => el?.getAttribute('data-testid') === 'issue');
    expect(issue).toHaveTextContent('Too long for Bluesky (Café, Shop): 17 of 10 characters');
    expect(screen.getAllByTestId('issue')).toHaveLength(1);
    const blockers = screen.getByTestId('compose-blockers');
    expect(blockers.textContent.match(/Too long for Bluesky/g)).toHaveLength(1);

    // Exactly the characters past the limit are marked; the box is not turned red.
    expect(screen.getByTestId('overflow-text')).toHaveTextContent(/^d again$/);
    expect(screen.getByTestId('compose-text')).not.toHaveAttribute('data-error');

    // The button stays focusable and says why it does nothing.
    const button = screen.getByTestId('compose-schedule');
    expect(button).toHaveAttribute('aria-disabled', 'true');
    expect(button).not.toBeDisabled();
    const reason = document.getElementById(button.getAttribute('aria-describedby') ?? '');
    expect(reason).toHaveTextContent('Fix these first: Too long for Bluesky (Café, Shop): 17 of 10 characters');
    act(() => {
      button.focus();
    });
    expect(await screen.findByRole('tooltip')).toHaveTextContent('Too long for Bluesky (Café, Shop)');
    await user.click(button);
    expect(saveDraft).not.toHaveBeenCalled();
  });

  it('offers to split into a thread and to customise for one channel', async () => {
    const { user } = renderCompose();
    await user.click(await screen.findByTestId('compose-channel-13'));
    await user.click(screen.getByTestId('compose-channel-15'));
    fireEvent.change(screen.getByTestId('compose-text'), { target: { value: 'hello world again' } });

    await user.click(await screen.findByRole('button', { name: 'Split into a thread' }));
    // Split at the last space before the limit: no word is broken.
    expect(screen.getByTestId('compose-text')).toHaveValue('hello');
    expect(screen.getByTestId('compose-thread-0')).toHaveValue('world again');
    await waitFor(() => {
      expect(screen.queryByTestId('issue')).not.toBeInTheDocument();
    });

    fireEvent.change(screen.getByTestId('compose-text'), { target: { value: 'a text too long' } });
    expect(await screen.findByRole('button', { name: 'Customise for Café' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Customise for Shop' }));
    expect(screen.getByTestId('compose-tab-13')).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('compose-tab-13')).toHaveAttribute('data-customised', 'true');
    expect(screen.getByTestId('compose-variant-13-text')).toHaveValue('a text too long');
  });

  it('tells same-named channels apart in the tabs and in problems, in natural order', async () => {
    const twin = channelFixture({ id: 16, network: 'bluesky', networkName: 'Bluesky', handle: 'shop2.bsky.social', displayName: 'Shop' });
    mockedBinding<ChannelView[]>(Channels.List).mockResolvedValue([shop, cafe, twin]);
    const { user } = renderCompose();
    await user.click(await screen.findByTestId('compose-channel-16'));
    await user.click(screen.getByTestId('compose-channel-13'));
    await user.click(screen.getByTestId('compose-channel-15'));
    const tabs = screen.getAllByRole('tab').slice(1);
    // (Each tab's text starts with its avatar's initials.)
    expect(tabs.map((t) => t.textContent)).toEqual([
      expect.stringMatching(/Café$/),
      expect.stringMatching(/Shop \(@shop\.bsky\.social\)$/),
      expect.stringMatching(/Shop \(@shop2\.bsky\.social\)$/),
    ]);
    expect(within(tabs[1] as HTMLElement).getByTestId('network-icon-bluesky')).toBeInTheDocument();

    fireEvent.change(screen.getByTestId('compose-text'), { target: { value: 'hello world again' } });
    expect(await screen.findByTestId('issue')).toHaveTextContent(
      'Too long for Bluesky (Café, Shop (@shop.bsky.social), Shop (@shop2.bsky.social)): 17 of 10 characters',
    );
  });

  it('offers to remove the attachment over the limit and to add alt text', async () => {
    const media = [1, 2, 3, 4, 5].map((n) => ({ ...mediaFixture({ path: `ab/${n}.png`, name: `cat${n}.png` }), altText: n === 1 ? '' : 'A cat' }));
    getPost.mockResolvedValue(
      postFixture({
        id: 9,
        status: 'draft',
        targets: [targetFixture({ channelId: 13, status: 'draft', variant: { channelId: 13, text: 'Cats', thread: [], firstComment: '', media, options: {} } })],
      }),
    );
    const { user } = renderCompose('/compose/9');
    expect(await screen.findByTestId('compose-text')).toHaveValue('Cats');
    const remove = await screen.findByRole('button', { name: 'Remove the 5th image' }, { timeout: 5000 });
    await user.click(screen.getByRole('button', { name: 'Add alt text' }));
    expect(screen.getByTestId('compose-alt-0')).toHaveFocus();
    await user.click(remove);
    await waitFor(() => {
      expect(lastValidated().variants[0]?.media.map((m) => m.name)).toEqual(['cat1.png', 'cat2.png', 'cat3.png', 'cat4.png']);
    });
    expect(screen.queryByRole('button', { name: /Remove the 5th/ })).not.toBeInTheDocument();
  });

  it('offers to remove the follow-ups past the thread limit and an empty follow-up', async () => {
    validate.mockImplementation((arg) =>
      Promise.resolve(
        validationFixture(
          (arg as DraftInput).variants.map((v) => {
            const long = v.thread.length > 2;
            return checkFixture(v.channelId, 'Bluesky', {
              thread: v.thread.map(() => countFixture()),
              issues: [
                ...v.thread.flatMap((t, i) => (t.trim() === '' ? [{ field: `thread[${i}]`, severity: 'error', code: 'empty', message: `Follow-up ${i + 1} is empty; write something or remove it.` }] : [])),
                ...(long ? [{ field: 'thread', severity: 'error', code: 'thread_too_long', message: 'This thread has 3 follow-ups; Bluesky allows at most 2 follow-ups.', limit: 2 }] : []),
              ],
              ok: false,
            });
          }),
        ),
      ),
    );
    getPost.mockResolvedValue(
      postFixture({
        id: 9,
        status: 'draft',
        targets: [targetFixture({ channelId: 13, status: 'draft', variant: { channelId: 13, text: 'Thread', thread: ['one', ' ', 'three'], firstComment: '', media: [], options: {} } })],
      }),
    );
    const { user } = renderCompose('/compose/9');
    const empty = await screen.findByTestId('fix-remove-follow-up', {}, { timeout: 5000 });
    expect(empty).toHaveTextContent('Remove follow-up 2');
    expect(screen.getByTestId('fix-remove-follow-ups')).toHaveTextContent('Remove follow-up 3');
    await user.click(empty);
    expect(screen.getByTestId('compose-thread-1')).toHaveValue('three');
    await waitFor(() => {
      expect(lastValidated().variants[0]?.thread).toEqual(['one', 'three']);
    });
    await waitFor(() => {
      expect(screen.queryByTestId('issue')).not.toBeInTheDocument();
    });
  });
});
