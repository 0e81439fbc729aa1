import { Alert, Anchor, Button, Card, Group, Kbd, NumberInput, SegmentedControl, Select, Stack, Switch, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconAlertCircle, IconCalendarTime, IconDeviceFloppy, IconListNumbers, IconSend } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { AppError } from '../../api/errors';
import type { MissedPolicy } from '../../api/posts';
import { isMac } from '../../lib/platform';
import { type When, WhenFields } from '../posts/WhenFields';

/** How the post goes out. */
export type Mode = 'schedule' | 'queue' | 'now';

export const PRIMARY_LABEL: Record<Mode, string> = { schedule: 'Schedule', queue: 'Add to queue', now: 'Publish now' };

const POLICIES: { value: MissedPolicy; label: string }[] = [
  { value: 'publish_late', label: 'Publish late, within a grace window' },
  { value: 'skip', label: 'Skip it' },
  { value: 'ask', label: 'Ask me' },
];

function policyHelp(policy: MissedPolicy, grace: number): string {
  switch (policy) {
    case 'publish_late':
      return `If this computer was asleep or Herald was closed at the time, Herald publishes it as soon as it can, up to ${grace} minutes late; later than that it is skipped and listed under Needs attention.`;
    case 'skip':
      return 'If Herald could not publish at the time, it does not publish late: the post is listed as not published (a queued post moves to its next free slot).';
    case 'ask':
      return 'If Herald could not publish at the time, it waits and asks you: publish now, pick a new time, or skip.';
    default:
      return '';
  }
}

export interface Handoff {
  /** Every selected channel's network can schedule posts itself. */
  available: boolean;
  on: boolean;
  /** The networks' own words on their scheduling (limitations). */
  notes: string[];
}

interface SchedulePanelProps {
  mode: Mode;
  onMode: (mode: Mode) => void;
  when: When;
  onWhen: (when: When) => void;
  whenError: string | undefined;
  missedPolicy: MissedPolicy;
  graceMinutes: number;
  onPolicy: (policy: MissedPolicy, graceMinutes: number) => void;
  handoff: Handoff;
  onHandoff: (on: boolean) => void;
  channelCount: number;
  /** Why the post cannot be published yet, if it cannot. */
  blockers: string[];
  busy: 'save' | 'primary' | undefined;
  primaryDisabled: boolean;
  /** Why the main button is disabled, when it is (and not merely busy). */
  primaryReason?: string | undefined;
  onPrimary: () => void;
  onSave: () => void;
  /** "Save draft", or "Save changes" for a post that is already scheduled. */
  saveLabel: string;
  actionError: AppError | undefined;
}

/** When and how the post goes out, and the buttons that do it. */
export function SchedulePanel(props: SchedulePanelProps) {
  const { mode, handoff, channelCount, busy, actionError } = props;
  const mod = isMac() ? '⌘' : 'Ctrl';
  const PrimaryIcon = mode === 'schedule' ? IconCalendarTime : mode === 'queue' ? IconListNumbers : IconSend;
  return (
    <Card component="section" aria-label="When to publish" data-testid="schedule-panel">
      <Stack gap="md">
        <Title order={2} fz="md">
          When
        </Title>
        <SegmentedControl
          value={mode}
          onChange={(value) => {
            props.onMode(value);
          }}
          data={[
            { value: 'schedule', label: <span data-testid="compose-mode-schedule">At a time</span> },
            { value: 'queue', label: <span data-testid="compose-mode-queue">Next queue slot</span> },
            { value: 'now', label: <span data-testid="compose-mode-now">Now</span> },
          ]}
          aria-label="When to publish"
        />
        {mode === 'schedule' && <WhenFields value={props.when} onChange={props.onWhen} error={props.whenError} testId="compose" />}
        {mode === 'queue' && (
          <Text size="sm" c="dimmed">
            Each channel&apos;s variant goes into that channel&apos;s next free posting time. Set the times under{' '}
            <Anchor component={Link} to="/settings/queue" size="sm">
              Settings → Queue
            </Anchor>
            .
          </Text>
        )}
        {mode === 'now' && (
          <Text size="sm" c="dimmed">
            Herald publishes to {channelCount === 1 ? 'the selected channel' : `all ${channelCount} selected channels`} as soon as you click.
          </Text>
        )}

        {mode !== 'now' && (
          <Stack gap={6}>
            <Group gap="sm" align="flex-end" wrap="wrap">
              <Select
                label="If Herald misses the time"
                data={POLICIES}
                value={props.missedPolicy}
                onChange={(value) => {
                  if (value) {
                    props.onPolicy(value, props.graceMinutes);
                  }
                }}
                allowDeselect={false}
                w={300}
                comboboxProps={{ withinPortal: false }}
                data-testid="compose-missed-policy"
              />
              {props.missedPolicy === 'publish_late' && (
                <NumberInput
                  label="Grace window"
                  value={props.graceMinutes}
                  onChange={(value) => {
                    props.onPolicy(props.missedPolicy, typeof value === 'number' ? value : props.graceMinutes);
                  }}
                  min={1}
                  max={7 * 24 * 60}
                  allowDecimal={false}
                  allowNegative={false}
                  suffix=" minutes"
                  w={160}
                  data-testid="compose-grace"
                />
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {policyHelp(props.missedPolicy, props.graceMinutes)}
            </Text>
          </Stack>
        )}

        {mode !== 'now' && handoff.available && (
          <Stack gap={4}>
            <Switch
              label="Hand off to the network's scheduler so it posts even if this computer sleeps"
              checked={handoff.on}
              onChange={(event) => {
                props.onHandoff(event.currentTarget.checked);
              }}
              data-testid="compose-handoff"
            />
            <Text size="xs" c="dimmed" pl={54}>
              Herald sends the post to the network ahead of time and the network publishes it at the time you chose, even if
              Herald is closed. Herald falls back to publishing it itself where the network cannot take it.
              {handoff.notes.length > 0 && ` ${handoff.notes.join(' ')}`}
            </Text>
          </Stack>
        )}

        {props.blockers.length > 0 && channelCount > 0 && (
          <Alert variant="light" color="red" icon={<IconAlertCircle size={18} />} p="sm" data-testid="compose-blockers">
            <Stack gap={2}>
              <Text size="sm" fw={500}>
                Fix these before publishing (you can still save a draft):
              </Text>
              {props.blockers.map((b) => (
                <Text key={b} size="sm">
                  {b}
                </Text>
              ))}
            </Stack>
          </Alert>
        )}

        {actionError && (
          <Alert variant="light" color="red" title={actionError.message} data-testid="compose-action-error" data-code={actionError.code}>
            {actionError.hint && <Text size="sm">{actionError.hint}</Text>}
            {actionError.field === 'queue' && (
              <Anchor component={Link} to="/settings/queue" size="sm">
                Open Settings → Queue
              </Anchor>
            )}
          </Alert>
        )}

        <Group justify="space-between" wrap="wrap">
          <Text size="xs" c="dimmed">
            <Kbd size="xs">{mod}</Kbd> + <Kbd size="xs">Enter</Kbd> {PRIMARY_LABEL[mode].toLowerCase()} · <Kbd size="xs">{mod}</Kbd> +{' '}
            <Kbd size="xs">S</Kbd> {props.saveLabel.toLowerCase()}
          </Text>
          <Group gap="sm">
            <Button
              variant="default"
              leftSection={<IconDeviceFloppy size={16} />}
              onClick={props.onSave}
              loading={busy === 'save'}
              disabled={channelCount === 0 || busy === 'primary'}
              data-testid="compose-save-draft"
            >
              {props.saveLabel}
            </Button>
            {/* aria-disabled rather than disabled: the button stays in the tab
                order, so keyboard and screen reader users can reach it and
                hear why it does nothing (the tooltip and aria-describedby). */}
            <Tooltip label={props.primaryReason} disabled={!props.primaryReason} multiline maw={360} events={{ hover: true, focus: true, touch: true }}>
              <Button
                leftSection={<PrimaryIcon size={16} />}
                onClick={() => {
                  if (!props.primaryDisabled) {
                    props.onPrimary();
                  }
                }}
                loading={busy === 'primary'}
                data-disabled={props.primaryDisabled || undefined}
                aria-disabled={props.primaryDisabled || undefined}
                aria-describedby={props.primaryReason ? 'compose-primary-reason' : undefined}
                data-testid={mode === 'schedule' ? 'compose-schedule' : mode === 'queue' ? 'compose-add-to-queue' : 'compose-publish-now'}
              >
                {PRIMARY_LABEL[mode]}
              </Button>
            </Tooltip>
            {props.primaryReason && <VisuallyHidden id="compose-primary-reason">{props.primaryReason}</VisuallyHidden>}
          </Group>
        </Group>
      </Stack>
    </Card>
  );
}
