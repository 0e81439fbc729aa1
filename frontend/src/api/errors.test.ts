import { describe, expect, it } from 'vitest';
import { AppError, GENERIC_MESSAGE, toAppError } from './errors';

describe('toAppError', () => {
  it('reads the backend payload object', () => {
    const err = toAppError({
      code: 'keyring_locked',
      message: 'Herald could not save a credential: the keyring is locked.',
      hint: 'Unlock your keyring and try again.',
      field: 'token',
    });
    expect(err).toBeInstanceOf(AppError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('keyring_locked');
    expect(err.message).toBe('Herald could not save a credential: the keyring is locked.');
    expect(err.hint).toBe('Unlock your keyring and try again.');
    expect(err.field).toBe('token');
  });

  it('fills in a missing code and leaves absent hint and field undefined', () => {
    const err = toAppError({ message: 'Nope.' });
    expect(err.code).toBe('internal');
    expect(err.hint).toBeUndefined();
    expect(err.field).toBeUndefined();
  });

  it('treats empty hint and field as absent', () => {
    const err = toAppError({ code: 'conflict', message: 'Taken.', hint: '  ', field: '' });
    expect(err.hint).toBeUndefined();
    expect(err.field).toBeUndefined();
  });

  it('reads a plain string rejection', () => {
    const err = toAppError('database is locked');
    expect(err.code).toBe('internal');
    expect(err.message).toBe('database is locked');
    expect(err.hint).toBeUndefined();
  });

  it('reads a string holding the JSON payload', () => {
    const err = toAppError('{"code":"not_found","message":"No such post.","hint":"Refresh the list."}');
    expect(err.code).toBe('not_found');
    expect(err.message).toBe('No such post.');
    expect(err.hint).toBe('Refresh the list.');
  });

  it('keeps a string that only looks like JSON as text', () => {
    expect(toAppError('{not json').message).toBe('{not json');
  });

  it('reads a thrown Error and keeps it as the cause', () => {
    const cause = new TypeError('window.go is undefined');
    const err = toAppError(cause);
    expect(err.code).toBe('internal');
    expect(err.message).toBe('window.go is undefined');
    expect(err.cause).toBe(cause);
  });

  it('returns an AppError unchanged', () => {
    const original = new AppError({ code: 'invalid_input', message: 'Too long.', field: 'text' });
    expect(toAppError(original)).toBe(original);
  });

  it.each([[null], [undefined], [42], [{}], [''], [{ code: 'x', message: '' }]])(
    'falls back to a generic message for %j',
    (value) => {
      const err = toAppError(value);
      expect(err.message).toBe(GENERIC_MESSAGE);
      expect(err.code).toBeTruthy();
    },
  );
});
