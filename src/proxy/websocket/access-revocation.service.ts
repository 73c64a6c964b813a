import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { AccessChange } from '../../access-events/access-change';
import { AccessChangeSignal } from '../../access-events/access-change.signal';
import { AuditRecorder } from '../../audit/audit-recorder';
import { credentialEndText, PrincipalRecheckService } from '../../auth/principal-recheck.service';
import { ConvoxAuthorizerService } from '../../rbac/convox-authorizer.service';
import { CREDENTIAL_ENDED, PERMISSION_REVOKED } from './close-codes';
import { LiveWebsockets, type LiveWebsocket, type SessionEndedBy } from './live-websockets';

/**
 * Ends live proxied websockets whose access was taken away. On every access change (token or session
 * revoked, user locked, deleted or given other roles) each session it concerns is decided again the way
 * its upgrade was: the credential re-read, then the same authorizer. Sessions that no longer pass are
 * closed with the reason; the rest carry on with the refreshed principal.
 */
@Injectable()
export class AccessRevocationService implements OnModuleInit, OnModuleDestroy {
  private stopListening?: () => void;

  constructor(
    private readonly signal: AccessChangeSignal,
    private readonly live: LiveWebsockets,
    private readonly recheck: PrincipalRecheckService,
    private readonly authorizer: ConvoxAuthorizerService,
    private readonly audit: AuditRecorder,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.signal.listen(async (change) => void (await this.apply(change)));
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  /** Returns the audit event ids of the sessions it ended. */
  async apply(change: AccessChange): Promise<string[]> {
    const concerned = this.live.concernedBy(change);
    const ended: string[] = [];
    for (const session of concerned) {
      const refusal = await this.refusalFor(session);
      if (!refusal) continue;
      const ending = session.end(refusal.close, { actor: change.by, ...refusal.ended });
      // A session still being dialed has no event yet; its own event records the end.
      if (ending && session.auditEventId) ended.push(session.auditEventId);
    }
    // Runs inside the admin request that made the change (when there is one): its event lists what it ended.
    if (ended.length > 0) this.audit.annotate({ websocketsEnded: ended });
    return ended;
  }

  private async refusalFor(session: LiveWebsocket): Promise<Refusal | undefined> {
    const current = await this.recheck.recheck(session.principal);
    if (!current.valid) {
      return {
        close: { code: CREDENTIAL_ENDED, reason: credentialEndText(current.cause) },
        ended: { cause: current.cause },
      };
    }
    const decision = this.authorizer.authorize(
      current.principal,
      session.method,
      session.rawPath,
      session.headers,
      true,
    );
    if (!decision.allowed) {
      const permission = session.permission ?? undefined;
      return {
        close: { code: PERMISSION_REVOKED, reason: `permission revoked: ${permission ?? decision.error}` },
        ended: { cause: 'permission_revoked', permission },
      };
    }
    session.principal = current.principal;
    return undefined;
  }
}

interface Refusal {
  close: { code: number; reason: string };
  ended: Omit<SessionEndedBy, 'actor'>;
}
