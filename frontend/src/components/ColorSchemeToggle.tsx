import { Center, type MantineColorScheme, SegmentedControl, useMantineColorScheme } from '@mantine/core';
import { IconDeviceDesktop, IconMoon, IconSun } from '@tabler/icons-react';

const OPTIONS = [
  { value: 'auto', label: 'System', icon: IconDeviceDesktop },
  { value: 'light', label: 'Light', icon: IconSun },
  { value: 'dark', label: 'Dark', icon: IconMoon },
] as const;

function isScheme(value: string): value is MantineColorScheme {
  return OPTIONS.some((option) => option.value === value);
}

/** Light, dark, or whatever the operating system uses. */
export function ColorSchemeToggle() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <SegmentedControl
      size="xs"
      radius="md"
      aria-label="Colour scheme"
      value={colorScheme}
      onChange={(value) => {
        if (isScheme(value)) {
          setColorScheme(value);
        }
      }}
      data={OPTIONS.map(({ value, label, icon: Icon }) => ({
        value,
        label: (
          <Center style={{ gap: 6 }}>
            <Icon size={14} stroke={1.8} aria-hidden />
            <span>{label}</span>
          </Center>
        ),
      }))}
    />
  );
}
