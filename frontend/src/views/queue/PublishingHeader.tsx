import { Anchor, Badge, Button, Group, Text, Tooltip } from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useNow } from '../../hooks/useNow';
import { parseTime } from '../../lib/format';
import { formatDateTime } from '../../time/format';
import { useClockSetting } from '../../time/useClock';
import { usePublishing } from './usePublishingStatus';

/** The header's publishing line: the next post due, what needs attention, and Pause all publishing. */
export function PublishingHeader() {
  const { status, paused, switching, setPaused } = usePublishing();
  const now = useNow();
  useClockSetting();
  const data = status.data;
  const next = parseTime(data?.nextDueAt);
  const needs = data?.needsAction ?? 0;

  return (
    <Group gap="md" wrap="nowrap" miw={0} data-testid="publishing-header">
      {data && (
        <Text size="sm" c="dimmed" truncate maw={360} data-testid="next-post">
          {next ? (
            <>
              Next:{' '}
              <Anchor component={Link} to={`/posts/${data.nextPostId}`} size="sm" fw={500}>
                “{data.nextTitle || 'Untitled post'}”
              </Anchor>{' '}
              at {formatDateTime(next, { now })}
            </>
          ) : (
            'Nothing scheduled'
          )}
        </Text>
      )}
      {needs > 0 && (
        <Badge
          component={Link}
          to="/queue?tab=attention"
          color="red"
          variant="light"
          tt="none"
          style={{ cursor: 'pointer' }}
          data-testid="needs-attention-count"
        >
          {needs} need{needs === 1 ? 's' : ''} attention
        </Badge>
      )}
      <Tooltip
        label={
          paused
            ? 'Publishing is paused: nothing goes out until you resume.'
            : 'Stop every post from going out until you resume. Works offline, at once.'
        }
      >
        <Button
          size="xs"
          variant={paused ? 'filled' : 'default'}
          color={paused ? 'orange' : 'gray'}
          leftSection={paused ? <IconPlayerPlay size={14} /> : <IconPlayerPause size={14} />}
          onClick={() => {
            setPaused(!paused);
          }}
          loading={switching}
          disabled={paused === undefined}
          aria-pressed={paused === true}
          data-testid="pause-toggle"
          data-paused={paused === true}
        >
          {paused ? 'Resume publishing' : 'Pause all publishing'}
        </Button>
      </Tooltip>
    </Group>
  );
}
