// Jest runs TypeScript as native ES modules through @swc/jest (NestJS 12 is ESM-only).
// Three levels, selectable with --selectProjects: unit (*.spec.ts), integration (*.int-spec.ts),
// e2e (*.e2e-spec.ts). Workspace packages resolve to their sources, so tests need no build.
const swc = [
  '@swc/jest',
  {
    swcrc: false,
    sourceMaps: 'inline',
    module: { type: 'es6' },
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
  },
];
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@dap/(contracts|eventsourcing|messaging|platform|testing)$': '<rootDir>/libs/$1/src/index.ts',
    '^@dap/eventsourcing/kurrentdb$': '<rootDir>/libs/eventsourcing/src/kurrentdb/kurrentdb-event-store.ts',
    '^@dap/messaging/kafka$': '<rootDir>/libs/messaging/src/kafka/index.ts',
    '^@dap/testing/chromium$': '<rootDir>/libs/testing/src/chromium.ts',
    '^@dap/platform/http-workers$': '<rootDir>/libs/platform/src/runtime/http-workers.ts',
    '^@dap/(offer|consent|client-directory|health|service-request|standalone)$':
      '<rootDir>/services/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  setupFiles: ['<rootDir>/libs/testing/src/jest-setup.ts'],
};
export default {
  maxWorkers: 2,
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/libs/testing/summary-reporter.cjs'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,tools}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services,tools}/**/*.int-spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: [
        '<rootDir>/{libs,services,tools}/**/*.e2e-spec.ts',
        '<rootDir>/apps/*/e2e/**/*.e2e-spec.ts',
      ],
    },
  ],
};
