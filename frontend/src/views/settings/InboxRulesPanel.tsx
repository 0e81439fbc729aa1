import { ActionIcon, Badge, Button, Card, EmptyState, Group, Modal, Skeleton, Stack, Switch, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconFilter, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { deleteRule, type InboxRule, listRules, moveRule, setRuleEnabled } from '../../api/inbox';
import { listTeams } from '../../api/teams';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useChannelList } from '../../hooks/useChannelList';
import { useLoad } from '../../hooks/useLoad';
import { notifySuccess } from '../../lib/notify';
import { useAction } from '../posts/useAction';
import { RuleDialog } from './RuleDialog';

/** "When the text contains “refund” and it is a reply, add the label “billing”." */
export function ruleSentence(rule: Pick<InboxRule, 'conditions' | 'actions'>): string {
  const when = rule.conditions.length > 0 ? rule.conditions.join(' and ') : 'any new item comes in';
  const then = rule.actions.length > 0 ? rule.actions.join(', ') : 'do nothing (its team was deleted)';
  return `When ${when}, ${then}.`;
}

function DeleteRuleModal({ rule, onClose, onDeleted }: { rule: InboxRule; onClose: () => void; onDeleted: () => void }) {
  const { busy, run } = useAction();
  const remove = async () => {
    const done = await run('delete', () => deleteRule(rule.id).then(() => true), { failed: 'The rule was not deleted' });
    if (done) {
      notifySuccess('Rule deleted', `${rule.name} no longer acts on new items; what it did to items stays.`);
      onDeleted();
      onClose();
    }
  };
  return (
    <Modal opened onClose={onClose} title={`Delete the rule ${rule.name}?`} centered data-testid="rule-delete-modal">
      <Stack gap="md">
        <Text size="sm">New items will no longer be checked against it. Labels, teams and statuses it already gave items stay.</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={() => void remove()} loading={busy === 'delete'} data-testid="rule-delete-confirm">
            Delete rule
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Settings → Inbox → Rules: what happens to each new item as it arrives, in order. */
export function InboxRulesPanel() {
  const rules = useLoad(listRules);
  const teams = useLoad(listTeams);
  const channels = useChannelList();
  const { busy, run } = useAction();
  const [editing, setEditing] = useState<InboxRule | 'new' | undefined>(undefined);
  const [deleting, setDeleting] = useState<InboxRule | undefined>(undefined);
  const { reload } = rules;

  const list = rules.data;
  // Focus follows a moved rule once the list is drawn again, so a keyboard
  // user can move it on (or back, when it reached an end).
  const focusAfterMove = useRef<{ id: number; up: boolean } | undefined>(undefined);
  useEffect(() => {
    const target = focusAfterMove.current;
    if (!target || !list) {
      return;
    }
    focusAfterMove.current = undefined;
    const row = document.querySelector(`[data-rule-id="${target.id}"]`);
    const same = row?.querySelector<HTMLButtonElement>(`[data-move="${target.up ? 'up' : 'down'}"]`);
    const other = row?.querySelector<HTMLButtonElement>(`[data-move="${target.up ? 'down' : 'up'}"]`);
    (same && !same.disabled ? same : other)?.focus();
  }, [list]);
  const move = (rule: InboxRule, up: boolean) =>
    void run(`move-${rule.id}`, () => moveRule(rule.id, up), { failed: 'The rule was not moved' }).then((after) => {
      if (after) {
        focusAfterMove.current = { id: rule.id, up };
        reload();
      }
    });
  const toggle = (rule: InboxRule, on: boolean) =>
    void run(`toggle-${rule.id}`, () => setRuleEnabled(rule.id, on), { failed: 'The rule was not switched' }).then(reload);

  return (
    <Stack gap="md" maw={960}>
      <Text size="sm" c="dimmed" maw={720}>
        Rules act on each new item as Herald stores it, from the top of the list down: every rule whose conditions all hold
        adds its label, marks the item done, assigns its team or notifies you. When several rules assign a team, the highest
        one wins. Labels, done and teams also apply to what a channel's first check finds; notifications never do. Rules do
        not change the items Herald already holds.
      </Text>
      <Group>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')} data-testid="rule-add">
          Add a rule
        </Button>
      </Group>
      {rules.error && <ErrorPanel title="Herald could not load the inbox rules" error={rules.error} onRetry={reload} />}
      {!list && !rules.error && (
        <Stack gap="xs" aria-hidden data-testid="inbox-rules-loading">
          <Skeleton h={48} />
          <Skeleton h={48} />
        </Stack>
      )}
      {list && list.length === 0 && (
        <Card py="xl" withBorder data-testid="inbox-rules-empty">
          <EmptyState
            icon={<IconFilter size={26} stroke={1.6} aria-hidden />}
            title="No rules yet"
            description="A rule labels, closes, assigns or notifies new items for you: for example, label every message that mentions a refund “billing” and assign it to the shop's team."
          />
        </Card>
      )}
      {list && list.length > 0 && (
        <Card withBorder padding={0}>
          <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="inbox-rules-table">
            <Table.Caption>Rules run from the top down on every new item.</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={90}>Order</Table.Th>
                <Table.Th>Rule</Table.Th>
                <Table.Th w={80}>On</Table.Th>
                <Table.Th w={100}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((rule, i) => (
                <Table.Tr key={rule.id} data-testid="rule-row" data-rule-id={rule.id}>
                  <Table.Td>
                    <Group gap={2} wrap="nowrap">
                      <Tooltip label={`Move ${rule.name} up`}>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          aria-label={`Move ${rule.name} up`}
                          disabled={i === 0}
                          onClick={() => move(rule, true)}
                          data-move="up"
                        >
                          <IconArrowUp size={16} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label={`Move ${rule.name} down`}>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          aria-label={`Move ${rule.name} down`}
                          disabled={i === list.length - 1}
                          onClick={() => move(rule, false)}
                          data-move="down"
                        >
                          <IconArrowDown size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      <Text size="sm" fw={500} data-testid="rule-name-cell">
                        {i + 1}. {rule.name}
                      </Text>
                      {!rule.enabled && (
                        <Badge size="sm" color="gray" variant="light">
                          Off
                        </Badge>
                      )}
                    </Group>
                    <Text size="sm" c="dimmed" data-testid="rule-sentence">
                      {ruleSentence(rule)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Switch
                      aria-label={`${rule.name} is on`}
                      checked={rule.enabled}
                      disabled={busy === `toggle-${rule.id}`}
                      onChange={(e) => toggle(rule, e.currentTarget.checked)}
                      data-testid="rule-toggle"
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Tooltip label={`Edit ${rule.name}`}>
                        <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${rule.name}`} onClick={() => setEditing(rule)}>
                          <IconPencil size={16} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label={`Delete ${rule.name}`}>
                        <ActionIcon variant="subtle" color="red" aria-label={`Delete ${rule.name}`} onClick={() => setDeleting(rule)}>
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {editing && (
        <RuleDialog
          rule={editing === 'new' ? undefined : editing}
          channels={channels.data ?? []}
          teams={teams.data ?? []}
          onClose={() => setEditing(undefined)}
          onSaved={(saved) => {
            notifySuccess(editing === 'new' ? 'Rule added' : 'Rule saved', `${saved.name} acts on new items from now on.`);
            setEditing(undefined);
            reload();
          }}
        />
      )}
      {deleting && <DeleteRuleModal rule={deleting} onClose={() => setDeleting(undefined)} onDeleted={reload} />}
    </Stack>
  );
}
