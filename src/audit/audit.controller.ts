import { Controller, Get, HttpException, HttpStatus, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RequirePermission } from '../access-control/require-permission.decorator';
import { AuditChainService } from './audit-chain.service';
import { AuditQueryService, AuditEventPage } from './audit-query.service';
import { AuditService } from './audit.service';
import { ChainVerification } from './audit-chain-verifier';
import { AuditEventPageDto, ChainVerificationDto } from './dto/audit-event-view.dto';
import { ExportAuditEventsQuery, ListAuditEventsQuery } from './dto/audit-query.dto';

/** Reading the audit log is itself audited: a list or verify after it ran, an export before it streams. */
@ApiTags('audit')
@Controller('api/v1')
export class AuditController {
  constructor(
    private readonly queries: AuditQueryService,
    private readonly audit: AuditService,
    private readonly chain: AuditChainService,
  ) {}

  @RequirePermission('gateway:audit:read')
  @Get('audit-events')
  @ApiOperation({ summary: 'Search audit events (keyset pages, newest first)' })
  @ApiOkResponse({ type: AuditEventPageDto })
  async list(@Query() query: ListAuditEventsQuery, @Req() req: Request): Promise<AuditEventPage> {
    const page = await this.queries.list(query);
    await this.auditRead(
      req,
      'gateway:audit:read',
      { filters: filtersOf(query), returned: page.events.length },
      200,
    );
    return page;
  }

  @RequirePermission('gateway:audit:read')
  @Get('audit-events/export')
  @ApiOperation({ summary: 'Export audit events as CSV or JSON Lines' })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({ description: 'CSV or JSON Lines, streamed', schema: { type: 'string' } })
  async export(
    @Query() query: ExportAuditEventsQuery,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const format = query.format ?? 'jsonl';
    await this.auditRead(req, 'gateway:audit:export', { filters: filtersOf(query), format });
    const day = new Date().toISOString().slice(0, 10);
    res.status(200);
    res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson');
    res.setHeader('Content-Disposition', `attachment; filename="audit-events-${day}.${format}"`);
    try {
      await this.queries.export(query, format, res);
    } finally {
      res.end();
    }
  }

  @RequirePermission('gateway:audit:read')
  @Get('audit/verify')
  @ApiOperation({ summary: 'Verify the HMAC chain of the audit log' })
  @ApiOkResponse({ description: 'The chain verification report', type: ChainVerificationDto })
  async verify(@Req() req: Request): Promise<ChainVerification> {
    const report = await this.chain.verify();
    await this.auditRead(req, 'gateway:audit:verify', { ok: report.ok, checked: report.checked }, 200);
    return report;
  }

  private async auditRead(req: Request, action: string, details: Record<string, unknown>, status?: number) {
    try {
      await this.audit.record({
        action,
        decision: 'allow',
        rule: 'route-permission',
        details,
        status,
        request: req,
      });
    } catch (cause) {
      throw new HttpException(
        { error: 'audit_unavailable', message: 'audit log unavailable' },
        HttpStatus.SERVICE_UNAVAILABLE,
        { cause },
      );
    }
  }
}

function filtersOf(query: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
}
