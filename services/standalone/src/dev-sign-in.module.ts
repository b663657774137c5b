import { Module, type DynamicModule } from '@nestjs/common';
import { loadConfig } from '@dap/platform';
import { DevSignInController } from './dev-sign-in.controller.js';

/**
 * True only in standalone development: the built-in development JWT secret is in use, no real
 * AUTH_JWT_SECRET or AUTH_JWKS_URL is set, and NODE_ENV is not production.
 */
export function devSignInEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NODE_ENV === 'production' || env.AUTH_JWT_SECRET || env.AUTH_JWKS_URL) return false;
  try {
    return loadConfig(env).devJwtSecret;
  } catch {
    // A bad configuration stops start-up elsewhere, with its own message.
    return false;
  }
}

/** `/api/v1/dev/sign-in` and `/api/v1/dev/token` when devSignInEnabled(env), and nothing otherwise. */
@Module({})
export class DevSignInModule {
  static register(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return { module: DevSignInModule, controllers: devSignInEnabled(env) ? [DevSignInController] : [] };
  }
}
