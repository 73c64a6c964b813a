import { useQuery } from '@tanstack/react-query';
import { api, ApiError, unwrap } from './client';

/** The signed-in caller; `null` when there is no session (the shell then shows sign-in). */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await unwrap(api.GET('/api/v1/me'));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 30_000,
  });
}
