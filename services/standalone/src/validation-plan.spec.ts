import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import fc from 'fast-check';
import { passesValidation, validatedClasses } from '@dap/platform';
import { dtoValue } from '@dap/testing';
import './standalone.module.js';

// The options of the API's validation pipe (libs/platform/src/errors/validation.ts).
const PIPE = { whitelist: true, forbidNonWhitelisted: true };

describe('the validation plan on every DTO of the product', () => {
  const classes = validatedClasses();

  it('finds the DTOs of every service', () => {
    const names = classes.map((c) => c.name);
    for (const dto of ['CreateServiceRequestDto', 'ContactDto', 'ListQueryDto']) expect(names).toContain(dto);
    expect(classes.length).toBeGreaterThan(20);
  });

  it('passes exactly the objects class-validator finds no error in', async () => {
    const seen = new Map<string, { passed: number; failed: number }>();
    for (const type of classes) {
      const tally = { passed: 0, failed: 0 };
      seen.set(type.name, tally);
      await fc.assert(
        fc.asyncProperty(dtoValue(type), async (plain) => {
          const instance = plainToInstance(type, plain, { enableImplicitConversion: false });
          const errors = await validate(instance, PIPE);
          const passes = passesValidation(instance);
          if (passes) tally.passed++;
          else tally.failed++;
          expect(passes).toBe(errors.length === 0);
        }),
        { numRuns: 300 },
      );
    }
    // Both sides of every class were tried: a generator that never builds a valid object (or never
    // an invalid one) would leave half of the comparison untested.
    const oneSided = [...seen].filter(([, t]) => t.passed === 0 || t.failed === 0);
    expect(oneSided).toEqual([]);
  });
});
