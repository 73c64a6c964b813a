import { useQuery } from '@tanstack/react-query';
import { api, ApiError, unwrap } from './client';

/** The signed-in caller; `null` when there is no session cookie (the shell then shows sign-in). */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await unwrap(api.GET('/api/v1/me'));
      } catch (error) {
        // No session at all: show sign-in. An ended one (expired, revoked) is rethrown, and the query
        // cache's 401 handler says so on the sign-in page.
        if (error instanceof ApiError && error.status === 401 && error.code === 'authentication_required') {
          return null;
        }
        throw error;
      }
    },
    staleTime: 30_000,
  });
}
