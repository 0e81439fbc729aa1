import { Alert, Anchor, Badge, Button, Checkbox, Fieldset, Group, List, Modal, Select, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import { useState } from 'react';
import { toAppError } from '../../api/errors';
import { createRule, type InboxRule, type InboxRuleForm, type InboxRulePreview, previewRule, updateRule } from '../../api/inbox';
import type { ChannelView, TeamView } from '../../api/types';
import { parseTime } from '../../lib/format';
import { formatDateTime } from '../../time/format';
import { channelLabel } from '../channels/channelText';

/** A new rule's form: on, with nothing chosen yet. */
export const EMPTY_RULE: InboxRuleForm = {
  name: '',
  enabled: true,
  textContains: '',
  authorIs: '',
  kind: '',
  channelId: 0,
  addLabel: '',
  markDone: false,
  teamId: 0,
  notify: false,
};

export function ruleForm(rule: InboxRule): InboxRuleForm {
  return {
    name: rule.name,
    enabled: rule.enabled,
    textContains: rule.textContains,
    authorIs: rule.authorIs,
    kind: rule.kind,
    channelId: rule.channelId,
    addLabel: rule.addLabel,
    markDone: rule.markDone,
    teamId: rule.teamId,
    notify: rule.notify,
  };
}

const KINDS = [
  { value: '', label: 'Any kind' },
  { value: 'mention', label: 'Mention' },
  { value: 'reply', label: 'Reply' },
  { value: 'quote', label: 'Quote' },
  { value: 'message', label: 'Direct message' },
];

/** How many matches one page of the preview shows. */
export const PREVIEW_PAGE = 10;

/** The fields an error can name, and the ones shown above a group instead. */
type FieldErrors = Partial<Record<keyof InboxRuleForm | 'conditions' | 'actions' | 'form', string>>;

function errorText(err: unknown): { field: string; text: string } {
  const e = toAppError(err);
  return { field: e.field ?? 'form', text: e.hint ? `${e.message} ${e.hint}` : e.message };
}

function PreviewResult({ preview, onMore, loading }: { preview: InboxRulePreview; onMore: () => void; loading: boolean }) {
  const shown = preview.offset + preview.items.length;
  return (
    <Stack gap="xs" data-testid="rule-preview">
      <Text size="sm" fw={500} role="status">
        {preview.matched === 0
          ? `No match among the ${preview.scanned} newest items.`
          : `Matches ${preview.matched} of the ${preview.scanned} newest items.`}
      </Text>
      {preview.matched > 0 && preview.actions.length > 0 && (
        <Text size="sm">For each, it would {preview.actions.join(', ')}.</Text>
      )}
      {preview.matched > 0 && preview.actions.length === 0 && (
        <Text size="sm" c="dimmed">
          It has no action yet: choose what it does below.
        </Text>
      )}
      {preview.items.length > 0 && (
        <List spacing={6} size="sm" listStyleType="none" aria-label="Matching items, newest first" data-testid="rule-preview-items">
          {preview.items.map((item) => {
            const at = parseTime(item.createdAt);
            return (
              <List.Item key={item.id}>
                <Text size="sm" span fw={500}>
                  {item.authorName || item.authorHandle}
                </Text>{' '}
                <Text size="xs" span c="dimmed">
                  {item.kind} · {item.channelName}
                  {at ? ` · ${formatDateTime(at)}` : ''}
                </Text>
                <Text size="sm" lineClamp={2}>
                  {item.text}
                </Text>
              </List.Item>
            );
          })}
        </List>
      )}
      {shown < preview.matched && (
        <Group>
          <Anchor component="button" type="button" size="sm" onClick={onMore} disabled={loading}>
            Show the next {Math.min(PREVIEW_PAGE, preview.matched - shown)} of {preview.matched - shown} more
          </Anchor>
        </Group>
      )}
    </Stack>
  );
}

interface RuleDialogProps {
  /** The rule to edit; undefined adds one. */
  rule: InboxRule | undefined;
  channels: ChannelView[];
  teams: TeamView[];
  onClose: () => void;
  onSaved: (rule: InboxRule) => void;
}

/** Add or edit an inbox rule: name, conditions (all must hold), actions, its switch, and a test on the newest items. */
export function RuleDialog({ rule, channels, teams, onClose, onSaved }: RuleDialogProps) {
  const [form, setForm] = useState<InboxRuleForm>(rule ? ruleForm(rule) : EMPTY_RULE);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const [preview, setPreview] = useState<InboxRulePreview | undefined>(undefined);
  const [previewError, setPreviewError] = useState<string | undefined>(undefined);
  const [testing, setTesting] = useState(false);

  const set = (change: Partial<InboxRuleForm>) => {
    setForm((f) => ({ ...f, ...change }));
    setErrors({});
    // A preview of other conditions would mislead.
    setPreview(undefined);
    setPreviewError(undefined);
  };

  const save = async () => {
    setSaving(true);
    setErrors({});
    try {
      const saved = rule ? await updateRule(rule.id, form) : await createRule(form);
      onSaved(saved);
    } catch (err) {
      const { field, text } = errorText(err);
      setErrors({ [field]: text });
    } finally {
      setSaving(false);
    }
  };

  const test = async (offset: number) => {
    setTesting(true);
    setPreviewError(undefined);
    try {
      const page = await previewRule(form, offset, PREVIEW_PAGE);
      setPreview((before) => (offset > 0 && before ? { ...page, offset: 0, items: [...before.items, ...page.items] } : page));
    } catch (err) {
      setPreview(undefined);
      setPreviewError(errorText(err).text);
    } finally {
      setTesting(false);
    }
  };

  const channelOptions = [
    { value: '0', label: 'Any channel' },
    ...channels.map((c) => ({ value: String(c.id), label: `${channelLabel(c)} · ${c.networkName}` })),
  ];
  // A rule's channel removed since keeps its place in the list, named.
  if (form.channelId !== 0 && !channels.some((c) => c.id === form.channelId)) {
    channelOptions.push({ value: String(form.channelId), label: rule?.channelName || `Channel ${form.channelId}` });
  }
  const teamOptions = [{ value: '0', label: 'No team' }, ...teams.map((t) => ({ value: String(t.id), label: t.name }))];
  const combobox = { withinPortal: false } as const;
  const title = rule ? `Edit the rule ${rule.name}` : 'Add a rule';

  return (
    <Modal opened onClose={onClose} title={title} size="lg" centered data-testid="rule-dialog">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
        noValidate
      >
        <Stack gap="md">
          <TextInput
            label="Name"
            description="What the rule is for, as the list shows it."
            placeholder="e.g. Refund requests"
            value={form.name}
            onChange={(e) => {
              set({ name: e.currentTarget.value });
            }}
            error={errors.name}
            maxLength={80}
            required
            data-autofocus
            data-testid="rule-name"
          />
          <Fieldset legend="When a new item comes in and all of these hold" variant="filled">
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label="The text contains"
                  description="Any case; leave empty for any text."
                  placeholder="e.g. refund"
                  value={form.textContains}
                  onChange={(e) => {
                    set({ textContains: e.currentTarget.value });
                  }}
                  error={errors.textContains}
                  maxLength={200}
                  data-testid="rule-text"
                />
                <TextInput
                  label="The author is"
                  description="A handle; leave empty for anyone."
                  placeholder="e.g. ana@mastodon.social"
                  value={form.authorIs}
                  onChange={(e) => {
                    set({ authorIs: e.currentTarget.value });
                  }}
                  error={errors.authorIs}
                  maxLength={200}
                  data-testid="rule-author"
                />
                <Select
                  label="The kind is"
                  data={KINDS}
                  value={form.kind}
                  onChange={(kind) => {
                    set({ kind: kind ?? '' });
                  }}
                  error={errors.kind}
                  allowDeselect={false}
                  comboboxProps={combobox}
                  data-testid="rule-kind"
                />
                <Select
                  label="The channel is"
                  data={channelOptions}
                  value={String(form.channelId)}
                  onChange={(id) => {
                    set({ channelId: Number(id) || 0 });
                  }}
                  error={errors.channelId}
                  allowDeselect={false}
                  searchable
                  nothingFoundMessage="No channel by that name"
                  comboboxProps={combobox}
                  data-testid="rule-channel"
                />
              </SimpleGrid>
              {errors.conditions && (
                <Alert color="red" variant="light" role="alert" data-testid="rule-conditions-error">
                  {errors.conditions}
                </Alert>
              )}
            </Stack>
          </Fieldset>
          <Fieldset legend="Then" variant="filled">
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label="Add the label"
                  description="Leave empty for no label."
                  placeholder="e.g. billing"
                  value={form.addLabel}
                  onChange={(e) => {
                    set({ addLabel: e.currentTarget.value });
                  }}
                  error={errors.addLabel}
                  maxLength={40}
                  data-testid="rule-label"
                />
                <Select
                  label="Assign to team"
                  description="The highest rule in the list that assigns one wins."
                  data={teamOptions}
                  value={String(form.teamId)}
                  onChange={(id) => {
                    set({ teamId: Number(id) || 0 });
                  }}
                  error={errors.teamId}
                  allowDeselect={false}
                  comboboxProps={combobox}
                  data-testid="rule-team"
                />
              </SimpleGrid>
              <Checkbox
                label="Mark it done"
                description="Done items are read and raise no notification unless the rule also notifies."
                checked={form.markDone}
                onChange={(e) => {
                  set({ markDone: e.currentTarget.checked });
                }}
                data-testid="rule-done"
              />
              <Checkbox
                label="Notify me"
                description="A desktop notification, even when the channel's notifications are off. Never for what a channel's first check finds."
                checked={form.notify}
                onChange={(e) => {
                  set({ notify: e.currentTarget.checked });
                }}
                data-testid="rule-notify"
              />
              {errors.actions && (
                <Alert color="red" variant="light" role="alert" data-testid="rule-actions-error">
                  {errors.actions}
                </Alert>
              )}
            </Stack>
          </Fieldset>
          <Switch
            label="The rule is on"
            checked={form.enabled}
            onChange={(e) => {
              set({ enabled: e.currentTarget.checked });
            }}
            data-testid="rule-enabled"
          />
          <Stack gap="xs">
            <Group justify="space-between" align="center">
              <Text size="sm" c="dimmed" maw={420}>
                Try the conditions on the 500 newest items. Nothing changes: a rule acts on items that arrive after it is saved.
              </Text>
              <Button
                variant="default"
                leftSection={<IconFlask size={16} aria-hidden />}
                onClick={() => void test(0)}
                loading={testing && !preview}
                data-testid="rule-test"
              >
                Test on the last 500 items
              </Button>
            </Group>
            {previewError && (
              <Alert color="red" variant="light" role="alert" data-testid="rule-preview-error">
                {previewError}
              </Alert>
            )}
            {preview && <PreviewResult preview={preview} loading={testing} onMore={() => void test(preview.offset + preview.items.length)} />}
          </Stack>
          {errors.form && (
            <Alert color="red" variant="light" role="alert">
              {errors.form}
            </Alert>
          )}
          <Group justify="space-between">
            {rule && !rule.enabled ? (
              <Badge color="gray" variant="light">
                Off now
              </Badge>
            ) : (
              <span />
            )}
            <Group gap="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={saving} data-testid="rule-save">
                {rule ? 'Save the rule' : 'Add the rule'}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
