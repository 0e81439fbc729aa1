import { Badge } from '@mantine/core';
import { type TargetLike, targetLook } from './targetText';

/** A variant's status as a coloured badge. */
export function TargetStatusBadge({ target, size = 'sm' }: { target: TargetLike; size?: 'xs' | 'sm' | 'md' }) {
  const { label, color } = targetLook(target);
  return (
    <Badge color={color} variant={target.status === 'failed' ? 'filled' : 'light'} size={size} tt="none" data-testid="target-status" data-status={target.status}>
      {label}
    </Badge>
  );
}
