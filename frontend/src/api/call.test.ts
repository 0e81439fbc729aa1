import { afterEach, describe, expect, it } from 'vitest';
import { call, NO_BACKEND } from './call';
import { AppError } from './errors';

describe('call', () => {
  const go: unknown = window.go;
  afterEach(() => {
    Object.defineProperty(window, 'go', { value: go, configurable: true, writable: true });
  });

  it('passes results through', async () => {
    await expect(call(() => Promise.resolve(7))).resolves.toBe(7);
  });

  it('turns a rejection into an AppError', async () => {
    const rejected = call(() => Promise.reject(new Error('boom')));
    await expect(rejected).rejects.toBeInstanceOf(AppError);
    await expect(rejected).rejects.toMatchObject({ code: 'internal', message: 'boom' });
  });

  it('says so when the page runs without the backend', async () => {
    Reflect.deleteProperty(window, 'go');
    const rejected = call(() => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'service')")));
    await expect(rejected).rejects.toMatchObject({ code: NO_BACKEND });
  });
});
