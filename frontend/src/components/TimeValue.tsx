import { Text } from '@mantine/core';
import { useNow } from '../hooks/useNow';
import { formatDateTime, formatRelative, parseTime } from '../lib/format';
import { useClockSetting } from '../time/useClock';

interface TimeValueProps {
  /** RFC 3339 time from the backend; "" for none. */
  iso: string;
  /** Shown when there is no time. */
  none?: string;
  /**
   * The time of something that happened (a last reading): never said to
   * be ahead, though the page's clock ticks only now and then and may be a
   * little behind it.
   */
  past?: boolean;
}

/** A time in the computer's zone (Herald's one style), with how long ago it was. */
export function TimeValue({ iso, none = 'Not known', past = false }: TimeValueProps) {
  const now = useNow();
  useClockSetting();
  const date = parseTime(iso);
  if (!date) {
    return (
      <Text size="sm" c="dimmed">
        {none}
      </Text>
    );
  }
  return (
    <Text size="sm">
      <time dateTime={iso} title={date.toString()}>
        {formatDateTime(date)}
      </time>
      <Text span c="dimmed" size="sm">
        {' · '}
        {formatRelative(past && date > now ? now : date, now)}
      </Text>
    </Text>
  );
}
