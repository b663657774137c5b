import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  SERVICE_REQUEST_SEVERITIES,
  SERVICE_REQUEST_STATUSES,
  type ServiceRequestSeverity,
  type ServiceRequestStatus,
} from '@dap/contracts';
import { ListQueryDto } from '@dap/platform';

export class ContactDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ format: 'email' }) @IsEmail() @MaxLength(320) email!: string;
  @ApiPropertyOptional({ example: '+86 21 5555 0100' })
  @IsOptional()
  @Matches(/^\+?[0-9 ().-]{3,40}$/, { message: 'must be a phone number' })
  phone?: string;
}

export class CreateServiceRequestDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) clientId!: string;
  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) title!: string;
  @ApiProperty({ minLength: 1, maxLength: 10000 })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  description!: string;
  @ApiProperty({ enum: SERVICE_REQUEST_SEVERITIES })
  @IsIn([...SERVICE_REQUEST_SEVERITIES])
  severity!: ServiceRequestSeverity;
  @ApiProperty({ type: ContactDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ContactDto)
  contact!: ContactDto;
}

export class AddNoteDto {
  @ApiProperty({ minLength: 1, maxLength: 10000 }) @IsString() @MinLength(1) @MaxLength(10000) text!: string;
}

export class ChangeStatusDto {
  @ApiProperty({ enum: SERVICE_REQUEST_STATUSES })
  @IsIn([...SERVICE_REQUEST_STATUSES])
  status!: ServiceRequestStatus;
  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  note?: string;
}

export class ServiceRequestListQueryDto extends ListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) clientId?: string;
  @ApiPropertyOptional({ enum: SERVICE_REQUEST_STATUSES })
  @IsOptional()
  @IsIn([...SERVICE_REQUEST_STATUSES])
  status?: ServiceRequestStatus;
}
