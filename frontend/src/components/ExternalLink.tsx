import { Anchor } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { openExternal } from '../api/app';

/**
 * A link to a web page, opened in the system browser rather than in Herald's window.
 * `label` names it for screen readers when the text alone is ambiguous ("Open profile").
 */
export function ExternalLink({ href, children, label }: { href: string; children?: ReactNode; label?: string }) {
  return (
    <Anchor
      href={href}
      aria-label={label}
      target="_blank"
      rel="noopener noreferrer"
      onClick={(event) => {
        event.preventDefault();
        openExternal(href);
      }}
      style={{ overflowWrap: 'anywhere' }}
    >
      {children ?? href}
      <IconExternalLink size={12} stroke={1.8} style={{ marginLeft: 3, verticalAlign: 'baseline' }} aria-hidden />
    </Anchor>
  );
}

const URL_PATTERN = /https?:\/\/[^\s()<>]+[^\s()<>.,;:!?'"]/g;

/** Text from the backend with its web addresses turned into links. */
export function LinkifiedText({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    parts.push(text.slice(last, start));
    parts.push(<ExternalLink key={start} href={match[0]} />);
    last = start + match[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}
