import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditAction, AuditChange } from '../audit/audit-action.decorator';
import { AuditEventViewDto } from '../audit/dto/audit-event-view.dto';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { APPROVAL_AUDIT_ACTIONS, APPROVAL_RESOURCE_TYPE } from './approval-audit';
import { ApprovalAuditSnapshot } from './approval-audit-snapshot';
import { ApprovalDecisionsService } from './approval-decisions.service';
import { ApprovalQueriesService } from './approval-queries.service';
import { ApprovalRequestsService } from './approval-requests.service';
import { ApprovalRequestView, toApprovalRequestView } from './approval-request-view';
import { ApprovalNotesDto, CreateApprovalRequestDto } from './dto/create-approval-request.dto';
import {
  ApprovalRequestConflict,
  ApprovalRequestPage,
  ApprovalRequestParams,
  ListApprovalRequestsQuery,
} from './dto/list-approval-requests.dto';

const DECISION_REFUSALS =
  'Not pending/approved any more (409), expired (409), self-approval (403), API token (403), approvals off (403)';

@ApiTags('deploy approvals')
@Controller('api/v1/deploy-approval-requests')
export class ApprovalsController {
  constructor(
    private readonly requests: ApprovalRequestsService,
    private readonly decisions: ApprovalDecisionsService,
    private readonly queries: ApprovalQueriesService,
  ) {}

  @RequirePermission('gateway:deploy_approval:create')
  @AuditAction(APPROVAL_AUDIT_ACTIONS.create, APPROVAL_RESOURCE_TYPE)
  @AuditChange(ApprovalAuditSnapshot)
  @Post()
  @ApiOperation({ summary: 'Request approval to deploy one commit of an app with one API token' })
  @ApiCreatedResponse({ type: ApprovalRequestView, description: 'The new request, pending' })
  @ApiConflictResponse({
    type: ApprovalRequestConflict,
    description: 'An open request for this token, app and commit exists: it is in the body',
  })
  @ApiBadRequestResponse({ description: 'Invalid input (a short commit, no message, bad ciMetadata …)' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateApprovalRequestDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ApprovalRequestView | ApprovalRequestConflict> {
    const { created, request } = await this.requests.create(principal, body);
    const view = toApprovalRequestView(request);
    if (created) return view;
    res.status(HttpStatus.CONFLICT);
    return {
      error: 'approval_request_exists',
      message: `deploy approval request ${request.id} (${request.status}) is already open for this token, app and commit`,
      id: request.id,
      status: request.status,
      request: view,
    };
  }

  @RequirePermission('gateway:deploy_approval:read')
  @Get()
  @ApiOperation({ summary: 'List deploy approval requests (yours, or all for approvers), newest first' })
  @ApiOkResponse({ type: ApprovalRequestPage })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListApprovalRequestsQuery,
  ): Promise<ApprovalRequestPage> {
    const page = await this.queries.list(principal, query);
    return { items: page.items.map(toApprovalRequestView), nextCursor: page.nextCursor };
  }

  @RequirePermission('gateway:deploy_approval:read')
  @Get(':id')
  @ApiOperation({ summary: 'Read a deploy approval request' })
  @ApiOkResponse({ type: ApprovalRequestView })
  @ApiNotFoundResponse({ description: 'No such request, or not one you may see' })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ApprovalRequestParams,
  ): Promise<ApprovalRequestView> {
    return toApprovalRequestView(await this.queries.get(principal, params.id));
  }

  @RequirePermission('gateway:deploy_approval:read')
  @Get(':id/audit-events')
  @ApiOperation({
    summary: "Every audit event carrying the request's id, oldest first (approvers and auditors)",
  })
  @ApiOkResponse({ type: [AuditEventViewDto] })
  @ApiNotFoundResponse({ description: 'No such request, or not one you may see' })
  auditEvents(@CurrentPrincipal() principal: Principal, @Param() params: ApprovalRequestParams) {
    return this.queries.auditEvents(principal, params.id);
  }

  @RequirePermission('gateway:deploy_approval:approve')
  @AuditAction(APPROVAL_AUDIT_ACTIONS.approve, APPROVAL_RESOURCE_TYPE)
  @AuditChange(ApprovalAuditSnapshot)
  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve a pending request (a person with a fresh MFA code; not its requester)' })
  @ApiOkResponse({ type: ApprovalRequestView })
  @ApiConflictResponse({ description: DECISION_REFUSALS })
  async approve(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ApprovalRequestParams,
    @Body() body: ApprovalNotesDto,
  ): Promise<ApprovalRequestView> {
    return toApprovalRequestView(await this.decisions.approve(principal, params.id, body.notes));
  }

  @RequirePermission('gateway:deploy_approval:approve')
  @AuditAction(APPROVAL_AUDIT_ACTIONS.reject, APPROVAL_RESOURCE_TYPE)
  @AuditChange(ApprovalAuditSnapshot)
  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Reject a pending request or revoke an approval (a person with a fresh MFA code)',
  })
  @ApiOkResponse({ type: ApprovalRequestView })
  @ApiConflictResponse({ description: DECISION_REFUSALS })
  async reject(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ApprovalRequestParams,
    @Body() body: ApprovalNotesDto,
  ): Promise<ApprovalRequestView> {
    return toApprovalRequestView(await this.decisions.reject(principal, params.id, body.notes));
  }

  @RequirePermission('gateway:deploy_approval:approve')
  @AuditAction(APPROVAL_AUDIT_ACTIONS.extend, APPROVAL_RESOURCE_TYPE)
  @AuditChange(ApprovalAuditSnapshot)
  @Post(':id/extend')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Give an unexpired approval a new window from now (a person with a fresh MFA code)',
  })
  @ApiOkResponse({ type: ApprovalRequestView })
  @ApiConflictResponse({ description: DECISION_REFUSALS })
  async extend(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ApprovalRequestParams,
    @Body() body: ApprovalNotesDto,
  ): Promise<ApprovalRequestView> {
    return toApprovalRequestView(await this.decisions.extend(principal, params.id, body.notes));
  }

  @RequirePermission('gateway:deploy_approval:create')
  @AuditAction(APPROVAL_AUDIT_ACTIONS.cancel, APPROVAL_RESOURCE_TYPE)
  @AuditChange(ApprovalAuditSnapshot)
  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Withdraw your pending or approved request' })
  @ApiOkResponse({ type: ApprovalRequestView })
  @ApiConflictResponse({ description: 'Not pending or approved any more' })
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ApprovalRequestParams,
    @Body() body: ApprovalNotesDto,
  ): Promise<ApprovalRequestView> {
    return toApprovalRequestView(await this.requests.cancel(principal, params.id, body.notes ? body : {}));
  }
}
