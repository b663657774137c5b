/**
 * What the validation pipe costs a request, in Node CPU: the product's pipe (libs/platform's
 * `validationPipe`, which answers a valid DTO from its own plan of the rules) beside NestJS's own
 * `ValidationPipe` with the same options (class-validator's executor on every request), on the bodies
 * and queries of the benchmarked paths. Prints, asserts nothing.
 *
 *   npm run build && node tools/dist/bench/validation-pipe.bench.js [--rounds 5] [--count 20000]
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ValidationPipe, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import '@dap/client-directory';
import '@dap/consent';
import '@dap/service-request';
import { validatedClasses, validationPipe } from '@dap/platform';
import { acceptBody, roleFlips, serviceRequests } from './command-paths.js';
import { SEARCH_TERM } from './client-population.js';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, count: { type: 'string', default: '20000' } },
});
const ROUNDS = Number(args.rounds);
const COUNT = Number(args.count);

const classes = new Map(validatedClasses().map((c) => [c.name, c]));
const dto = (name: string) => {
  const type = classes.get(name);
  if (!type) throw new Error(`no DTO ${name} among ${[...classes.keys()].join(', ')}`);
  return type;
};
const body = (spec: { body?: string }) => JSON.parse(spec.body!) as object;
const cases: { path: string; value: object; metadata: ArgumentMetadata }[] = [
  {
    path: 'POST /service-requests (body)',
    value: body(serviceRequests(['token'], 100)()),
    metadata: { type: 'body', metatype: dto('CreateServiceRequestDto') },
  },
  {
    path: 'PUT /partner-users/{id}/delegated-role (body)',
    value: body(roleFlips('token', 100)()),
    metadata: { type: 'body', metatype: dto('SetDelegatedRoleDto') },
  },
  {
    path: 'POST /offer-links/{id}/accept (body)',
    value: acceptBody(1),
    metadata: { type: 'body', metatype: dto('AcceptOfferDto') },
  },
  {
    path: 'GET /clients?search=…&sort=health (query)',
    value: { search: SEARCH_TERM, sort: 'health' },
    metadata: { type: 'query', metatype: dto('ListClientsQueryDto') },
  },
];

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, transform: true };
const pipes: [string, PipeTransform][] = [
  ['class-validator (Nest ValidationPipe)', new ValidationPipe(OPTIONS)],
  ['product pipe', validationPipe()],
];

/** Microseconds a transform, over `count` sequential transforms of fresh copies of the value. */
async function time(pipe: PipeTransform, value: object, metadata: ArgumentMetadata, count: number) {
  const copies = Array.from({ length: count }, () => structuredClone(value));
  const start = process.hrtime.bigint();
  for (const copy of copies) await pipe.transform(copy, metadata);
  return Number(process.hrtime.bigint() - start) / 1000 / count;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`node ${process.argv.slice(1).join(' ')}`);
console.log(
  `\n${ROUNDS} rounds of ${COUNT.toLocaleString('en-US')} transforms per pipe and path, pipes alternating; median µs a transform\n`,
);
console.log(`| path | ${pipes.map(([name]) => name).join(' | ')} | ratio |`);
console.log(`|---|${pipes.map(() => '---|').join('')}---|`);
for (const { path, value, metadata } of cases) {
  for (const [, pipe] of pipes) await time(pipe, value, metadata, COUNT / 4); // warm-up
  const runs = pipes.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++)
    for (const [i, [, pipe]] of pipes.entries()) runs[i].push(await time(pipe, value, metadata, COUNT));
  const medians = runs.map(median);
  console.log(
    `| ${path} | ${medians.map((m) => m.toFixed(1)).join(' | ')} | ${(medians[1] / medians[0]).toFixed(2)} |`,
  );
}
