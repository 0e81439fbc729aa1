import { useSyncExternalStore } from 'react';
import { type ClockSetting, getClockSetting, subscribeClockSetting } from './format';

/** The Clock setting; a component using it shows times again when it changes. */
export function useClockSetting(): ClockSetting {
  return useSyncExternalStore(subscribeClockSetting, getClockSetting, getClockSetting);
}
