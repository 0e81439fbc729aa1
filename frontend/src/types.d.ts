/** Injected by the Wails runtime in the desktop app; absent in a plain browser. */
interface Window {
  go?: unknown;
  runtime?: unknown;
}
