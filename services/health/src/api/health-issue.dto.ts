import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import {
  HEALTH_CLASSIFICATIONS,
  HEALTH_STATUSES,
  type HealthClassification,
  type HealthStatus,
} from '@dap/contracts';
import { ListQueryDto } from '@dap/platform';

/** Issue ids name streams (`health-issue-<issueId>:<clientId>`), so they keep to a safe alphabet. */
export const ISSUE_ID = /^[A-Za-z0-9._-]{1,100}$/;
const CLIENT_ID = /^[A-Za-z0-9._@-]{1,200}$/;

export class RaiseHealthIssueDto {
  @ApiPropertyOptional({ example: 'EX1048576', description: 'generated when absent' })
  @IsOptional()
  @Matches(ISSUE_ID, { message: 'must be 1..100 letters, digits, dots, dashes or underscores' })
  issueId?: string;

  @ApiProperty({ type: [String], minItems: 1, maxItems: 10000 })
  @IsDefined()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
  @Matches(CLIENT_ID, { each: true, message: 'each client id must be 1..200 letters, digits or ._@-' })
  clientIds!: string[];

  @ApiProperty({ example: 'Exchange Online' }) @IsString() @MinLength(1) @MaxLength(200) service!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) feature?: string;
  @ApiProperty({ enum: HEALTH_CLASSIFICATIONS })
  @IsIn([...HEALTH_CLASSIFICATIONS])
  classification!: HealthClassification;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(500) title!: string;
  @ApiProperty() @IsString() @MaxLength(10000) impactDescription!: string;
  @ApiProperty({ enum: HEALTH_STATUSES }) @IsIn([...HEALTH_STATUSES]) status!: HealthStatus;
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }) startDateTime!: string;
}

export class UpdateHealthIssueDto {
  @ApiProperty({ enum: HEALTH_STATUSES }) @IsIn([...HEALTH_STATUSES]) status!: HealthStatus;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(10000) message!: string;

  @ApiPropertyOptional({ type: [String], description: 'all clients that have the issue when absent' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
  @Matches(CLIENT_ID, { each: true, message: 'each client id must be 1..200 letters, digits or ._@-' })
  clientIds?: string[];
}

export class HealthIssueListQueryDto extends ListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) clientId?: string;
  @ApiPropertyOptional({ enum: ['active', 'resolved'] }) @IsOptional() @IsIn(['active', 'resolved']) status?:
    | 'active'
    | 'resolved';
  @ApiPropertyOptional({ enum: HEALTH_CLASSIFICATIONS })
  @IsOptional()
  @IsIn([...HEALTH_CLASSIFICATIONS])
  classification?: HealthClassification;
}

export class HealthStreamQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) clientId?: string;
  @ApiPropertyOptional({ description: 'same as the Last-Event-ID header' })
  @IsOptional()
  @Matches(/^\d{1,15}$/)
  lastEventId?: string;
}
