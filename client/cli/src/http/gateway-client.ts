import { CliError } from '../cli/cli-error';
import type { GatewayTarget } from '../resolve/rack-resolution';
import { clientVersion } from './client-version';
import { errorBodyText, httpFailureMessage, networkFailureMessage } from './gateway-errors';

export const API_PREFIX = '/api/v1';
export const RACK_PROXY_PREFIX = `${API_PREFIX}/rack-proxy`;

type ParamValue = string | number | boolean | undefined;
export type Params = Record<string, ParamValue>;

export interface RequestOptions {
  query?: Params;
  /** Sent as application/x-www-form-urlencoded, the way the convox SDK sends parameters. */
  form?: Params;
  json?: unknown;
  headers?: Record<string, string>;
}

export interface RawResponse {
  status: number;
  body: string;
}

function encodeParams(params: Params): URLSearchParams {
  const encoded = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) encoded.set(key, String(value));
  return encoded;
}

/**
 * The person's answer to an MFA prompt: a code to send, a single-use passkey proof for the retried request
 * (approved in the browser), or nothing to send because the session was verified another way meanwhile.
 */
export type MfaAnswer = { code: string } | { proof: string } | { verified: true };

/** Where an MFA code comes from: `--mfa-code`, else a prompt when the gateway asks (interactive only). */
export interface MfaCodeSource {
  code?: string;
  /** The answer, or undefined to give up. */
  prompt?: (requirement: string) => Promise<MfaAnswer | undefined>;
}

const PROMPTABLE = new Set(['login', 'step_up', 'always']);

/**
 * Bearer-authenticated JSON/form requests to one gateway, with every failure turned into a CliError. When
 * the gateway answers that MFA is owed (header X-MFA-Required), the call is retried once with a code in
 * X-MFA-Code (then kept for the rest of the command) or with a passkey proof in X-MFA-Proof (sent once:
 * the gateway spends it on that request).
 */
export class GatewayClient {
  private mfaCode?: string;
  private mfaProof?: string;

  constructor(
    readonly target: GatewayTarget,
    private readonly mfa: MfaCodeSource = {},
  ) {
    this.mfaCode = mfa.code;
  }

  url(path: string, query?: Params): string {
    const search = query ? encodeParams(query).toString() : '';
    return `${this.target.url}${path}${search ? `?${search}` : ''}`;
  }

  authHeaders(): Record<string, string> {
    const headers: Record<string, string> = { 'User-Agent': `rack-gateway-cli/${clientVersion()}` };
    if (this.target.token) headers.Authorization = `Bearer ${this.target.token}`;
    // Websocket streams (exec, logs) take these headers too, so --mfa-code covers them.
    if (this.mfaCode) headers['X-MFA-Code'] = this.mfaCode;
    if (this.mfaProof) headers['X-MFA-Proof'] = this.mfaProof;
    // A proof works once: only the next request (the retry) carries it.
    this.mfaProof = undefined;
    return headers;
  }

  /** Sends a request and returns whatever came back; only transport failures throw. */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<RawResponse> {
    const first = await this.sendOnce(method, path, options);
    if (!(await this.answerMfa(first.mfaRequired))) return first;
    return this.sendOnce(method, path, options);
  }

  /**
   * After a refusal naming an MFA requirement (the X-MFA-Required header of an HTTP answer or of a refused
   * websocket upgrade): asks for a code when someone can answer. True when the caller should retry once.
   */
  async answerMfa(requirement: string | undefined): Promise<boolean> {
    if (!requirement || !PROMPTABLE.has(requirement) || !this.mfa.prompt) return false;
    const answer = await this.mfa.prompt(requirement);
    if (answer === undefined) return false;
    if ('code' in answer) this.mfaCode = answer.code;
    if ('proof' in answer) this.mfaProof = answer.proof;
    return true;
  }

  private async sendOnce(
    method: string,
    path: string,
    options: RequestOptions,
  ): Promise<RawResponse & { mfaRequired?: string }> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...this.authHeaders(),
      ...options.headers,
    };
    let body: string | undefined;
    if (options.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = encodeParams(options.form).toString();
    } else if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    let response: Response;
    try {
      response = await fetch(this.url(path, options.query), { method, headers, body });
    } catch (error) {
      throw new CliError(networkFailureMessage(this.target.url, error));
    }
    const mfaRequired = response.headers.get('x-mfa-required') ?? undefined;
    return { status: response.status, body: await response.text(), mfaRequired };
  }

  /** A gateway API call (`/api/v1/...`); resolves to the parsed JSON body, or undefined when empty. */
  async api<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    return this.expectSuccess<T>(await this.send(method, `${API_PREFIX}${path}`, options));
  }

  /** A Convox rack API call through the gateway's proxy (`/api/v1/rack-proxy/...`). */
  async rack<T>(method: string, convoxPath: string, options?: RequestOptions): Promise<T> {
    return this.expectSuccess<T>(await this.send(method, `${RACK_PROXY_PREFIX}${convoxPath}`, options));
  }

  failure(status: number, body: string): CliError {
    // A 401 after an MFA code was sent is about the code (wrong, used, expired), not an expired session.
    const text = status === 401 && this.mfaCode ? errorBodyText(body) : undefined;
    return new CliError(text ?? httpFailureMessage(status, body, this.target));
  }

  private expectSuccess<T>(response: RawResponse): T {
    if (response.status >= 400) throw this.failure(response.status, response.body);
    if (!response.body.trim()) return undefined as T;
    try {
      return JSON.parse(response.body) as T;
    } catch {
      // the rack answers some mutations with a plain `ok`
      return response.body.trim() as T;
    }
  }
}
