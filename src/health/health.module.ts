import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HttpMetrics } from './http-metrics';
import { ReadinessService } from './readiness.service';

@Module({
  controllers: [HealthController],
  providers: [ReadinessService, HttpMetrics],
  exports: [HttpMetrics],
})
export class HealthModule {}
