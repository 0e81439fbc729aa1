import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockedBinding } from '../../test/bindings';
import { renderWithProviders } from '../../test/render';
import * as Inbox from '../../wailsjs/go/service/Inbox';
import { SavedRepliesPanel } from './SavedRepliesPanel';

vi.mock('../../wailsjs/go/service/Inbox', () => ({ SavedReplies: vi.fn(), SaveSavedReply: vi.fn(), DeleteSavedReply: vi.fn() }));

const list = mockedBinding<{ id: number; name: string; body: string; updatedAt: string }[]>(Inbox.SavedReplies);
const save = mockedBinding<{ id: number; name: string; body: string; updatedAt: string }>(Inbox.SaveSavedReply);

beforeEach(() => {
  list.mockResolvedValue([]);
});

describe('SavedRepliesPanel', () => {
  it('says what saved replies are for when there are none', async () => {
    renderWithProviders(<SavedRepliesPanel />);
    expect(await screen.findByTestId('saved-replies-empty')).toHaveTextContent('No saved replies yet');
  });

  it('shows a refused variable at the field and keeps what was typed', async () => {
    save.mockRejectedValue({ code: 'invalid', field: 'body', message: '{nome} is not a variable Herald knows; use {name}, {handle} or {post_url}.' });
    const { user } = renderWithProviders(<SavedRepliesPanel />);
    await user.click(await screen.findByTestId('saved-reply-add'));
    await user.type(screen.getByTestId('saved-reply-name'), 'Hello');
    await user.type(screen.getByTestId('saved-reply-body'), 'Hi {{nome}');
    await user.click(screen.getByTestId('saved-reply-save'));
    expect(await screen.findByText(/is not a variable Herald knows/)).toBeInTheDocument();
    expect(screen.getByTestId('saved-reply-body')).toHaveValue('Hi {nome}');
    await waitFor(() => {
      expect(save).toHaveBeenCalledWith({ id: 0, name: 'Hello', body: 'Hi {nome}' });
    });
  });
});
