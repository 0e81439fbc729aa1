import {
  Alert,
  Card,
  createTheme,
  type CSSVariablesResolver,
  darken,
  DEFAULT_THEME,
  Drawer,
  lighten,
  luminance,
  type MantineColorsTuple,
  Menu,
  Modal,
  Notification,
  Paper,
  Tooltip,
} from '@mantine/core';

/** WCAG 2.2 AA asks 4.5:1 of normal text; a little more covers the tints text sits on (hover, stripes). */
export const MIN_CONTRAST = 4.7;

/** The WCAG contrast ratio of two #rrggbb colours. */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * `color` darkened (on a light background) or lightened (on a dark one)
 * in small steps until text in it reads on `background`.
 */
export function readableOn(color: string, background: string): string {
  const towardsBlack = luminance(background) > 0.18;
  let out = color;
  for (let step = 1; contrast(out, background) < MIN_CONTRAST && step <= 20; step++) {
    out = towardsBlack ? darken(color, step * 0.05) : lighten(color, step * 0.05);
  }
  return out;
}

/** Shade 8 keeps white text readable on the filled buttons and badges of the darker colours (indigo, red, blue). */
const FILLED_SHADE = 8;

/** The lightest background text sits on in each scheme: white; cards and inputs in dark (dark-6). */
const LIGHT_BACKGROUND = '#ffffff';
const DARK_BACKGROUND = DEFAULT_THEME.colors.dark[6];

export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: FILLED_SHADE, dark: FILLED_SHADE },
  // Filled colours too light for white text (orange, teal, green, yellow…) get black text: 0.179 is where
  // white and black text have the same contrast, so whichever is picked has at least 4.5:1.
  autoContrast: true,
  luminanceThreshold: 0.179,
  defaultRadius: 'md',
  cursorType: 'pointer',
  focusRing: 'auto',
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, Cantarell, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SF Mono", "Cascadia Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace',
  headings: { fontWeight: '650' },
  components: {
    Card: Card.extend({ defaultProps: { withBorder: true, radius: 'md', padding: 'lg' } }),
    Paper: Paper.extend({ defaultProps: { radius: 'md' } }),
    Tooltip: Tooltip.extend({ defaultProps: { openDelay: 300, withArrow: true } }),
    // Mantine's close buttons are an icon without a name; a dialog may still name its own.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } } }),
    Alert: Alert.extend({ defaultProps: { closeButtonLabel: 'Dismiss' } }),
    // The placeholder Mantine focuses first is an empty element inside role="menu", where only menu items belong;
    // without it the dropdown itself takes the focus and the arrow keys reach the items.
    Menu: Menu.extend({ defaultProps: { withInitialFocusPlaceholder: false } }),
  },
});

/**
 * Mantine's text colours that fall short of WCAG 2.2 AA contrast, replaced:
 * dimmed text (gray-6 on white is 3.3:1), coloured text (`c="red"`, links,
 * the text and message of an input with an error) and the text of the light variant (orange-9 on orange-1 is 3.6:1). Each
 * colour keeps its hue and is only darkened or lightened as far as needed.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
  };
  const dark: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
  };
  for (const [name, shades] of Object.entries<MantineColorsTuple>(t.colors)) {
    light[`--mantine-color-${name}-text`] = readableOn(shades[FILLED_SHADE], LIGHT_BACKGROUND);
    light[`--mantine-color-${name}-light-color`] = readableOn(shades[9], shades[1]);
    dark[`--mantine-color-${name}-text`] = readableOn(shades[4], DARK_BACKGROUND);
  }
  // An input with an error shows its text in the error colour: it must be as readable as any text.
  light['--mantine-color-error'] = light['--mantine-color-red-text'] ?? '';
  dark['--mantine-color-error'] = dark['--mantine-color-red-text'] ?? '';
  light['--mantine-color-anchor'] = light[`--mantine-color-${t.primaryColor}-text`] ?? '';
  dark['--mantine-color-anchor'] = dark[`--mantine-color-${t.primaryColor}-text`] ?? '';
  return { variables: {}, light, dark };
};
