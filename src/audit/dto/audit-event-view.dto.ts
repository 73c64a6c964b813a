import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuditEventView } from '../audit-event-view';
import type { ChainProblem, ChainVerification } from '../audit-chain-verifier';
import type { AuditEventPage } from '../audit-query.service';

/** The OpenAPI shape of one audit event (the web UI's client is typed from it). */
export class AuditEventViewDto implements AuditEventView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Position in the HMAC chain (a decimal string)' }) chainIndex!: string;
  @ApiProperty({ format: 'date-time' }) time!: string;
  @ApiProperty() requestId!: string;
  @ApiProperty({ example: 'user' }) actorType!: string;
  @ApiProperty() actorEmail!: string;
  @ApiProperty() actorUserId!: string;
  @ApiProperty() tokenId!: string;
  @ApiProperty() tokenName!: string;
  @ApiProperty({ example: 'web' }) channel!: string;
  @ApiProperty() clientIp!: string;
  @ApiProperty() userAgent!: string;
  @ApiProperty() rack!: string;
  @ApiProperty({ example: 'convox:env:read' }) action!: string;
  @ApiProperty() resourceType!: string;
  @ApiProperty() resourceName!: string;
  @ApiProperty() app!: string;
  @ApiProperty() method!: string;
  @ApiProperty() path!: string;
  @ApiProperty({ enum: ['allow', 'deny', 'error'] }) decision!: string;
  @ApiProperty() rule!: string;
  @ApiProperty({ description: 'Redacted request details (JSON)', type: 'object', additionalProperties: true })
  details!: unknown;
  @ApiProperty({ type: Number, nullable: true }) status!: number | null;
  @ApiProperty() result!: string;
  @ApiProperty({ type: Number, nullable: true }) latencyMs!: number | null;
  @ApiProperty({ type: Number, nullable: true }) bytesIn!: number | null;
  @ApiProperty({ type: Number, nullable: true }) bytesOut!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) outcomeDetails!: unknown;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: string | null;
  @ApiProperty({ description: 'Repeated identical reads folded into this event' }) eventCount!: number;
  @ApiProperty({ format: 'date-time' }) lastAt!: string;
}

export class AuditEventPageDto implements AuditEventPage {
  @ApiProperty({ type: [AuditEventViewDto], description: 'Newest first' }) events!: AuditEventViewDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page' })
  nextCursor!: string | null;
}

class ChainProblemDto implements ChainProblem {
  @ApiProperty({ enum: ['edited', 'deleted', 'inserted', 'outcome-edited', 'checkpoint-invalid'] })
  kind!: ChainProblem['kind'];
  @ApiProperty() chainIndex!: string;
  @ApiPropertyOptional() eventId?: string;
  @ApiProperty() message!: string;
}

class OpenEventsDto {
  @ApiProperty() count!: number;
  @ApiProperty({ type: [String] }) firstIds!: string[];
}

class ChainHeadDto {
  @ApiProperty() chainIndex!: string;
  @ApiProperty() chainValue!: string;
}

export class ChainVerificationDto implements ChainVerification {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ description: 'Events whose chain values were recomputed' }) checked!: number;
  @ApiProperty({ type: OpenEventsDto, description: 'Events recorded but never completed' })
  open!: OpenEventsDto;
  @ApiProperty({ type: ChainHeadDto, nullable: true }) head!: ChainHeadDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'Genesis (null) or a retention checkpoint' })
  startedAfter!: string | null;
  @ApiProperty({ type: ChainProblemDto, nullable: true }) problem!: ChainProblemDto | null;
}
