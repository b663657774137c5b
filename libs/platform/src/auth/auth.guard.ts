import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@dap/eventsourcing';
import { PUBLIC_KEY, ROLES_KEY } from './decorators.js';
import type { Role } from './principal.js';
import { TokenVerifier } from './token-verifier.js';

/** Global guard: every route needs a valid token (401) and, where declared, one of its roles (403). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const principal = await this.verifier.verify(request.headers.authorization);
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.some((r) => principal.roles.includes(r)))
      throw new DomainError('forbidden', `requires one of the roles: ${roles.join(', ')}`);
    return true;
  }
}
