import { ActionIcon, Button, Card, Group, Image, Loader, SimpleGrid, Stack, Text, Textarea, Tooltip } from '@mantine/core';
import { IconArrowLeft, IconArrowRight, IconFile, IconPaperclip, IconX } from '@tabler/icons-react';
import { useRef } from 'react';
import type { Issue, MediaView } from '../../api/posts';
import { formatBytes } from '../../lib/format';
import { IssueList } from './IssueList';
import { useMediaPreview } from './useMediaPreview';

/** What the file picker offers; the networks' own rules decide what they accept. */
export const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,video/mp4,video/quicktime,video/webm';

const segmenter = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : undefined;

/** Characters as people see them (an emoji is one). */
export function graphemes(text: string): number {
  if (!segmenter) {
    return [...text].length;
  }
  return [...segmenter.segment(text)].length;
}

interface ThumbProps {
  media: MediaView;
  index: number;
  count: number;
  withAlt: boolean;
  issues: (field: string) => Issue[];
  testId: string;
  onAlt: (alt: string) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}

function Thumb({ media, index, count, withAlt, issues, testId, onAlt, onMove, onRemove }: ThumbProps) {
  const url = useMediaPreview(media.path, media.mime);
  const isImage = media.mime.startsWith('image/');
  const altIssues = issues(`media[${index}].alt`);
  return (
    <Card padding="xs" data-testid={`${testId}-media-${index}`} data-path={media.path}>
      <Stack gap={6}>
        <Card.Section>
          {isImage && url ? (
            <Image src={url} alt={media.altText} title={media.altText || undefined} h={120} fit="cover" />
          ) : (
            <Group h={120} justify="center" bg="var(--mantine-color-default-hover)">
              {isImage ? <Loader size="sm" aria-label="Loading preview" /> : <IconFile size={36} stroke={1.4} aria-hidden />}
            </Group>
          )}
        </Card.Section>
        <Group justify="space-between" wrap="nowrap" gap={4}>
          <Text size="xs" truncate title={media.name}>
            {media.name} · {formatBytes(media.size)}
          </Text>
          <Group gap={0} wrap="nowrap">
            <Tooltip label="Move earlier">
              <ActionIcon size="sm" variant="subtle" color="gray" disabled={index === 0} onClick={() => onMove(index - 1)} aria-label={`Move ${media.name} earlier`}>
                <IconArrowLeft size={14} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Move later">
              <ActionIcon size="sm" variant="subtle" color="gray" disabled={index === count - 1} onClick={() => onMove(index + 1)} aria-label={`Move ${media.name} later`}>
                <IconArrowRight size={14} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Remove">
              <ActionIcon size="sm" variant="subtle" color="red" onClick={onRemove} aria-label={`Remove ${media.name}`} data-testid={`${testId}-media-remove-${index}`}>
                <IconX size={14} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
        <IssueList issues={issues(`media[${index}]`)} />
        {withAlt && (
          <>
            <Textarea
              label={`Alt text for ${media.name}`}
              description="Describe the image for people who cannot see it."
              value={media.altText}
              onChange={(event) => {
                onAlt(event.currentTarget.value);
              }}
              autosize
              minRows={2}
              maxRows={6}
              size="xs"
              error={altIssues.some((i) => i.severity === 'error')}
              data-testid={`${testId}-alt-${index}`}
            />
            <Group justify="space-between" gap={4} wrap="nowrap" align="flex-start">
              <IssueList issues={altIssues} />
              <Text size="xs" c="dimmed" data-testid={`${testId}-alt-count-${index}`} style={{ flexShrink: 0 }}>
                {graphemes(media.altText)} characters
              </Text>
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}

interface MediaEditorProps {
  media: MediaView[];
  onChange: (media: MediaView[]) => void;
  onFiles: (files: File[]) => void;
  /** Files being copied into Herald right now. */
  importing: number;
  withAlt: boolean;
  issues: (field: string) => Issue[];
  testId: string;
}

/** Attachments: pick or drop files, previews, alt text per image, order and removal. */
export function MediaEditor({ media, onChange, onFiles, importing, withAlt, issues, testId }: MediaEditorProps) {
  const input = useRef<HTMLInputElement>(null);
  const move = (from: number, to: number) => {
    const next = [...media];
    const [item] = next.splice(from, 1);
    if (item) {
      next.splice(to, 0, item);
      onChange(next);
    }
  };
  return (
    <Stack gap="xs">
      <Group gap="sm">
        <Button
          variant="default"
          size="xs"
          leftSection={<IconPaperclip size={14} />}
          onClick={() => input.current?.click()}
          loading={importing > 0}
          data-testid={`${testId}-attach`}
        >
          Attach images or video
        </Button>
        <Text size="xs" c="dimmed">
          or drop files onto the composer
        </Text>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          hidden
          aria-label="Attach files"
          data-testid={`${testId}-file-input`}
          onChange={(event) => {
            const files = [...(event.currentTarget.files ?? [])];
            event.currentTarget.value = '';
            if (files.length > 0) {
              onFiles(files);
            }
          }}
        />
      </Group>
      <IssueList issues={issues('media')} />
      {(media.length > 0 || importing > 0) && (
        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs">
          {media.map((m, i) => (
            <Thumb
              key={`${m.path}-${i}`}
              media={m}
              index={i}
              count={media.length}
              withAlt={withAlt}
              issues={issues}
              testId={testId}
              onAlt={(altText) => {
                onChange(media.map((x, j) => (j === i ? { ...x, altText } : x)));
              }}
              onMove={(to) => {
                move(i, to);
              }}
              onRemove={() => {
                onChange(media.filter((_, j) => j !== i));
              }}
            />
          ))}
          {Array.from({ length: importing }, (_, i) => (
            <Card key={`importing-${i}`} padding="xs">
              <Group h={120} justify="center">
                <Loader size="sm" aria-label="Attaching a file" />
              </Group>
            </Card>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
