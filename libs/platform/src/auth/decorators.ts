import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role } from './principal.js';

export const PUBLIC_KEY = 'dap:public';
export const ROLES_KEY = 'dap:roles';

/** No token needed (operations endpoints). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** The caller needs at least one of these roles (403 otherwise). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** The verified principal of the request. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest().principal,
);
