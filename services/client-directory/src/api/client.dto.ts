import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ListQueryDto } from '@dap/platform';
import {
  CLIENT_SORTS,
  HEALTH_FILTERS,
  type ClientSort,
  type HealthFilter,
} from '../application/client-list.types.js';

export class ListClientsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    description: 'case-insensitive substring of the name or primary domain; an exact domain ranks first',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  search?: string;

  @ApiPropertyOptional({ enum: CLIENT_SORTS, default: 'name' })
  @IsOptional()
  @IsIn(CLIENT_SORTS)
  sort?: ClientSort;
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
  @ApiPropertyOptional({ enum: HEALTH_FILTERS }) @IsOptional() @IsIn(HEALTH_FILTERS) health?: HealthFilter;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) tag?: string;
}

/** The export has no paging: the whole filtered list. */
export class ExportClientsQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) search?: string;
  @ApiPropertyOptional({ enum: CLIENT_SORTS }) @IsOptional() @IsIn(CLIENT_SORTS) sort?: ClientSort;
  @ApiPropertyOptional({ enum: ['asc', 'desc'] }) @IsOptional() @IsIn(['asc', 'desc']) order?: 'asc' | 'desc';
  @ApiPropertyOptional({ enum: HEALTH_FILTERS }) @IsOptional() @IsIn(HEALTH_FILTERS) health?: HealthFilter;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) tag?: string;
}

/** Named apart from consent's AddressDto: OpenAPI keeps one schema per class name. */
export class ClientAddressDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) line1!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) line2?: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) city!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) region?: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(20) postalCode!: string;
  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'CN' })
  @IsString()
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code' })
  country!: string;
}

export class UpdateClientDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(256) name?: string;
  @ApiPropertyOptional({ type: ClientAddressDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClientAddressDto)
  address?: ClientAddressDto;

  @ApiPropertyOptional({ type: [String], maxItems: 30 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(40, { each: true })
  tags?: string[];
}

export class PutSubscriptionDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) productId!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ minimum: 1, maximum: 1_000_000 }) @IsInt() @Min(1) @Max(1_000_000) quantity!: number;
  @ApiProperty({ enum: ['active', 'trial', 'suspended'] }) @IsIn(['active', 'trial', 'suspended']) status!:
    | 'active'
    | 'trial'
    | 'suspended';
}
