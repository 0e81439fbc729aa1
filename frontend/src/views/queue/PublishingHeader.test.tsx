import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PublishingStatus } from '../../api/publishing';
import { mockedBinding } from '../../test/bindings';
import { statusFixture } from '../../test/postFixtures';
import { renderWithProviders } from '../../test/render';
import { type FakeRuntime, installRuntime } from '../../test/runtime';
import * as Publishing from '../../wailsjs/go/service/Publishing';
import { PausedBanner } from './PausedBanner';
import { PublishingHeader } from './PublishingHeader';
import { PublishingStatusProvider } from './usePublishingStatus';

vi.mock('../../wailsjs/go/service/Publishing', () => ({ Status: vi.fn(), SetPaused: vi.fn() }));

const status = mockedBinding<PublishingStatus>(Publishing.Status);
const setPaused = mockedBinding<PublishingStatus>(Publishing.SetPaused);

let runtime: FakeRuntime;

beforeEach(() => {
  runtime = installRuntime();
});

afterEach(() => {
  runtime.uninstall();
});

function renderHeader() {
  return renderWithProviders(
    <PublishingStatusProvider>
      <PublishingHeader />
      <PausedBanner />
    </PublishingStatusProvider>,
  );
}

describe('Publishing in the header', () => {
  it('shows the next post due and how many need attention', async () => {
    status.mockResolvedValue(statusFixture({ nextDueAt: '2030-12-01T08:30:00Z', nextPostId: 7, nextTitle: 'Spring sale', needsAction: 2 }));
    renderHeader();
    const next = await screen.findByTestId('next-post');
    expect(next).toHaveTextContent('Next: “Spring sale” at');
    expect(next.querySelector('a')).toHaveAttribute('href', '/posts/7');
    expect(screen.getByTestId('needs-attention-count')).toHaveTextContent('2 need attention');
  });

  it('pauses all publishing, shows the banner, and resumes from it', async () => {
    status.mockResolvedValue(statusFixture());
    const { user } = renderHeader();
    const toggle = await screen.findByTestId('pause-toggle');
    await waitFor(() => {
      expect(toggle).toBeEnabled();
    });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(screen.queryByTestId('paused-banner')).not.toBeInTheDocument();

    setPaused.mockResolvedValue(statusFixture({ paused: true }));
    status.mockResolvedValue(statusFixture({ paused: true }));
    await user.click(toggle);
    expect(setPaused).toHaveBeenCalledWith(true);
    expect(await screen.findByTestId('paused-banner')).toHaveTextContent('Publishing is paused');
    expect(screen.getByTestId('pause-toggle')).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('pause-toggle')).toHaveTextContent('Resume publishing');

    setPaused.mockResolvedValue(statusFixture({ paused: false }));
    status.mockResolvedValue(statusFixture({ paused: false }));
    await user.click(screen.getByTestId('resume-publishing'));
    expect(setPaused).toHaveBeenLastCalledWith(false);
    await waitFor(() => {
      expect(screen.queryByTestId('paused-banner')).not.toBeInTheDocument();
    });
  });

  it('keeps the switch as it was when pausing fails, and says why', async () => {
    status.mockResolvedValue(statusFixture());
    setPaused.mockRejectedValue({ code: 'unavailable', message: "Herald's database is not open.", hint: 'Open Diagnostics.' });
    const { user } = renderHeader();
    const toggle = await screen.findByTestId('pause-toggle');
    await waitFor(() => {
      expect(toggle).toBeEnabled();
    });
    await user.click(toggle);
    expect(await screen.findByText('Publishing was not paused')).toBeInTheDocument();
    expect(screen.getByTestId('pause-toggle')).toHaveAttribute('aria-pressed', 'false');
  });

  it('follows publish:pause from elsewhere (the tray) and lets go of its listeners', async () => {
    status.mockResolvedValue(statusFixture());
    const { unmount } = renderHeader();
    await screen.findByTestId('pause-toggle');
    status.mockResolvedValue(statusFixture({ paused: true }));
    runtime.emit('publish:pause', true);
    expect(await screen.findByTestId('paused-banner')).toBeInTheDocument();
    unmount();
    expect(runtime.listeners('publish:pause')).toBe(0);
    expect(runtime.listeners('posts:changed')).toBe(0);
  });
});
