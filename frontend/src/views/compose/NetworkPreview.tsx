import { Badge, Box, Button, Group, Image, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconLock, IconMail, IconMessageCircle, IconWorld, IconWorldOff } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import type { MediaView } from '../../api/posts';
import type { ChannelView } from '../../api/types';
import { ChannelAvatar } from '../channels/ChannelAvatar';
import { channelName, formatHandle } from '../channels/channelText';
import type { Content } from './composerState';
import { useMediaPreview } from './useMediaPreview';

const TOKEN = /(https?:\/\/[^\s<>]+[^\s<>.,;:!?'")\]]|(?<![\w@])@[\w.-]+(?:@[\w.-]+\w)?|(?<!\w)#[\p{L}\p{N}_]+)/gu;

/** Text with links, mentions and hashtags highlighted as the networks show them. */
export function highlight(text: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index;
    parts.push(text.slice(last, start));
    parts.push(
      <Text span key={start} c="indigo" data-testid="preview-link">
        {match[0]}
      </Text>,
    );
    last = start + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

const VISIBILITY_ICON: Record<string, { icon: typeof IconWorld; label: string }> = {
  public: { icon: IconWorld, label: 'Public' },
  unlisted: { icon: IconWorldOff, label: 'Unlisted' },
  private: { icon: IconLock, label: 'Followers only' },
  direct: { icon: IconMail, label: 'Mentioned people only' },
};

function PreviewImage({ media }: { media: MediaView }) {
  const url = useMediaPreview(media.path, media.mime);
  return (
    <Box pos="relative" title={media.altText || 'No alt text'}>
      {url ? (
        <Image src={url} alt={media.altText} h={110} fit="cover" radius="sm" />
      ) : (
        <Box h={110} bg="var(--mantine-color-default-hover)" style={{ borderRadius: 4 }} />
      )}
      {media.altText && (
        <Badge size="xs" variant="filled" color="dark" pos="absolute" bottom={4} left={4}>
          ALT
        </Badge>
      )}
    </Box>
  );
}

function Author({ channel }: { channel: ChannelView }) {
  return (
    <Group gap={8} wrap="nowrap">
      <ChannelAvatar src={channel.avatarUrl} name={channelName(channel)} size={34} />
      <div style={{ minWidth: 0 }}>
        <Text size="sm" fw={600} truncate>
          {channel.displayName || formatHandle(channel.handle)}
        </Text>
        <Text size="xs" c="dimmed" truncate>
          {formatHandle(channel.handle)} · now
        </Text>
      </div>
    </Group>
  );
}

function Body({ text, warning, media }: { text: string; warning?: string | undefined; media?: MediaView[] }) {
  const [shown, setShown] = useState(false);
  const hidden = Boolean(warning) && !shown;
  return (
    <Stack gap={6}>
      {warning && (
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" fw={500}>
            {warning}
          </Text>
          <Button size="compact-xs" variant="light" onClick={() => setShown((s) => !s)}>
            {shown ? 'Show less' : 'Show more'}
          </Button>
        </Group>
      )}
      {!hidden && (
        <>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {highlight(text)}
          </Text>
          {media && media.length > 0 && (
            <SimpleGrid cols={media.length === 1 ? 1 : 2} spacing={4}>
              {media.map((m, i) => (
                <PreviewImage key={`${m.path}-${i}`} media={m} />
              ))}
            </SimpleGrid>
          )}
        </>
      )}
    </Stack>
  );
}

function Reply({ channel, label, children }: { channel: ChannelView; label: string; children: ReactNode }) {
  return (
    <Box pl="md" ml={16} style={{ borderLeft: '2px solid var(--mantine-color-default-border)' }}>
      <Stack gap={6} pt="xs">
        <Group gap={6}>
          <IconMessageCircle size={13} stroke={1.7} aria-hidden />
          <Text size="xs" c="dimmed">
            {label}
          </Text>
        </Group>
        <Author channel={channel} />
        {children}
      </Stack>
    </Box>
  );
}

/** A plain rendering of how one variant will look on its network. */
export function NetworkPreview({ channel, content }: { channel: ChannelView; content: Content }) {
  const visibility = VISIBILITY_ICON[content.options.visibility ?? ''];
  const warning = content.options.content_warning?.trim() || undefined;
  const empty = !content.text.trim() && content.media.length === 0;
  return (
    <Paper withBorder p="sm" data-testid={`preview-${channel.id}`} aria-label={`Preview on ${channel.networkName}`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Author channel={channel} />
          {visibility && (
            <Group gap={4} wrap="nowrap">
              <visibility.icon size={14} aria-hidden />
              <Text size="xs" c="dimmed">
                {visibility.label}
              </Text>
            </Group>
          )}
        </Group>
        {empty ? (
          <Text size="sm" c="dimmed" fs="italic">
            Nothing to show yet.
          </Text>
        ) : (
          <Body text={content.text} warning={warning} media={content.media} />
        )}
        {content.thread.map((item, i) => (
          <Reply key={i} channel={channel} label={`Follow-up ${i + 1}`}>
            <Body text={item} warning={warning} />
          </Reply>
        ))}
        {content.firstComment.trim() && (
          <Reply channel={channel} label="First comment">
            <Body text={content.firstComment} />
          </Reply>
        )}
      </Stack>
    </Paper>
  );
}
