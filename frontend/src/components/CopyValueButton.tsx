import { ActionIcon, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { copyText } from '../api/app';
import { notifyError } from '../lib/notify';

interface CopyValueButtonProps {
  value: string;
  /** Accessible name, e.g. "Copy database path". */
  label: string;
}

/** Copies a value (a path, usually) to the clipboard and confirms it. */
export function CopyValueButton({ value, label }: CopyValueButtonProps) {
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) {
      return undefined;
    }
    const id = window.setTimeout(() => {
      setCopied(false);
    }, 1500);
    return () => {
      window.clearTimeout(id);
    };
  }, [copied]);

  const copy = () => {
    copyText(value).then(
      () => {
        setCopied(true);
      },
      (err: unknown) => {
        notifyError('Could not copy', err);
      },
    );
  };

  return (
    <>
      <Tooltip label={copied ? 'Copied' : label} events={{ hover: true, focus: true, touch: false }}>
        <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} size="sm" aria-label={label} onClick={copy}>
          {copied ? <IconCheck size={15} /> : <IconCopy size={15} />}
        </ActionIcon>
      </Tooltip>
      <VisuallyHidden aria-live="polite">{copied ? 'Copied' : ''}</VisuallyHidden>
    </>
  );
}
