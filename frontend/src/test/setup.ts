import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy… and waitFor wait longer than the default second: a loaded CI machine is slow.
configure({ asyncUtilTimeout: 5000 });

// jsdom lacks what Mantine needs from a browser.
window.matchMedia = (query: string): MediaQueryList => ({
  matches: false,
  media: query,
  onchange: null,
  addListener: () => undefined,
  removeListener: () => undefined,
  addEventListener: () => undefined,
  removeEventListener: () => undefined,
  dispatchEvent: () => false,
});

class ResizeObserverStub {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
window.ResizeObserver = ResizeObserverStub;
window.HTMLElement.prototype.scrollIntoView = () => undefined;
// Lists drawn in part (VirtualList) keep the view steady by scrolling the window.
window.scrollTo = () => undefined;
// Textarea autosize listens for web fonts loading.
Object.defineProperty(document, 'fonts', {
  value: { addEventListener: () => undefined, removeEventListener: () => undefined, ready: Promise.resolve() },
  configurable: true,
});

// The bindings themselves are mocked per test; this only tells api/call.ts
// that a backend is present, as it is in the desktop app.
Object.defineProperty(window, 'go', { value: {}, configurable: true, writable: true });

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});
