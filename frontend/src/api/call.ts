import { AppError, toAppError } from './errors';

/** Code of the error raised when the page runs without Herald's backend. */
export const NO_BACKEND = 'no_backend';

/** True when the Wails runtime has injected the Go bindings. */
export function hasBackend(): boolean {
  return typeof window !== 'undefined' && 'go' in window;
}

const noBackend = () =>
  new AppError({
    code: NO_BACKEND,
    message: "Herald's backend is not connected to this window.",
    hint: 'Start Herald as the desktop app (or with wails dev); this page does not work on its own in a browser.',
  });

/** Runs one binding call; any failure leaves it as an AppError. */
export async function call<T>(binding: () => Promise<T>): Promise<T> {
  try {
    return await binding();
  } catch (err) {
    throw hasBackend() ? toAppError(err) : noBackend();
  }
}
