import { ApiProperty } from '@nestjs/swagger';
import type { UserView } from '../user-view';
import { RoleBindingDto } from './user.dto';

/** The OpenAPI shape of a user as the admin API returns it (the web UI's client is typed from it). */
export class UserViewDto implements UserView {
  @ApiProperty({ example: 'ana@example.com' }) email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String], example: ['ops'] }) roles!: string[];
  @ApiProperty({ type: [RoleBindingDto], description: 'Each role and the apps it holds on' })
  bindings!: RoleBindingDto[];
  @ApiProperty() locked!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lockedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) lockedReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) lockedBy!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSeenAt!: string | null;
}
