import { Alert, createTheme, InputWrapper, Modal } from '@mantine/core';

// Colours chosen for AA contrast on white: the default primary shade 6 of "blue" is too light for text.
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  defaultRadius: 'sm',
  components: {
    // The close "×" is an icon: it needs a name for screen readers.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    // Mantine's dimmed description and light yellow alert titles fall below 4.5:1 on white.
    InputWrapper: InputWrapper.extend({
      styles: { description: { color: 'var(--mantine-color-gray-7)' } },
    }),
    Alert: Alert.extend({ styles: { title: { color: 'var(--mantine-color-text)' } } }),
  },
});
