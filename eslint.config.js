import tseslint from 'typescript-eslint';

/** The five services: each meets the others only through @dap/contracts events (standalone composes them). */
const SERVICES = ['offer', 'consent', 'client-directory', 'health', 'service-request'];
const DOMAIN_PURITY = [
  '@nestjs/*',
  'pg',
  '@electric-sql/*',
  'node:*',
  'fs',
  'crypto',
  '@dap/platform',
  '@dap/messaging',
];

/** Another service's package, or its files reached by a relative path. */
const otherServices = (service) =>
  SERVICES.filter((other) => other !== service).flatMap((other) => [
    {
      group: [`@dap/${other}`, `@dap/${other}/*`],
      message: 'a service never imports another service: use @dap/contracts events',
    },
    {
      group: [`**/${other}/src/**`, `**/services/${other}/**`],
      message: 'a service never imports another service: use @dap/contracts events',
    },
  ]);

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'coverage/**', '.nx/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // Later entries replace earlier settings of the same rule, so the domain's entry repeats the service's.
  ...SERVICES.flatMap((service) => [
    {
      files: [`services/${service}/src/**/*.ts`],
      rules: { 'no-restricted-imports': ['error', { patterns: otherServices(service) }] },
    },
    {
      // The domain is pure: no framework, no I/O, no clock (time is passed in).
      files: [`services/${service}/src/domain/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          { patterns: [...DOMAIN_PURITY.map((p) => ({ group: [p] })), ...otherServices(service)] },
        ],
      },
    },
  ]),
);
