import { Button, Card, Code, Group, Modal, Skeleton, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconMessagePlus, IconPencil, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { type AppError, toAppError } from '../../api/errors';
import { deleteSavedReply, listSavedReplies, type SavedReply, saveSavedReply } from '../../api/inbox';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useLoad } from '../../hooks/useLoad';
import { notifySuccess } from '../../lib/notify';
import { useAction } from '../posts/useAction';

function SavedReplyDialog({ reply, onClose, onSaved }: { reply: SavedReply | undefined; onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState(reply?.name ?? '');
  const [body, setBody] = useState(reply?.body ?? '');
  const [error, setError] = useState<AppError | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    try {
      await saveSavedReply({ id: reply?.id ?? 0, name, body });
      notifySuccess('Saved reply kept', `“${name.trim()}” is in the reply box's Saved replies menu.`);
      onSaved();
      onClose();
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={reply ? `Edit “${reply.name}”` : 'New saved reply'} centered size="lg" data-testid="saved-reply-dialog">
      <Stack gap="md">
        <TextInput
          label="Name"
          description="What you pick in the reply box."
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={error?.field === 'name' ? error.message : undefined}
          data-autofocus
          data-testid="saved-reply-name"
        />
        <Textarea
          label="Reply"
          description={
            <>
              <Code>{'{name}'}</Code> the author's name, <Code>{'{handle}'}</Code> their handle, <Code>{'{post_url}'}</Code> the address of your
              post they answered.
            </>
          }
          autosize
          minRows={4}
          maxRows={12}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          error={error?.field === 'body' ? error.message : undefined}
          data-testid="saved-reply-body"
        />
        {error && !error.field && (
          <Text size="sm" c="red">
            {error.message}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void save()} loading={saving} data-testid="saved-reply-save">
            Save
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Settings → Inbox → Saved replies: answers written once, picked in any reply box. */
export function SavedRepliesPanel() {
  const replies = useLoad(listSavedReplies);
  const { busy, run } = useAction();
  const [editing, setEditing] = useState<SavedReply | 'new' | undefined>(undefined);
  const [deleting, setDeleting] = useState<SavedReply | undefined>(undefined);

  if (replies.error) {
    return <ErrorPanel title="Herald could not read the saved replies" error={replies.error} onRetry={replies.reload} />;
  }
  if (!replies.data) {
    return <Skeleton h={80} aria-hidden />;
  }
  return (
    <Stack gap="sm" data-testid="saved-replies">
      {replies.data.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="saved-replies-empty">
          No saved replies yet. Save the answers you give often — shipping, opening hours, where to get help — and pick them in the reply box.
        </Text>
      ) : (
        replies.data.map((r) => (
          <Card key={r.id} withBorder padding="sm" data-testid="saved-reply">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={2} miw={0}>
                <Text size="sm" fw={600}>
                  {r.name}
                </Text>
                <Text size="sm" c="dimmed" lineClamp={2} dir="auto">
                  {r.body}
                </Text>
              </Stack>
              <Group gap={4} wrap="nowrap">
                <Button size="compact-sm" variant="subtle" leftSection={<IconPencil size={14} />} onClick={() => setEditing(r)} aria-label={`Edit ${r.name}`}>
                  Edit
                </Button>
                <Button size="compact-sm" variant="subtle" color="red" leftSection={<IconTrash size={14} />} onClick={() => setDeleting(r)} aria-label={`Delete ${r.name}`}>
                  Delete
                </Button>
              </Group>
            </Group>
          </Card>
        ))
      )}
      <Group>
        <Button size="sm" variant="light" leftSection={<IconMessagePlus size={16} />} onClick={() => setEditing('new')} data-testid="saved-reply-add">
          Add a saved reply
        </Button>
      </Group>
      {editing && <SavedReplyDialog reply={editing === 'new' ? undefined : editing} onClose={() => setEditing(undefined)} onSaved={replies.reload} />}
      {deleting && (
        <Modal opened onClose={() => setDeleting(undefined)} title={`Delete “${deleting.name}”?`} centered>
          <Stack gap="md">
            <Text size="sm">Replies already sent with it stay as they are.</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDeleting(undefined)} data-autofocus>
                Cancel
              </Button>
              <Button
                color="red"
                loading={busy === 'delete'}
                onClick={() =>
                  void run('delete', () => deleteSavedReply(deleting.id).then(() => true), { failed: 'The saved reply was not deleted' }).then((ok) => {
                    if (ok) {
                      setDeleting(undefined);
                      replies.reload();
                    }
                  })
                }
              >
                Delete
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </Stack>
  );
}
