import { createTheme } from '@mantine/core';

// Colours chosen for AA contrast on white: the default primary shade 6 of "blue" is too light for text.
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  defaultRadius: 'sm',
});
