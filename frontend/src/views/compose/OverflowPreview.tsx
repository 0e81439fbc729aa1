import { Box, Text, VisuallyHidden } from '@mantine/core';
import type { LabelledCount } from './TextCounter';

/** How much of the fitting text to show before the mark, for context. */
const CONTEXT = 40;

/**
 * The end of a text that is too long, with exactly the characters past the
 * strictest limit marked. Where the limit falls is the backend's count
 * (Count.fits, in JavaScript string units), so links, emoji and a content
 * warning are counted as the network counts them.
 */
export function OverflowPreview({ text, counts, id }: { text: string; counts: LabelledCount[]; id?: string }) {
  const strictest = counts.reduce<LabelledCount | undefined>((min, c) => (min === undefined || c.count.fits < min.count.fits ? c : min), undefined);
  if (!strictest || strictest.count.fits >= text.length) {
    return null;
  }
  const fits = strictest.count.fits;
  let from = Math.max(0, fits - CONTEXT);
  // Do not start the excerpt in the middle of a surrogate pair.
  if (/[\uDC00-\uDFFF]/.test(text.charAt(from))) {
    from += 1;
  }
  return (
    <Box id={id} data-testid="overflow-preview" data-fits={fits} p="xs" bg="var(--mantine-color-default-hover)" style={{ borderRadius: 'var(--mantine-radius-sm)' }}>
      <Text size="xs" c="dimmed" mb={2}>
        What does not fit on {strictest.label} is marked:
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxHeight: 140, overflowY: 'auto' }}>
        {from > 0 && '…'}
        {text.slice(from, fits)}
        <VisuallyHidden>Over the limit from here: </VisuallyHidden>
        <mark data-testid="overflow-text" style={{ background: 'var(--mantine-color-red-light)', color: 'inherit', textDecoration: 'underline wavy var(--mantine-color-red-7)' }}>
          {text.slice(fits)}
        </mark>
      </Text>
    </Box>
  );
}
