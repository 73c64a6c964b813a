import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequirePermission } from '../access-control/require-permission.decorator';
import { AccessReviewQuery, UserAccessParams, WhoCanQuery } from './dto/access.dto';
import {
  AccessReviewService,
  accessReviewCsvHeader,
  accessReviewCsvLine,
  UNUSED_AFTER_DAYS,
} from './access-review.service';
import { AccessService, type UserAccessAnswer, type WhoCanAnswer } from './access.service';

/** The questions an auditor asks: who can do X, what can this person do, and the periodic access review. */
@ApiTags('access')
@Controller('api/v1')
export class AccessController {
  constructor(
    private readonly access: AccessService,
    private readonly review: AccessReviewService,
  ) {}

  @RequirePermission('gateway:access:read')
  @Get('access/who-can')
  @ApiOperation({ summary: 'Who can perform a permission (optionally on an app)' })
  @ApiOkResponse({
    description: 'Every user and live token that holds the permission, with the bindings granting it',
  })
  whoCan(@Query() query: WhoCanQuery): Promise<WhoCanAnswer> {
    return this.access.whoCan(query.permission, query.app);
  }

  @RequirePermission('gateway:access:read')
  @Get('access/users/:email')
  @ApiOperation({ summary: "A user's effective permissions" })
  @ApiOkResponse({
    description: 'Effective permissions, each with its bindings and its last use in the audit trail',
  })
  userAccess(@Param() params: UserAccessParams): Promise<UserAccessAnswer> {
    return this.access.userAccess(params.email);
  }

  @RequirePermission('gateway:access:read')
  @Get('reports/access-review')
  @ApiOperation({ summary: 'Access review export: every user, role and permission' })
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({
    description: 'Every user and token: bindings, MFA, last login and use, unused permissions',
  })
  async accessReview(@Query() query: AccessReviewQuery, @Res() res: Response): Promise<void> {
    const format = query.format ?? 'csv';
    const day = new Date().toISOString().slice(0, 10);
    // Rows are computed before the first byte so a database failure is still a clean error status.
    const rows = this.review.rows();
    const first = await rows.next();
    res.status(200);
    res.setHeader('Content-Disposition', `attachment; filename="access-review-${day}.${format}"`);
    if (format === 'json') {
      const all = first.done ? [] : [first.value];
      for await (const row of rows) all.push(row);
      res.json({ generatedAt: new Date().toISOString(), unusedAfterDays: UNUSED_AFTER_DAYS, rows: all });
      return;
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.write(accessReviewCsvHeader());
    if (!first.done) res.write(accessReviewCsvLine(first.value));
    for await (const row of rows) {
      if (!res.write(accessReviewCsvLine(row))) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  }
}
