import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SERVICES = ['offer', 'consent', 'client-directory', 'health', 'service-request'];

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

describe('service boundaries', () => {
  it('no file under one service imports another service (tests included)', () => {
    const offending = SERVICES.flatMap((service) =>
      sources(join(ROOT, 'services', service, 'src')).flatMap((file) => {
        const others = SERVICES.filter((s) => s !== service).join('|');
        const foreign = new RegExp(`from '(@dap/(${others})|[./]+/(${others})/src/)`);
        return foreign.test(readFileSync(file, 'utf8')) ? [relative(ROOT, file)] : [];
      }),
    );
    expect(offending).toEqual([]);
  });

  it('fails lint when a service imports another, by package or by path, and lets standalone compose them', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const lint = async (path: string, text: string) => {
      const [result] = await eslint.lintText(text, { filePath: join(ROOT, path) });
      return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
    };
    const probe = (from: string) => `import { x } from '${from}';\nexport const y = x;\n`;
    expect(await lint('services/consent/src/probe.e2e-spec.ts', probe('@dap/offer'))).toBe(1);
    expect(
      await lint('services/client-directory/src/api/probe.ts', probe('../../../health/src/index.js')),
    ).toBe(1);
    expect(await lint('services/service-request/src/domain/probe.ts', probe('@dap/consent'))).toBe(1);
    expect(await lint('services/service-request/src/domain/probe.ts', probe('node:fs'))).toBe(1);
    expect(await lint('services/consent/src/probe.ts', probe('@dap/contracts'))).toBe(0);
    expect(await lint('services/standalone/src/probe.ts', probe('@dap/offer'))).toBe(0);
  });
});
