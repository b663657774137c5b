import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { DEV_JWT_SECRET, mintToken, Public } from '@dap/platform';

/** The principals a development sign-in may mint: the console's three kinds of user. */
export const DEV_SIGN_IN_ROLES = ['partner.admin', 'partner.agent', 'client.admin'] as const;
const TOKEN_LIFETIME = '8h';

export class DevTokenDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/^[^\s]+$/, { message: 'must not contain spaces' })
  sub!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9._@-]+$/, { message: 'must be letters, digits or ._@-' })
  tid!: string;

  @IsIn(DEV_SIGN_IN_ROLES)
  role!: (typeof DEV_SIGN_IN_ROLES)[number];
}

/**
 * Development sign-in: mints a token signed with the built-in development secret, for the
 * console's "sign in as" form. Registered only by DevSignInModule when that secret is in use.
 */
@ApiExcludeController()
@Public()
@Controller('dev')
export class DevSignInController {
  @Get('sign-in')
  describe() {
    return { available: true, roles: DEV_SIGN_IN_ROLES, tokenLifetime: TOKEN_LIFETIME };
  }

  @Post('token')
  @HttpCode(201)
  async token(@Body() body: DevTokenDto) {
    const token = await mintToken(
      DEV_JWT_SECRET,
      { sub: body.sub, tid: body.tid, roles: [body.role] },
      TOKEN_LIFETIME,
    );
    return { token, sub: body.sub, tid: body.tid, roles: [body.role], expiresIn: TOKEN_LIFETIME };
  }
}
