import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { DataSource, IsNull, Not, Repository } from 'typeorm';
import { apiError } from '../access-control/api-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { ChallengePurpose } from './entities/mfa-challenge.entity';
import { MfaMethodEntity } from './entities/mfa-method.entity';
import { WEBAUTHN_CHALLENGE_TTL_MS } from './mfa-policy';
import { returningRows } from './returning-rows';

export type AssertionPurpose = Exclude<ChallengePurpose, 'registration'>;

type AuthenticatorTransport = NonNullable<RegistrationResponseJSON['response']['transports']>[number];

/** Who is asking: challenges are bound to the user and to the very session that asked for them. */
export interface WebauthnCaller {
  userId: string;
  sessionId: string;
  email: string;
  name: string;
}

/**
 * Passkeys and security keys. Challenges live in mfa_challenges, bound to the session, and are claimed with
 * one DELETE … RETURNING during verification, so each works once and only within five minutes. The
 * signature counter is stored and a response that does not advance it (when either side counts) is refused.
 * RP ID and origin come from PUBLIC_URL.
 */
@Injectable()
export class WebauthnService {
  private readonly rpId: string;
  private readonly origin: string;

  constructor(
    @InjectRepository(MfaMethodEntity) private readonly methods: Repository<MfaMethodEntity>,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const url = new URL(config.http.publicUrl);
    this.rpId = url.hostname;
    this.origin = url.origin;
  }

  async registrationOptions(caller: WebauthnCaller): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.confirmedCredentials(caller.userId);
    const options = await generateRegistrationOptions({
      rpName: `Rack Gateway (${this.config.rack.name})`,
      rpID: this.rpId,
      userName: caller.email,
      userDisplayName: caller.name || caller.email,
      userID: new TextEncoder().encode(caller.userId),
      attestationType: 'none',
      excludeCredentials: existing.map((m) => ({ id: m.credentialId!, transports: transportsOf(m) })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      timeout: WEBAUTHN_CHALLENGE_TTL_MS,
    });
    await this.storeChallenge(caller, 'registration', options.challenge);
    return options;
  }

  async register(
    caller: WebauthnCaller,
    response: RegistrationResponseJSON,
    label: string,
    cliCapable: boolean,
  ): Promise<MfaMethodEntity> {
    let verification;
    try {
      verification = await verifyRegistrationResponse({
        response,
        expectedChallenge: (challenge) => this.claimChallenge(caller, 'registration', challenge),
        expectedOrigin: this.origin,
        expectedRPID: this.rpId,
        requireUserVerification: false,
      });
    } catch (error) {
      throw apiError(HttpStatus.BAD_REQUEST, 'webauthn_registration_failed', messageOf(error));
    }
    if (!verification.verified)
      throw apiError(HttpStatus.BAD_REQUEST, 'webauthn_registration_failed', 'not verified');
    const { credential } = verification.registrationInfo;
    if (await this.methods.exist({ where: { credentialId: credential.id } }))
      throw apiError(HttpStatus.CONFLICT, 'credential_exists', 'this credential is already registered');
    const method = this.methods.create({
      userId: caller.userId,
      kind: 'webauthn',
      label,
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey),
      signCount: String(credential.counter),
      transports: credential.transports ?? [],
      cliCapable,
      confirmedAt: new Date(),
    });
    await this.methods.insert(method);
    return method;
  }

  /**
   * Options for an assertion; `cliOnly` keeps browser-only passkeys out of CLI-driven flows. `purpose`
   * `action` marks a challenge whose assertion buys a proof for one `always` request, and nothing else.
   */
  async authenticationOptions(
    caller: WebauthnCaller,
    cliOnly = false,
    purpose: AssertionPurpose = 'authentication',
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const credentials = (await this.confirmedCredentials(caller.userId)).filter(
      (m) => !cliOnly || m.cliCapable,
    );
    if (credentials.length === 0)
      throw apiError(
        HttpStatus.BAD_REQUEST,
        'no_webauthn_credentials',
        'no usable security key or passkey is enrolled',
      );
    const options = await generateAuthenticationOptions({
      rpID: this.rpId,
      allowCredentials: credentials.map((m) => ({ id: m.credentialId!, transports: transportsOf(m) })),
      userVerification: 'preferred',
      timeout: WEBAUTHN_CHALLENGE_TTL_MS,
    });
    await this.storeChallenge(caller, purpose, options.challenge);
    return options;
  }

  /** The method that produced a valid assertion for an outstanding challenge, or a reason it did not. */
  async authenticate(
    caller: WebauthnCaller,
    response: AuthenticationResponseJSON,
    purpose: AssertionPurpose = 'authentication',
  ): Promise<{ method?: MfaMethodEntity; failure?: string }> {
    const method = await this.methods.findOne({
      where: {
        userId: caller.userId,
        kind: 'webauthn',
        credentialId: response.id,
        confirmedAt: Not(IsNull()),
      },
    });
    if (!method) return { failure: 'unknown_credential' };
    try {
      const result = await verifyAuthenticationResponse({
        response,
        expectedChallenge: (challenge) => this.claimChallenge(caller, purpose, challenge),
        expectedOrigin: this.origin,
        expectedRPID: this.rpId,
        credential: {
          id: method.credentialId!,
          publicKey: new Uint8Array(method.publicKey!),
          counter: Number(method.signCount),
          transports: transportsOf(method),
        },
        requireUserVerification: false,
      });
      if (!result.verified) return { failure: 'assertion_not_verified' };
      // Claimed conditionally too, so two assertions racing with counters cannot both move it.
      const moved: unknown = await this.dataSource.query(
        `UPDATE mfa_methods SET sign_count = $2, last_used_at = now()
          WHERE id = $1 AND (sign_count < $2 OR ($2 = 0 AND sign_count = 0)) RETURNING id`,
        [method.id, result.authenticationInfo.newCounter],
      );
      if (returningRows(moved).length === 0) return { failure: 'sign_counter_regressed' };
      return { method };
    } catch (error) {
      const text = messageOf(error);
      if (/counter/i.test(text)) return { failure: 'sign_counter_regressed' };
      if (/challenge/i.test(text)) return { failure: 'challenge_unknown_used_or_expired' };
      return { failure: 'assertion_invalid' };
    }
  }

  private confirmedCredentials(userId: string): Promise<MfaMethodEntity[]> {
    return this.methods.find({ where: { userId, kind: 'webauthn', confirmedAt: Not(IsNull()) } });
  }

  private async storeChallenge(caller: WebauthnCaller, purpose: ChallengePurpose, challenge: string) {
    await this.dataSource.query(
      `INSERT INTO mfa_challenges (user_id, session_id, purpose, challenge, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
      [caller.userId, caller.sessionId, purpose, challenge, WEBAUTHN_CHALLENGE_TTL_MS / 1000],
    );
  }

  /** True once for a live challenge of this session and purpose; it is gone afterwards either way. */
  private async claimChallenge(caller: WebauthnCaller, purpose: ChallengePurpose, challenge: string) {
    const rows: unknown = await this.dataSource.query(
      `DELETE FROM mfa_challenges
        WHERE session_id = $1 AND user_id = $2 AND purpose = $3 AND challenge = $4 RETURNING expires_at`,
      [caller.sessionId, caller.userId, purpose, challenge],
    );
    const [row] = returningRows<{ expires_at: Date }>(rows);
    return row !== undefined && new Date(row.expires_at).getTime() > Date.now();
  }
}

function transportsOf(method: MfaMethodEntity): AuthenticatorTransport[] {
  return method.transports as AuthenticatorTransport[];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
