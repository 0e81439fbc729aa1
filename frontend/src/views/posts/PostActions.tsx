import { ActionIcon, Button, Group, Menu, Text, Tooltip } from '@mantine/core';
import {
  IconArrowBackUp,
  IconCalendarTime,
  IconDots,
  IconPencil,
  IconSend,
  IconTrash,
} from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { deletePost, publishNow, unschedulePost } from '../../api/posts';
import { ConfirmModal } from './ConfirmModal';
import { type PublishChoice, PublishNowModal, usePublishNow } from './PublishNowModal';
import { RescheduleModal } from './RescheduleModal';
import { useAction } from './useAction';

/** The parts of a post (full or summary) the actions need. */
export interface PostRef {
  id: number;
  /** "reply" for an answer written in the inbox: edited there, not in the composer. */
  kind?: string;
  title: string;
  status: string;
  timeZone: string;
  /** Wall-clock time of the schedule, when known ("" otherwise). */
  localTime?: string;
  targets: { status: string; handedOff: boolean }[];
}

/** What may be done to a post, from its variants' statuses. */
export function postAbilities(post: PostRef) {
  const statuses = post.targets.map((t) => t.status);
  const started = statuses.some((s) => s === 'claimed' || s === 'published');
  const pending = statuses.some((s) => s !== 'claimed' && s !== 'published');
  return {
    /** Content can change only before anything went out. */
    edit: !started && post.kind !== 'reply',
    publish: pending && !statuses.includes('claimed'),
    reschedule: pending && !statuses.includes('claimed'),
    unschedule: statuses.some((s) => s === 'scheduled' || s === 'blocked' || s === 'failed' || s === 'skipped'),
    delete: !statuses.includes('claimed'),
  };
}

/** "“Launch day”", or "this post" without a title. */
export function postName(post: { title: string }, snippet = ''): string {
  if (post.title) {
    return `“${post.title}”`;
  }
  const s = snippet.trim();
  return s ? `“${s.length > 40 ? `${s.slice(0, 40)}…` : s}”` : 'this post';
}

interface PostActionsProps {
  post: PostRef;
  snippet?: string;
  /** Buttons in a row (the post page) or a menu (a list row). */
  layout: 'buttons' | 'menu';
  onChanged?: () => void;
  onDeleted?: () => void;
}

type Confirm = 'publish' | 'delete' | undefined;

/** Edit, publish now, pick a new time, unschedule and delete, with confirmation where it cannot be undone. */
export function PostActions({ post, snippet = '', layout, onChanged, onDeleted }: PostActionsProps) {
  const can = postAbilities(post);
  const { busy, run } = useAction();
  const [confirm, setConfirm] = useState<Confirm>(undefined);
  const [rescheduling, setRescheduling] = useState(false);
  // A list row's dialogs are mounted (closed) when its menu first opens, so
  // a list of a hundred rows mounts none; they then open and close with
  // their transitions and give the focus back. The post page has one set.
  const [mounted, setMounted] = useState(layout === 'buttons');
  const name = postName(post, snippet);
  const channels = post.targets.length;
  const publishing = usePublishNow();
  const what = `${name} to ${channels} channel${channels === 1 ? '' : 's'}`;

  const doPublish = async (choice: PublishChoice) => {
    const done = await publishing.publish(choice, () => publishNow(post.id), what, 'Could not publish now');
    setConfirm(undefined);
    if (done) {
      onChanged?.();
    }
  };
  const doUnschedule = async () => {
    const done = await run('unschedule', () => unschedulePost(post.id), {
      done: ['Back to drafts', `${name} will not be published until you schedule it again.`],
      failed: 'Could not unschedule',
    });
    if (done) {
      onChanged?.();
    }
  };
  const doDelete = async () => {
    const done = await run('delete', () => deletePost(post.id).then(() => true), {
      done: ['Deleted from Herald', 'Nothing was deleted on the networks.'],
      failed: 'Could not delete the post',
    });
    setConfirm(undefined);
    if (done) {
      onDeleted?.();
    }
  };

  const editHint = can.edit
    ? 'Edit'
    : post.kind === 'reply'
      ? 'A reply written in the Inbox: try it again or discard it from its conversation'
      : 'Published or publishing: it can no longer be edited';

  const modals = (
    <>
      {mounted && (
        <PublishNowModal
          opened={confirm === 'publish'}
          paused={publishing.paused}
          what={what}
          busy={publishing.busy}
          onChoose={(choice) => void doPublish(choice)}
          onClose={() => {
            setConfirm(undefined);
          }}
        />
      )}
      {mounted && (
        <ConfirmModal
          opened={confirm === 'delete'}
          title="Delete this post from Herald?"
          confirmLabel="Delete from Herald"
          color="red"
          busy={busy === 'delete'}
          onConfirm={() => void doDelete()}
          onClose={() => {
            setConfirm(undefined);
          }}
        >
          <Text size="sm">
            {name} and its history are deleted from Herald. <strong>Nothing is deleted on the networks</strong>: what was
            already published stays there.
          </Text>
        </ConfirmModal>
      )}
      {mounted && (
        <RescheduleModal
          post={rescheduling ? { id: post.id, title: post.title, localTime: post.localTime ?? '', timeZone: post.timeZone } : undefined}
          onClose={() => {
            setRescheduling(false);
          }}
          {...(onChanged ? { onDone: () => onChanged() } : {})}
        />
      )}
    </>
  );

  if (layout === 'menu') {
    return (
      <>
        <Group gap={4} wrap="nowrap">
          <Tooltip label={editHint}>
            {can.edit ? (
              <ActionIcon variant="subtle" color="gray" component={Link} to={`/compose/${post.id}`} aria-label={`Edit ${name}`} data-testid="row-edit">
                <IconPencil size={17} />
              </ActionIcon>
            ) : (
              <ActionIcon variant="subtle" color="gray" disabled aria-label={`Edit ${name}`} data-testid="row-edit">
                <IconPencil size={17} />
              </ActionIcon>
            )}
          </Tooltip>
          <Menu
            position="bottom-end"
            withinPortal={false}
            onOpen={() => {
              setMounted(true);
            }}
          >
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" aria-label={`More actions for ${name}`} data-testid="row-menu">
                <IconDots size={17} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconSend size={15} />} disabled={!can.publish} onClick={() => setConfirm('publish')}>
                Publish now
              </Menu.Item>
              <Menu.Item leftSection={<IconCalendarTime size={15} />} disabled={!can.reschedule} onClick={() => setRescheduling(true)}>
                Pick a new time
              </Menu.Item>
              <Menu.Item leftSection={<IconArrowBackUp size={15} />} disabled={!can.unschedule} onClick={() => void doUnschedule()}>
                Unschedule (back to drafts)
              </Menu.Item>
              <Menu.Divider />
              <Menu.Item leftSection={<IconTrash size={15} />} color="red" c="red" disabled={!can.delete} onClick={() => setConfirm('delete')}>
                Delete from Herald…
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
        {modals}
      </>
    );
  }

  return (
    <>
      <Group gap="xs" data-testid="post-actions">
        {can.edit ? (
          <Button variant="default" size="sm" leftSection={<IconPencil size={15} />} component={Link} to={`/compose/${post.id}`} data-testid="post-edit">
            Edit
          </Button>
        ) : (
          <Tooltip label={editHint}>
            <Button variant="default" size="sm" leftSection={<IconPencil size={15} />} disabled data-testid="post-edit">
              Edit
            </Button>
          </Tooltip>
        )}
        {can.publish && (
          <Button size="sm" leftSection={<IconSend size={15} />} onClick={() => setConfirm('publish')}>
            Publish now
          </Button>
        )}
        {can.reschedule && (
          <Button variant="light" size="sm" leftSection={<IconCalendarTime size={15} />} onClick={() => setRescheduling(true)}>
            Pick a new time
          </Button>
        )}
        {can.unschedule && (
          <Button variant="default" size="sm" leftSection={<IconArrowBackUp size={15} />} loading={busy === 'unschedule'} onClick={() => void doUnschedule()}>
            Unschedule
          </Button>
        )}
        <Button variant="subtle" color="red" size="sm" leftSection={<IconTrash size={15} />} disabled={!can.delete} onClick={() => setConfirm('delete')}>
          Delete…
        </Button>
      </Group>
      {modals}
    </>
  );
}
