import { Group, Text, Tooltip } from '@mantine/core';
import type { Count } from '../../api/posts';

/** Red past the limit, orange within the last tenth of it, grey otherwise. */
export function counterColor(used: number, max: number): string {
  if (max <= 0) {
    return 'dimmed';
  }
  if (used > max) {
    return 'red';
  }
  if (max - used <= Math.max(10, Math.floor(max / 10))) {
    return 'orange';
  }
  return 'dimmed';
}

export interface LabelledCount {
  /** Whose limit it is: "Bluesky", "Mastodon on social.example". */
  label: string;
  count: Count;
}

function CounterLine({ label, count, showLabel }: LabelledCount & { showLabel: boolean }) {
  const chars = count.max > 0 ? `${count.chars}/${count.max}` : `${count.chars}`;
  const remaining = count.max > 0 ? (count.remaining >= 0 ? `${count.remaining} left` : `${-count.remaining} over`) : '';
  const extra: string[] = [];
  if (count.urls > 0) {
    extra.push(`${count.urls} link${count.urls === 1 ? '' : 's'}`);
  }
  if (count.contentWarning > 0) {
    extra.push(`includes ${count.contentWarning} for the content warning`);
  }
  return (
    <Group gap={8} wrap="nowrap" data-testid="text-counter" data-label={label}>
      {showLabel && (
        <Text size="xs" c="dimmed" truncate maw={180}>
          {label}
        </Text>
      )}
      <Tooltip label={extra.join(' · ') || 'Characters as the network counts them'} events={{ hover: true, focus: true, touch: false }}>
        <Text size="xs" fw={600} c={counterColor(count.chars, count.max)} tabIndex={0} data-testid="char-count">
          {chars}
          {remaining && <Text span size="xs" fw={400}>{` · ${remaining}`}</Text>}
        </Text>
      </Tooltip>
      {count.maxBytes > 0 && (
        <Text size="xs" c={counterColor(count.bytes, count.maxBytes)} data-testid="byte-count">
          {count.bytes}/{count.maxBytes} bytes
        </Text>
      )}
    </Group>
  );
}

/** Live character counts of one text, per network whose limit applies. */
export function TextCounter({ counts }: { counts: LabelledCount[] }) {
  if (counts.length === 0) {
    return null;
  }
  const showLabel = counts.length > 1;
  return (
    <Group gap="md" justify="flex-end" wrap="wrap">
      {counts.map((c) => (
        <CounterLine key={c.label} {...c} showLabel={showLabel} />
      ))}
    </Group>
  );
}
