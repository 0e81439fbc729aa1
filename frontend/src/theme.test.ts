import { DEFAULT_THEME, getContrastColor, mergeMantineTheme } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { contrast, cssVariablesResolver, readableOn, theme } from './theme';

const full = mergeMantineTheme(DEFAULT_THEME, theme);
const vars = cssVariablesResolver(full);
const colorNames = Object.keys(full.colors);

describe('theme colours meet WCAG 2.2 AA contrast (4.5:1)', () => {
  it.each(colorNames)('%s text on white and on a dark card', (name) => {
    const shades = full.colors[name]!;
    expect(contrast(vars.light[`--mantine-color-${name}-text`]!, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrast(vars.dark[`--mantine-color-${name}-text`]!, full.colors.dark[6])).toBeGreaterThanOrEqual(4.5);
    expect(contrast(vars.light[`--mantine-color-${name}-light-color`]!, shades[1])).toBeGreaterThanOrEqual(4.5);
  });

  it.each(colorNames)('%s filled: the text colour Mantine picks reads on it', (name) => {
    const filled = full.colors[name]![8];
    const text = getContrastColor({ color: name, theme: full, autoContrast: true });
    expect(contrast(text === 'var(--mantine-color-white)' ? full.white : full.black, filled)).toBeGreaterThanOrEqual(4.5);
  });

  it('dimmed text is a theme colour that reads on white and on a dark card', () => {
    expect(vars.light['--mantine-color-dimmed']).toBe('var(--mantine-color-gray-7)');
    expect(contrast(full.colors.gray[7], '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(vars.dark['--mantine-color-dimmed']).toBe('var(--mantine-color-dark-1)');
    expect(contrast(full.colors.dark[1], full.colors.dark[6])).toBeGreaterThanOrEqual(4.5);
  });

  it('readableOn leaves a colour that already reads alone and fixes one that does not', () => {
    expect(readableOn('#000000', '#ffffff')).toBe('#000000');
    const fixed = readableOn(full.colors.orange[6], '#ffffff');
    expect(contrast(fixed, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrast(full.colors.orange[6], '#ffffff')).toBeLessThan(4.5);
  });
});
