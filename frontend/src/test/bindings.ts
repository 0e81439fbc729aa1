import { type Mock, vi } from 'vitest';

/**
 * A mocked binding typed with the plain DTO the real binding resolves to
 * (the generated signatures name classes with helper methods JSON lacks).
 */
export function mockedBinding<T>(binding: (...args: never[]) => Promise<unknown>): Mock<(...args: never[]) => Promise<T>> {
  return vi.mocked(binding as unknown as Mock<(...args: never[]) => Promise<T>>);
}
