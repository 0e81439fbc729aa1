import { Anchor, Drawer, Group } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { PostDetails } from './PostDetails';
import { usePost } from './usePost';

function DrawerBody({ postId, onClose }: { postId: number; onClose: () => void }) {
  const post = usePost(postId);
  return (
    <>
      <Group justify="flex-end" mb="sm">
        <Anchor component={Link} to={`/posts/${postId}`} size="sm">
          <Group gap={4}>
            Open as a page
            <IconExternalLink size={13} />
          </Group>
        </Anchor>
      </Group>
      <PostDetails post={post} onDeleted={onClose} />
    </>
  );
}

/** A post beside the calendar or the queue, without leaving it. */
export function PostDrawer({ postId, onClose }: { postId: number | undefined; onClose: () => void }) {
  return (
    <Drawer opened={postId !== undefined} onClose={onClose} position="right" size="xl" title="Post" data-testid="post-drawer">
      {postId !== undefined && <DrawerBody key={postId} postId={postId} onClose={onClose} />}
    </Drawer>
  );
}
