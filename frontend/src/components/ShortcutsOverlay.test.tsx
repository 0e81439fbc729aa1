import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { VIEWS } from '../navigation';
import { renderWithProviders } from '../test/render';
import { ShortcutsOverlay } from './ShortcutsOverlay';

function Page() {
  return (
    <>
      <label>
        Search
        <input type="text" />
      </label>
      <label>
        Notes
        <textarea />
      </label>
      <ShortcutsOverlay />
    </>
  );
}

/** The rows of the overlay as "keys: description". */
function rows(dialog: HTMLElement): string[] {
  return within(dialog)
    .getAllByTestId('shortcut')
    .map((row) => {
      const keys = Array.from(row.querySelectorAll('kbd')).map((kbd) => kbd.textContent);
      return `${keys.join('+')}: ${row.querySelectorAll('td')[1]?.textContent ?? ''}`;
    });
}

describe('Keyboard shortcuts overlay', () => {
  it('opens on ? and lists every shortcut', async () => {
    const { user } = renderWithProviders(<Page />);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    await user.keyboard('?');

    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    const listed = rows(dialog);
    // Ctrl+1…n open the views in navigation order, as useViewShortcuts does.
    VIEWS.forEach((view, index) => {
      expect(listed).toContain(`Ctrl+${index + 1}: Open ${view.label}`);
    });
    expect(listed).toContain('Ctrl+Enter: Schedule, add to the queue or publish, as the main button says');
    expect(listed).toContain('Ctrl+S: Save the draft');
    expect(listed).toContain('?: Show these keyboard shortcuts');
    expect(listed).toContain('Esc: Close a dialog, drawer or menu');
  });

  it('closes on Escape', async () => {
    const { user } = renderWithProviders(<Page />);
    await user.keyboard('?');
    await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });

    await user.keyboard('{Escape}');

    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it.each(['Search', 'Notes'])('leaves ? typed in %s to the text', async (field) => {
    const { user } = renderWithProviders(<Page />);
    const input = screen.getByLabelText(field);

    await user.type(input, 'why?');

    expect(input).toHaveValue('why?');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('leaves Ctrl+? and Alt+? alone', async () => {
    const { user } = renderWithProviders(<Page />);
    await user.keyboard('{Control>}?{/Control}{Alt>}?{/Alt}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
