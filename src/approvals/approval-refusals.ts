import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  NotFoundException,
} from '@nestjs/common';

/** The admin API's refusals about deploy approvals, each with its machine code and a sentence to act on. */
export const approvalRefusal = {
  notFound: (id: string) =>
    new NotFoundException({
      error: 'approval_request_not_found',
      message: `no deploy approval request ${id}`,
    }),
  disabled: () =>
    new ForbiddenException({
      error: 'approvals_disabled',
      message:
        'deploy approvals are switched off (setting approvals.enabled): approval-gated tokens cannot deploy at all until an admin switches them back on',
    }),
  tokenNotGated: () =>
    new ForbiddenException({
      error: 'token_not_approval_gated',
      message:
        'this API token does not hold convox:deploy:deploy_with_approval, so an approval would not let it deploy',
    }),
  targetNotGated: (name: string) =>
    new BadRequestException({
      error: 'target_token_not_approval_gated',
      message: `API token ${name} does not hold convox:deploy:deploy_with_approval, so an approval would not let it deploy`,
    }),
  tokenTargetsItself: () =>
    new ForbiddenException({
      error: 'token_requests_for_itself',
      message:
        'an API token requests deploy approvals only for itself: leave targetTokenId out or name this token',
    }),
  targetRequired: () =>
    new BadRequestException({
      error: 'target_token_required',
      message: 'targetTokenId is required: name the API token (one you own) that will deploy',
    }),
  targetUnknown: (id: string) =>
    new NotFoundException({ error: 'target_token_not_found', message: `no live API token ${id}` }),
  targetNotOwned: () =>
    new ForbiddenException({
      error: 'target_token_not_owned',
      message: 'you can request deploy approvals only for API tokens you own',
    }),
  personRequired: () =>
    new ForbiddenException({
      error: 'approval_needs_a_person',
      message:
        'API tokens cannot approve, reject or extend deploy requests, whoever owns them: use a logged-in session with an MFA code',
    }),
  fourEyes: (why: string) =>
    new ForbiddenException({
      error: 'self_approval_refused',
      message: `${why}: someone else must approve it (setting approvals.allow_self_approval is off)`,
    }),
  notOpen: (id: string, status: string, action: string) =>
    new ConflictException({
      error: 'approval_request_not_open',
      message: `deploy approval request ${id} is ${status}: it cannot be ${action}`,
    }),
  expired: (id: string, at: Date) =>
    new ConflictException({
      error: 'approval_request_expired',
      message: `deploy approval request ${id} expired at ${at.toISOString()}: request a new one`,
    }),
  notYours: () =>
    new ForbiddenException({
      error: 'approval_request_not_yours',
      message: 'only whoever requested it (or owns its token) can cancel a deploy approval request',
    }),
  badCursor: () =>
    new BadRequestException({
      error: 'invalid_cursor',
      message: 'cursor must be a nextCursor from a previous page',
    }),
  auditNotYours: () =>
    new ForbiddenException({
      error: 'approval_audit_forbidden',
      message: "a request's audit events need gateway:deploy_approval:approve or gateway:audit:read",
    }),
};
