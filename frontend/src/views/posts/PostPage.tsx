import { Alert, Anchor, Group } from '@mantine/core';
import { IconArrowLeft, IconClockExclamation } from '@tabler/icons-react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { PageHeader } from '../../components/PageHeader';
import { NotFoundView } from '../NotFoundView';
import { PostDetails } from './PostDetails';
import { usePost } from './usePost';

/** What the composer passes along after scheduling: the daylight-saving note, if any. */
export interface PostPageState {
  note?: string;
}

function PostPageBody({ postId }: { postId: number }) {
  const post = usePost(postId);
  const navigate = useNavigate();
  const { state } = useLocation() as { state: PostPageState | null };
  return (
    <>
      {state?.note && (
        <Alert color="orange" variant="light" icon={<IconClockExclamation size={18} />} title="About the time you picked" mb="md" data-testid="schedule-note">
          {state.note}
        </Alert>
      )}
      <PostDetails
        post={post}
        onDeleted={() => {
          void navigate('/queue', { replace: true });
        }}
      />
    </>
  );
}

/** #/posts/:postId: one post, every variant and its attempt ledger. */
export function PostPage() {
  const { postId } = useParams();
  const id = Number(postId);
  if (!Number.isInteger(id) || id <= 0) {
    return <NotFoundView />;
  }
  return (
    <>
      <Group mb="xs">
        <Anchor component={Link} to="/queue" size="sm">
          <Group gap={4}>
            <IconArrowLeft size={14} />
            Queue
          </Group>
        </Anchor>
      </Group>
      <PageHeader title="Post" description="Where each variant stands, its link on the network, and every attempt to publish it." />
      <PostPageBody key={id} postId={id} />
    </>
  );
}
