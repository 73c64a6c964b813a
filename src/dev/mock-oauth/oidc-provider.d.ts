// oidc-provider ships no type declarations; these cover only what the mock Google login uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface ProviderContext {
    status: number;
    type: string;
    body: unknown;
    host: string;
  }

  export interface AccountClaims {
    sub: string;
    [claim: string]: unknown;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<AccountClaims> | AccountClaims;
  }

  export interface ClientMetadata {
    client_id: string;
    client_secret: string;
    redirect_uris: string[];
    post_logout_redirect_uris?: string[];
    grant_types?: string[];
    response_types?: string[];
    token_endpoint_auth_method?: string;
  }

  export interface ErrorOutput {
    error: string;
    error_description?: string;
  }

  export interface Configuration {
    clients: ClientMetadata[];
    findAccount(ctx: ProviderContext, sub: string): Promise<Account | undefined>;
    jwks: { keys: object[] };
    cookies: { keys: string[]; names?: { session?: string; interaction?: string; resume?: string } };
    claims: Record<string, string[] | null>;
    scopes: string[];
    responseTypes: string[];
    clientAuthMethods: string[];
    conformIdTokenClaims: boolean;
    allowOmittingSingleRegisteredRedirectUri: boolean;
    pkce: { required(ctx: ProviderContext, client: unknown): boolean };
    clientBasedCORS(ctx: ProviderContext, origin: string, client: unknown): boolean;
    ttl: Record<string, number>;
    interactions: {
      policy: interactionPolicy.Policy;
      url(ctx: ProviderContext, interaction: Interaction): string;
    };
    renderError(ctx: ProviderContext, out: ErrorOutput, error: Error): Promise<void>;
    features: Record<string, Record<string, unknown>>;
  }

  export interface InteractionResult {
    login?: { accountId: string; remember?: boolean };
    consent?: { grantId: string };
    error?: string;
    error_description?: string;
    [prompt: string]: unknown;
  }

  export interface Interaction {
    uid: string;
    exp: number;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown>;
  }

  export class Grant {
    constructor(properties: { accountId: string; clientId: string });
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }

  export class Provider {
    constructor(issuer: string, configuration: Configuration);
    readonly issuer: string;
    readonly Grant: typeof Grant;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResult,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: 'server_error', listener: (ctx: ProviderContext, error: Error) => void): this;
  }

  export namespace interactionPolicy {
    class Check {
      constructor(reason: string, description: string, check: (ctx: ProviderContext) => boolean);
    }
    class Prompt {
      constructor(options: { name: string; requestable: boolean }, ...checks: Check[]);
      readonly name: string;
    }
    interface Policy extends Array<Prompt> {
      add(prompt: Prompt, index?: number): void;
      get(name: string): Prompt | undefined;
    }
    function base(): Policy;
  }

  export namespace errors {
    class OIDCProviderError extends Error {
      error: string;
      error_description?: string;
      status: number;
    }
  }
}
