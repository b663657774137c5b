import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsFQDN,
  IsIn,
  IsISO31661Alpha2,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ListQueryDto } from '@dap/platform';
import { DELEGATED_ACTIONS } from '../domain/access-decision.js';

export class OfferLinkQueryDto {
  @ApiPropertyOptional({ description: 'the code from the offer link' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  code?: string;
}

export class AddressDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) line1!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) line2?: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) city!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) region?: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(20) postalCode!: string;
  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'CN' }) @IsISO31661Alpha2() country!: string;
}

export class ClientDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ example: 'contoso.partner.onmschina.cn' }) @IsFQDN() @MaxLength(253) primaryDomain!: string;
  @ApiProperty({ type: AddressDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;
}

export class AcceptOfferDto {
  @ApiProperty({ type: ClientDto }) @IsDefined() @ValidateNested() @Type(() => ClientDto) client!: ClientDto;
}

export class DelegationListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['active', 'revoked', 'expired'] })
  @IsOptional()
  @IsIn(['active', 'revoked', 'expired'])
  status?: 'active' | 'revoked' | 'expired';

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) clientId?: string;
}

export class RevokeDelegationDto {
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class SetDelegatedRoleDto {
  @ApiProperty({ enum: ['full', 'limited', 'none'] }) @IsIn(['full', 'limited', 'none']) role!:
    | 'full'
    | 'limited'
    | 'none';
}

export class PartnerUsersQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['full', 'limited', 'none'] })
  @IsOptional()
  @IsIn(['full', 'limited', 'none'])
  role?: string;
}

export class AccessDecisionQueryDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(320) userId!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) clientId!: string;
  @ApiProperty({ enum: DELEGATED_ACTIONS }) @IsIn(DELEGATED_ACTIONS) action!: string;
}

export class AccessEventsQueryDto extends ListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) clientId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(320) userId?: string;
  @ApiPropertyOptional({ description: 'platform.auditor only; partner admins always see their own' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  partnerId?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class AccessSnapshotQueryDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) clientId!: string;
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }) at!: string;
}
