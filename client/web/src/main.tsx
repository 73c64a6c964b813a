import '@mantine/core/styles.css';
import { MantineProvider } from '@mantine/core';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api/client';
import { router } from './app/router';
import { theme } from './app/theme';

/** The nonce the gateway put on this page's tags; Mantine's runtime style tags must carry it (CSP). */
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce ?? '';
// Mantine's modals lock scrolling with react-remove-scroll, whose style tag takes its nonce from here.
(globalThis as { __webpack_nonce__?: string }).__webpack_nonce__ = nonce;

/**
 * A 401 mid-use means the session ended (expiry, revoke, lock): sign in again, then come back here. An MFA
 * refusal is a 401 too, but the session is fine: the MFA dialog has already had its say.
 */
function onApiError(error: unknown): void {
  if (!(error instanceof ApiError) || error.status !== 401 || error.code.startsWith('mfa_')) return;
  const here = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/app/sign-in?reason=expired&returnTo=${encodeURIComponent(here)}`);
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // A refusal will not change by asking again; a network blip might.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 1,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} getStyleNonce={() => nonce} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} context={{ queryClient }} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
