import { Card, EmptyState } from '@mantine/core';
import { PageHeader } from '../components/PageHeader';
import type { View } from '../navigation';

/** A view that does not exist yet: says so, and what it will do. */
export function NotBuiltView({ view }: { view: View }) {
  const Icon = view.icon;
  return (
    <>
      <PageHeader title={view.label} description={view.description} />
      <Card py={64} data-testid="not-built">
        <EmptyState
          variant="light"
          size="lg"
          icon={<Icon size={30} stroke={1.6} aria-hidden />}
          title={`${view.label} is not built yet`}
          description={view.planned}
          maw={520}
          mx="auto"
        />
      </Card>
    </>
  );
}
