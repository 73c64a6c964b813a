/** One rack the CLI knows: where its gateway is and the session obtained by `login`. */
export interface RackEntry {
  url: string;
  token?: string;
  /** ISO 8601 expiry of the session token. */
  expiresAt?: string;
  email?: string;
  name?: string;
}

/** The whole of config.json. */
export interface ClientConfig {
  current?: string;
  racks: Record<string, RackEntry>;
}

export function emptyConfig(): ClientConfig {
  return { racks: {} };
}
