import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MfaModule } from '../mfa/mfa.module';
import { RbacModule } from '../rbac/rbac.module';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { AuthRateLimiter } from './auth-rate-limiter';
import { AuthService } from './auth.service';
import { CliLoginApprovalController } from './cli/cli-login-approval.controller';
import { CliLoginController } from './cli/cli-login.controller';
import { CliLoginEntity } from './cli/cli-login.entity';
import { CliLoginService } from './cli/cli-login.service';
import { CredentialGate } from './credential-gate/credential-gate.service';
import { CsrfService } from './csrf.service';
import { LoginStateEntity } from './google/login-state.entity';
import { OidcDiscoveryService } from './google/oidc-discovery.service';
import { WebLoginController } from './google/web-login.controller';
import { WebLoginService } from './google/web-login.service';
import { InfoController } from './info.controller';
import { LoginCleanupService } from './login-cleanup.service';
import { MeController } from './me.controller';
import { PrincipalRecheckService } from './principal-recheck.service';
import { SessionAdminService } from './sessions/session-admin.service';
import { SessionAuditSnapshot, UserSessionsAuditSnapshot } from './sessions/session-audit-snapshots';
import { SessionsController } from './sessions/sessions.controller';
import { SessionsModule } from '../sessions/sessions.module';

/**
 * Logins (browser and CLI), sessions and the one authentication path (AuthService, with the credential
 * gate and CSRF), which the access chain's authentication step calls for HTTP and websocket upgrades alike.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([LoginStateEntity, CliLoginEntity]),
    // Only the storage is used (AuthRateLimiter keys it per IP and per account); no global throttler guard.
    ThrottlerModule.forRoot([]),
    DiscoveryModule,
    SessionsModule,
    UsersModule,
    TokensModule,
    RbacModule,
    MfaModule,
  ],
  controllers: [
    WebLoginController,
    CliLoginController,
    CliLoginApprovalController,
    SessionsController,
    MeController,
    InfoController,
  ],
  providers: [
    AuthService,
    PrincipalRecheckService,
    AuthRateLimiter,
    CredentialGate,
    CsrfService,
    OidcDiscoveryService,
    WebLoginService,
    CliLoginService,
    SessionAdminService,
    SessionAuditSnapshot,
    UserSessionsAuditSnapshot,
    LoginCleanupService,
  ],
  exports: [AuthService, PrincipalRecheckService, CsrfService, SessionsModule, MfaModule],
})
export class AuthModule {}
