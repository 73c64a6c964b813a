import { BadRequestException, Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequirePermission } from '../../auth/require-permission.decorator';
import { deploymentReportCsv } from './deployment-report-csv';
import { DeploymentReport, DeploymentReportQuery } from './deployment-report.dto';
import { DeploymentReportService } from './deployment-report.service';

const DAY_MS = 86_400_000;
const MAX_RANGE_DAYS = 400;

@ApiTags('reports')
@Controller('api/v1/reports')
export class DeploymentReportController {
  constructor(private readonly report: DeploymentReportService) {}

  @RequirePermission('gateway:audit:read')
  @Get('deployments')
  @ApiOperation({
    summary:
      'Change evidence: every release promote in a range, its approval and its exceptions (JSON or CSV)',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: DeploymentReport })
  @ApiBadRequestResponse({ description: `A bad date, from after to, or a range over ${MAX_RANGE_DAYS} days` })
  async deployments(
    @Query() query: DeploymentReportQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DeploymentReport | string> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (from.getTime() >= to.getTime()) {
      throw new BadRequestException({ error: 'invalid_range', message: 'from must be before to' });
    }
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
      throw new BadRequestException({
        error: 'invalid_range',
        message: `a report covers at most ${MAX_RANGE_DAYS} days; ask for several`,
      });
    }
    const { rows, truncated } = await this.report.rows(from, to);
    if (query.format === 'csv') {
      const name = `deployments-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}.csv`;
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
      if (truncated) res.setHeader('X-Report-Truncated', 'true');
      return deploymentReportCsv(rows);
    }
    return { from: from.toISOString(), to: to.toISOString(), truncated, rows };
  }
}
