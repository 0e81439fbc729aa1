/** True when the Wails runtime is present (the desktop app; not unit tests or a plain browser). */
export function hasRuntime(): boolean {
  return typeof window !== 'undefined' && typeof window.runtime === 'object' && window.runtime !== null;
}
