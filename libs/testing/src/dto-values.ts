import { createRequire } from 'node:module';
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';

type Metadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];
type Class = new () => object;

// The class each `@Type(() => X)` names: class-transformer keeps it in a storage its index does not export.
const { defaultMetadataStorage } = createRequire(import.meta.url)('class-transformer/cjs/storage.js') as {
  defaultMetadataStorage: {
    findTypeMetadata(target: Class, property: string): { typeFunction: () => Class } | undefined;
  };
};

const storage = getMetadataStorage();
const LEFT_OUT = Symbol('left out');

const junk = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 8 }),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
);

function constraint(rules: Metadata[], name: string): unknown[] | undefined {
  return rules.find((r) => r.name === name)?.constraints;
}

/** A value for one property: mostly one its rules might take (lengths and bounds at their edges), sometimes junk. */
function propertyValue(
  type: Class,
  property: string,
  rules: Metadata[],
  depth: number,
): fc.Arbitrary<unknown> {
  const own = rules.filter((r) => !r.each);
  const each = rules.filter((r) => r.each);
  const element = fitting(type, property, each.length ? each : own, depth);
  const most = (constraint(own, 'arrayMaxSize')?.[0] as number | undefined) ?? 4;
  const likely = own.some((r) => r.name === 'isArray')
    ? fc.array(element, { maxLength: Math.min(most + 1, 12) })
    : element;
  return fc.oneof({ arbitrary: likely, weight: 24 }, { arbitrary: junk, weight: 1 });
}

const COUNTRIES = ['CN', 'US', 'DE', 'cn', 'XX', 'USA'];
/** Mostly what the rules take, now and then a value just past them. */
const mostly = (fits: fc.Arbitrary<unknown>, near: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: fits, weight: 8 }, { arbitrary: near, weight: 1 });

/** What the rules of a property (or of each item) ask for. */
function fitting(type: Class, property: string, rules: Metadata[], depth: number): fc.Arbitrary<unknown> {
  const has = (name: string) => rules.some((r) => r.name === name);
  if (rules.some((r) => r.type === 'nestedValidation')) {
    const nested = defaultMetadataStorage.findTypeMetadata(type, property)?.typeFunction();
    return nested && depth < 4 ? dtoValue(nested, depth + 1) : fc.constant({});
  }
  const allowed = constraint(rules, 'isIn')?.[0] as unknown[] | undefined;
  if (allowed) return mostly(fc.constantFrom(...allowed), fc.constantFrom('not-one-of-them', ''));
  const pattern = constraint(rules, 'matches')?.[0];
  if (pattern instanceof RegExp)
    return mostly(fc.stringMatching(pattern, { size: 'xsmall' }), fc.string({ maxLength: 6 }));
  if (has('isEmail')) return mostly(fc.emailAddress({ size: 'xsmall' }), fc.string({ maxLength: 6 }));
  if (has('isFqdn')) return mostly(fc.domain({ size: 'xsmall' }), fc.string({ maxLength: 6 }));
  if (has('isIso8601'))
    return mostly(
      fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString()),
      fc.constantFrom('2026-13-01', 'yesterday', '2026-02-30T00:00:00Z'),
    );
  if (has('isISO31661Alpha2')) return fc.constantFrom(...COUNTRIES);
  if (has('isBoolean')) return mostly(fc.boolean(), fc.constantFrom('true', 0));
  if (has('isInt') || has('min') || has('max')) {
    const min = (constraint(rules, 'min')?.[0] as number | undefined) ?? -5;
    const max = (constraint(rules, 'max')?.[0] as number | undefined) ?? 5;
    return mostly(
      fc.integer({ min, max }),
      fc.oneof(fc.constantFrom(min - 1, max + 1, String(min)), fc.double()),
    );
  }
  const shortest = (constraint(rules, 'minLength')?.[0] as number | undefined) ?? (has('isNotEmpty') ? 1 : 0);
  const longest = (constraint(rules, 'maxLength')?.[0] as number | undefined) ?? 12;
  return mostly(
    fc.oneof(
      fc.string({ minLength: shortest, maxLength: Math.min(longest, shortest + 8) }),
      fc.string({ minLength: longest - 1, maxLength: longest }),
    ),
    fc.oneof(fc.string({ minLength: longest + 1, maxLength: longest + 1 }), fc.constant(''), fc.integer()),
  );
}

/**
 * Plain objects for a class with class-validator rules, built from those rules: each property
 * left out, null, a value its rules might take or junk, nested classes (`@Type`) filled the same
 * way, and now and then a key the class does not declare. Both valid and invalid ones come out
 * often, so that a check can be held to class-validator's answer on either side.
 */
export function dtoValue(type: Class, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const grouped = storage.groupByPropertyName(storage.getTargetValidationMetadatas(type, '', false, false));
  const properties = Object.fromEntries(
    Object.entries(grouped).map(([property, rules]) => [
      property,
      fc.oneof(
        { arbitrary: propertyValue(type, property, rules, depth), weight: 30 },
        { arbitrary: fc.constant(null), weight: 1 },
        { arbitrary: fc.constant(LEFT_OUT), weight: 1 },
      ),
    ]),
  );
  return fc
    .tuple(
      fc.record(properties),
      fc.oneof(
        { arbitrary: fc.constant(null), weight: 12 },
        { arbitrary: fc.tuple(fc.constantFrom('extra', 'id', '0'), junk), weight: 1 },
      ),
    )
    .map(([value, extra]) => {
      const plain = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== LEFT_OUT));
      return extra ? { ...plain, [extra[0]]: extra[1] } : plain;
    });
}
