import { describe, expect, it } from 'vitest';
import { inboxCommand, stepSelection, toggledStatus } from './inboxKeys';

const press = (key: string, extra: Partial<KeyboardEvent> = {}, target: EventTarget | null = document.body) =>
  inboxCommand({ key, ctrlKey: false, metaKey: false, altKey: false, defaultPrevented: false, target, ...extra });

describe('inbox keys', () => {
  it('maps the plain letters to commands', () => {
    expect(press('j')).toBe('next');
    expect(press('k')).toBe('previous');
    expect(press('e')).toBe('done');
    expect(press('a')).toBe('archive');
    expect(press('u')).toBe('unread');
    expect(press('l')).toBe('label');
    expect(press('n')).toBe('note');
    expect(press('/')).toBe('search');
    expect(press('x')).toBeUndefined();
    // Shift+J is a capital: not a command.
    expect(press('J')).toBeUndefined();
  });

  it('leaves keys with a modifier, handled keys and typing alone', () => {
    expect(press('j', { ctrlKey: true })).toBeUndefined();
    expect(press('j', { metaKey: true })).toBeUndefined();
    expect(press('j', { altKey: true })).toBeUndefined();
    expect(press('e', { defaultPrevented: true })).toBeUndefined();
    const input = document.createElement('input');
    expect(press('e', {}, input)).toBeUndefined();
    const area = document.createElement('textarea');
    expect(press('/', {}, area)).toBeUndefined();
  });

  it('leaves keys inside a dialog or menu to them', () => {
    const dialog = document.createElement('div');
    dialog.setAttribute('role', 'dialog');
    const button = document.createElement('button');
    dialog.append(button);
    document.body.append(dialog);
    expect(press('e', {}, button)).toBeUndefined();
    dialog.remove();
  });

  it('steps through the list and stays at its ends', () => {
    const ids = [5, 3, 9];
    expect(stepSelection(ids, undefined, 1)).toBe(5);
    expect(stepSelection(ids, 5, 1)).toBe(3);
    expect(stepSelection(ids, 3, 1)).toBe(9);
    expect(stepSelection(ids, 9, 1)).toBe(9);
    expect(stepSelection(ids, 3, -1)).toBe(5);
    expect(stepSelection(ids, 5, -1)).toBe(5);
    // The chosen item left the list (marked done under the Open filter): start again at the top.
    expect(stepSelection(ids, 42, 1)).toBe(5);
    expect(stepSelection([], 5, 1)).toBeUndefined();
  });

  it('reopens with the same key', () => {
    expect(toggledStatus('open', 'done')).toBe('done');
    expect(toggledStatus('done', 'done')).toBe('open');
    expect(toggledStatus('done', 'archived')).toBe('archived');
    expect(toggledStatus('archived', 'archived')).toBe('open');
  });
});
