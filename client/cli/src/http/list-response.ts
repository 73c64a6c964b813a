const WRAPPER_KEYS = ['items', 'data', 'tokens', 'sessions', 'users', 'results'];

/** Admin list endpoints answer with an array, or an object wrapping one (for pagination). */
export function listFrom<T>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[];
  if (typeof value === 'object' && value !== null) {
    for (const key of WRAPPER_KEYS) {
      const wrapped = (value as Record<string, unknown>)[key];
      if (Array.isArray(wrapped)) return wrapped as T[];
    }
  }
  return [];
}
