import { Button, Group, Modal, Stack, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconBan, IconEyeOff, IconHeart, IconHeartFilled, IconVolume3 } from '@tabler/icons-react';
import { useState } from 'react';
import { actOnItem, type InboxConversation, type InboxItem, type ItemAction, type ModerationAction } from '../../api/inbox';
import { useAction } from '../posts/useAction';

interface Words {
  label: string;
  active: string;
  icon: typeof IconHeart;
  activeIcon?: typeof IconHeart;
  done: string;
  undone: string;
}

const WORDS: Readonly<Record<ModerationAction, Words>> = {
  like: { label: 'Like', active: 'Liked', icon: IconHeart, activeIcon: IconHeartFilled, done: 'Liked', undone: 'Like taken back' },
  hide: { label: 'Hide reply', active: 'Hidden', icon: IconEyeOff, done: 'Reply hidden under your post', undone: 'Reply shown again' },
  mute: { label: 'Mute author', active: 'Muted', icon: IconVolume3, done: 'Author muted', undone: 'Author unmuted' },
  block: { label: 'Block author', active: 'Blocked', icon: IconBan, done: 'Author blocked', undone: 'Author unblocked' },
};

const ORDER: readonly ModerationAction[] = ['like', 'hide', 'mute', 'block'];

interface ModerationBarProps {
  item: InboxItem;
  actions: ItemAction[];
  onChanged: (conv: InboxConversation) => void;
}

/**
 * Like, hide, mute and block, as the item's network allows. What it does
 * not allow stays visible, disabled, with the network's reason; blocking
 * asks first. Each press is one request the user made, nothing more.
 */
export function ModerationBar({ item, actions, onChanged }: ModerationBarProps) {
  const { busy, run } = useAction();
  const [confirmBlock, setConfirmBlock] = useState(false);
  const who = item.authorHandle || item.authorName || 'this author';

  const act = async (id: ModerationAction, undo: boolean) => {
    const w = WORDS[id];
    const conv = await run(id, () => actOnItem(item.id, id, undo), {
      done: [undo ? w.undone : w.done, `On ${item.channelName}.`],
      failed: `Could not ${undo ? 'take it back' : w.label.toLowerCase()}`,
    });
    if (conv) {
      onChanged(conv);
    }
  };

  return (
    <Group gap="xs" data-testid="moderation-bar" role="group" aria-label="On the network">
      {ORDER.map((id) => {
        const a = actions.find((x) => x.id === id);
        if (!a) {
          return null;
        }
        const w = WORDS[id];
        const Icon = a.active && w.activeIcon ? w.activeIcon : w.icon;
        const reasonId = `moderation-${id}-${item.id}-reason`;
        const button = (
          <Button
            size="xs"
            variant={a.active ? 'light' : 'default'}
            color={id === 'block' && !a.active ? 'red' : undefined}
            leftSection={<Icon size={15} aria-hidden />}
            loading={busy === id}
            data-disabled={!a.enabled || undefined}
            aria-disabled={!a.enabled || undefined}
            aria-describedby={!a.enabled ? reasonId : undefined}
            aria-pressed={a.enabled ? a.active : undefined}
            onClick={(event) => {
              if (!a.enabled) {
                event.preventDefault();
                return;
              }
              if (id === 'block' && !a.active) {
                setConfirmBlock(true);
                return;
              }
              void act(id, a.active);
            }}
            data-testid={`moderation-${id}`}
          >
            {a.active ? w.active : w.label}
          </Button>
        );
        return a.enabled ? (
          <span key={id}>{button}</span>
        ) : (
          <Tooltip key={id} label={a.reason} multiline w={280} events={{ hover: true, focus: true, touch: true }}>
            <span>
              {button}
              <VisuallyHidden id={reasonId}>{a.reason}</VisuallyHidden>
            </span>
          </Tooltip>
        );
      })}
      <Modal opened={confirmBlock} onClose={() => setConfirmBlock(false)} title={`Block ${who}?`} centered>
        <Stack gap="md">
          <Text size="sm">
            {who} will no longer be able to reply to, mention or message {item.channelName}. On Bluesky a block is public. You can unblock
            them here later.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmBlock(false)}>
              Cancel
            </Button>
            <Button
              color="red"
              onClick={() => {
                setConfirmBlock(false);
                void act('block', false);
              }}
              data-testid="moderation-block-confirm"
            >
              Block
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
}
