import { ActionIcon, Alert, Button, Checkbox, Group, Select, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconInfoCircle, IconPlus, IconX } from '@tabler/icons-react';
import type { Issue } from '../../api/posts';
import type { SearchChannel } from '../../api/search';
import { MentionTextarea } from '../../components/MentionAutocomplete';
import type { EditorChecks } from './checks';
import type { Content } from './composerState';
import { IssueList } from './IssueList';
import { MediaEditor } from './MediaEditor';
import { OverflowPreview } from './OverflowPreview';
import { TextCounter } from './TextCounter';

/** Mastodon's visibilities, as people read them. */
export const VISIBILITIES = [
  { value: 'public', label: 'Public' },
  { value: 'unlisted', label: 'Unlisted (public, but not in timelines)' },
  { value: 'private', label: 'Followers only' },
  { value: 'direct', label: 'Mentioned people only' },
];

export type { EditorChecks } from './checks';

interface VariantEditorProps {
  content: Content;
  onChange: (patch: Partial<Content>) => void;
  /** The capabilities whose controls to show. */
  caps: readonly string[];
  checks: EditorChecks;
  /** Prefix of the data-testids: "compose" for the base, "compose-variant-12" for a channel. */
  testId: string;
  /** Why a control is missing, e.g. "Bluesky has no content warnings." */
  notes: string[];
  importing: number;
  onFiles: (files: File[]) => void;
  /** Text shown in the empty editor. */
  placeholder: string;
  /** The channel @mentions are looked up through; none: no autocompletion. */
  mentionChannel?: SearchChannel | undefined;
}

/** A field with an error: its issues are listed under it and its overflow marked, so the box itself stays as it is. */
function errorOf(issues: Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/** The text, thread, first comment, options and attachments of one variant (or the base). */
export function VariantEditor({
  content,
  onChange,
  caps,
  checks,
  testId,
  notes,
  importing,
  onFiles,
  placeholder,
  mentionChannel,
}: VariantEditorProps) {
  const has = (cap: string) => caps.includes(cap);
  const setOption = (key: string, value: string) => {
    onChange({ options: { ...content.options, [key]: value } });
  };
  const textIssues = checks.issues('text');

  return (
    <Stack gap="md">
      {has('content_warning') && (
        <TextInput
          label="Content warning"
          description="Shown instead of the post until people choose to read it. It counts towards the length."
          placeholder="Optional, e.g. Spoilers"
          value={content.options.content_warning ?? ''}
          onChange={(event) => {
            setOption('content_warning', event.currentTarget.value);
          }}
          data-testid={`${testId}-cw`}
        />
      )}

      <Stack gap={4}>
        <MentionTextarea
          label="Text"
          placeholder={placeholder}
          value={content.text}
          onChange={(text) => {
            onChange({ text });
          }}
          channel={mentionChannel}
          autosize
          minRows={5}
          maxRows={18}
          aria-describedby={textIssues.length > 0 ? `${testId}-text-issues` : undefined}
          data-testid={`${testId}-text`}
        />
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <IssueList issues={textIssues} id={`${testId}-text-issues`} />
          <TextCounter counts={checks.counts('text')} />
        </Group>
        <OverflowPreview text={content.text} counts={checks.counts('text')} />
      </Stack>

      {has('threads') && (
        <Stack gap="xs">
          {content.thread.map((item, i) => {
            const field = `thread[${i}]`;
            const issues = checks.issues(field);
            return (
              <Stack key={i} gap={4} pl="md" style={{ borderLeft: '2px solid var(--mantine-color-default-border)' }}>
                <Group gap="xs" align="flex-end" wrap="nowrap">
                  <MentionTextarea
                    label={`Follow-up ${i + 1}`}
                    description={i === 0 ? 'Published as a reply to the post, making a thread.' : undefined}
                    value={item}
                    onChange={(value) => {
                      onChange({ thread: content.thread.map((t, j) => (j === i ? value : t)) });
                    }}
                    channel={mentionChannel}
                    autosize
                    minRows={2}
                    maxRows={10}
                    style={{ flex: 1 }}
                    data-testid={`${testId}-thread-${i}`}
                  />
                  <Tooltip label="Remove this follow-up">
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      mb={4}
                      aria-label={`Remove follow-up ${i + 1}`}
                      onClick={() => {
                        onChange({ thread: content.thread.filter((_, j) => j !== i) });
                      }}
                    >
                      <IconX size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Group>
                <Group justify="space-between" align="flex-start" wrap="nowrap">
                  <IssueList issues={issues} />
                  <TextCounter counts={checks.counts(field)} />
                </Group>
                <OverflowPreview text={item} counts={checks.counts(field)} />
              </Stack>
            );
          })}
          <IssueList issues={checks.issues('thread')} />
          <Group>
            <Button
              variant="subtle"
              size="xs"
              leftSection={<IconPlus size={14} />}
              onClick={() => {
                onChange({ thread: [...content.thread, ''] });
              }}
              data-testid={`${testId}-add-follow-up`}
            >
              Add a follow-up (thread)
            </Button>
          </Group>
        </Stack>
      )}

      {has('first_comment') && (
        <Stack gap={4}>
          <MentionTextarea
            label="First comment"
            description="Posted as your own reply right after the post, e.g. for links or hashtags."
            placeholder="Optional"
            value={content.firstComment}
            onChange={(firstComment) => {
              onChange({ firstComment });
            }}
            channel={mentionChannel}
            autosize
            minRows={1}
            maxRows={8}
            error={errorOf(checks.issues('first_comment'))}
            data-testid={`${testId}-first-comment`}
          />
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <IssueList issues={checks.issues('first_comment')} />
            <TextCounter counts={checks.counts('first_comment')} />
          </Group>
        </Stack>
      )}

      {has('media') && (
        <MediaEditor
          media={content.media}
          onChange={(media) => {
            onChange({ media });
          }}
          onFiles={onFiles}
          importing={importing}
          withAlt={has('alt_text')}
          issues={checks.issues}
          testId={testId}
        />
      )}

      <Group gap="md" align="flex-end" wrap="wrap">
        {has('visibility') && (
          <Select
            label="Visibility"
            data={VISIBILITIES}
            value={content.options.visibility || 'public'}
            onChange={(value) => {
              setOption('visibility', value ?? '');
            }}
            allowDeselect={false}
            w={280}
            comboboxProps={{ withinPortal: false }}
            data-testid={`${testId}-visibility`}
          />
        )}
        <TextInput
          label="Language (optional)"
          placeholder="e.g. en"
          value={content.options.language ?? ''}
          onChange={(event) => {
            setOption('language', event.currentTarget.value.trim());
          }}
          w={160}
          data-testid={`${testId}-language`}
        />
        {has('content_warning') && content.media.length > 0 && (
          <Checkbox
            label="Mark attachments as sensitive"
            checked={content.options.sensitive === 'true' || (content.options.content_warning ?? '') !== ''}
            disabled={(content.options.content_warning ?? '') !== ''}
            onChange={(event) => {
              setOption('sensitive', event.currentTarget.checked ? 'true' : '');
            }}
            mb={8}
          />
        )}
      </Group>

      {notes.length > 0 && (
        <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} />} p="sm" data-testid={`${testId}-notes`}>
          <Stack gap={4}>
            {notes.map((note) => (
              <Text key={note} size="sm">
                {note}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}
