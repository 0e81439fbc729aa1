import { Button, Card, EmptyState } from '@mantine/core';
import { IconMapQuestion } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { PageHeader } from '../components/PageHeader';

export function NotFoundView() {
  return (
    <>
      <PageHeader title="Page not found" description="Herald has no page at this address." />
      <Card py={64}>
        <EmptyState
          icon={<IconMapQuestion size={30} stroke={1.6} aria-hidden />}
          title="Nothing here"
          description="Pick a view on the left, or go to Channels."
          maw={520}
          mx="auto"
        >
          <EmptyState.Actions>
            <Button component={Link} to="/channels" variant="light">
              Go to Channels
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Card>
    </>
  );
}
