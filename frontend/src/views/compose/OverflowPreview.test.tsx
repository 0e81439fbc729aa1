import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { countFixture } from '../../test/postFixtures';
import { renderWithProviders } from '../../test/render';
import { OverflowPreview } from './OverflowPreview';

describe('OverflowPreview', () => {
  it("marks exactly what is past the strictest channel's limit, by the backend's count", () => {
    // "😀" is two JavaScript string units: fits 4 is two emoji.
    renderWithProviders(
      <OverflowPreview
        text="😀😀😀 and more"
        counts={[
          { label: 'Mastodon on example.social', count: countFixture({ fits: 8 }) },
          { label: 'Bluesky', count: countFixture({ fits: 4 }) },
        ]}
      />,
    );
    expect(screen.getByTestId('overflow-preview')).toHaveTextContent('What does not fit on Bluesky is marked');
    expect(screen.getByTestId('overflow-text')).toHaveTextContent(/^😀 and more$/);
  });

  it('shows nothing when the text fits everywhere', () => {
    renderWithProviders(<OverflowPreview text="short" counts={[{ label: 'Bluesky', count: countFixture({ fits: 5 }) }]} />);
    expect(screen.queryByTestId('overflow-preview')).not.toBeInTheDocument();
  });

  it('shows only the end of a long fitting part, for context', () => {
    const text = `${'a'.repeat(100)}OVER`;
    renderWithProviders(<OverflowPreview text={text} counts={[{ label: 'Bluesky', count: countFixture({ fits: 100 }) }]} />);
    expect(screen.getByTestId('overflow-preview')).toHaveTextContent(`…${'a'.repeat(40)}`);
    expect(screen.getByTestId('overflow-text')).toHaveTextContent(/^OVER$/);
  });
});
