import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Max,
  Min,
  ValidateNested,
  IsArray,
  IsDefined,
} from 'class-validator';

/** Licences in one purchase or subscription: bounded so that it fits every store and read model. */
export const MAX_QUANTITY = 1_000_000;

export class TrialDto {
  @ApiProperty() @IsString() @MaxLength(100) productId!: string;
}

export class PurchaseDto {
  @ApiProperty() @IsString() @MaxLength(100) productId!: string;
  @ApiProperty({ minimum: 1, maximum: MAX_QUANTITY }) @IsInt() @Min(1) @Max(MAX_QUANTITY) quantity!: number;
}

export class IncludesDto {
  @ApiPropertyOptional({ type: TrialDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TrialDto)
  trial?: TrialDto;
  @ApiPropertyOptional({ type: PurchaseDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PurchaseDto)
  purchase?: PurchaseDto;
}

export class CreateOfferDto {
  @ApiPropertyOptional({ type: IncludesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => IncludesDto)
  includes?: IncludesDto;

  @ApiPropertyOptional({ enum: ['full', 'limited'], isArray: true, default: ['full', 'limited'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(['full', 'limited'], { each: true })
  grantedRoles?: ('full' | 'limited')[];

  @ApiPropertyOptional({ example: 'P90D', description: 'P1D..P730D (days or weeks); absent = no expiry' })
  @IsOptional()
  @Matches(/^P(\d+W)?(\d+D)?$/, { message: 'must be an ISO-8601 duration in days or weeks, e.g. P90D' })
  delegationDuration?: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() autoExtend?: boolean;

  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) expiresAt?: string;

  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) message?: string;
}

export class SendOfferDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 50, example: ['it@contoso.example.com'] })
  @IsDefined()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsEmail({}, { each: true })
  recipients!: string[];

  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) message?: string;
}

export class RevokeOfferDto {
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}
