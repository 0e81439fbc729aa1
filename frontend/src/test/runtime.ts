import { act } from '@testing-library/react';

type Listener = (...data: unknown[]) => void;

export interface FakeRuntime {
  /** Sends a backend event to every listener, as the Wails runtime would. */
  emit: (name: string, payload?: unknown) => void;
  /** How many listeners an event has: 0 after every component let go of it. */
  listeners: (name: string) => number;
  /** The URLs BrowserOpenURL was asked to open. */
  opened: string[];
  /** The texts ClipboardSetText was asked to copy. */
  copied: string[];
  uninstall: () => void;
}

/**
 * Installs a stand-in for window.runtime (the part of the Wails runtime
 * Herald uses): events, the system browser and the clipboard. Plain
 * functions rather than vi.fn, which mockReset would empty between tests.
 */
export function installRuntime(): FakeRuntime {
  const listeners = new Map<string, Set<Listener>>();
  const opened: string[] = [];
  const copied: string[] = [];
  const runtime = {
    EventsOnMultiple(name: string, callback: Listener) {
      const set = listeners.get(name) ?? new Set<Listener>();
      listeners.set(name, set);
      // A wrapper per call, so one callback registered twice unsubscribes twice.
      const entry: Listener = (...data) => {
        callback(...data);
      };
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    EventsOff(name: string) {
      listeners.delete(name);
    },
    BrowserOpenURL(url: string) {
      opened.push(url);
    },
    ClipboardSetText(text: string) {
      copied.push(text);
      return Promise.resolve(true);
    },
  };
  Object.defineProperty(window, 'runtime', { value: runtime, configurable: true, writable: true });
  return {
    emit(name, payload) {
      act(() => {
        for (const listener of [...(listeners.get(name) ?? [])]) {
          listener(payload);
        }
      });
    },
    listeners: (name) => listeners.get(name)?.size ?? 0,
    opened,
    copied,
    uninstall() {
      Reflect.deleteProperty(window, 'runtime');
    },
  };
}
