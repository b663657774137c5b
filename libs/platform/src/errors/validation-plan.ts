import {
  getMetadataStorage,
  ValidationTypes,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';

const storage = getMetadataStorage();
type ValidationMetadata = ReturnType<typeof storage.getTargetValidationMetadatas>[number];

/** One decorator's rule on a property, with the constraint objects class-validator would call. */
interface Rule {
  metadata: ValidationMetadata;
  validators: ValidatorConstraintInterface[];
}

interface PropertyPlan {
  name: string;
  /** `@IsOptional`, `@ValidateIf`: the property is skipped unless every one holds. */
  conditions: ((object: object, value: unknown) => boolean)[];
  /** `@IsDefined` and every `ValidateBy` rule (`@IsString`, `@MaxLength`, …). */
  rules: Rule[];
  nested: boolean;
}

interface ClassPlan {
  /** The properties with any metadata: whitelisting refuses every other key. */
  allowed: Set<string>;
  properties: PropertyPlan[];
}

const KNOWN = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.NESTED_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.WHITELIST,
]);
const plans = new WeakMap<object, ClassPlan | null>();

/** A class's rules as class-validator gathers them (its own, then inherited ones it does not redefine); null when it has none or one of a kind the plan does not run (promise validation). */
function planFor(type: new () => unknown): ClassPlan | null {
  let plan = plans.get(type);
  if (plan !== undefined) return plan;
  const metadatas = storage.getTargetValidationMetadatas(type, '', false, false);
  plan = null;
  if (metadatas.length && metadatas.every((m) => KNOWN.has(m.type))) {
    const grouped = storage.groupByPropertyName(metadatas);
    plan = {
      allowed: new Set(Object.keys(grouped)),
      properties: Object.entries(grouped).map(([name, group]) => ({
        name,
        conditions: group
          .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION)
          .map((m) => m.constraints[0] as PropertyPlan['conditions'][number]),
        rules: [
          ...group.filter((m) => m.type === ValidationTypes.IS_DEFINED),
          ...group.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION),
        ].map((metadata) => ({
          metadata,
          validators: storage.getTargetValidatorConstraints(metadata.constraintCls).map((c) => c.instance),
        })),
        nested: group.some((m) => m.type === ValidationTypes.NESTED_VALIDATION),
      })),
    };
  }
  plans.set(type, plan);
  return plan;
}

const isCollection = (value: unknown): value is unknown[] | Set<unknown> | Map<unknown, unknown> =>
  Array.isArray(value) || value instanceof Set || value instanceof Map;

function rulePasses(rule: Rule, object: object, value: unknown): boolean {
  const { metadata } = rule;
  if (metadata.validateIf && !metadata.validateIf(object, value)) return true;
  const args: ValidationArguments = {
    targetName: object.constructor?.name,
    property: metadata.propertyName,
    object,
    value,
    constraints: metadata.constraints,
  };
  const values = metadata.each && isCollection(value) ? [...value.values()] : [value];
  for (const validator of rule.validators)
    for (const item of values) {
      const valid: unknown = validator.validate(item, args);
      // A promise (an async constraint) is class-validator's to await: no answer here.
      if (!valid || typeof (valid as { then?: unknown }).then === 'function') return false;
    }
  return true;
}

/** `@ValidateNested`: each item of a collection, or the object by its own class's rules. */
function nestedPasses(value: unknown): boolean {
  if (isCollection(value)) {
    for (const item of value.values()) if (item !== undefined && !nestedPasses(item)) return false;
    return true;
  }
  return value instanceof Object && objectPasses(value);
}

function objectPasses(object: object): boolean {
  const type = object.constructor as (new () => unknown) | undefined;
  const plan = typeof type === 'function' ? planFor(type) : null;
  if (!plan) return false;
  for (const key of Object.keys(object)) if (!plan.allowed.has(key)) return false;
  for (const property of plan.properties) {
    const value = (object as Record<string, unknown>)[property.name];
    if (!property.conditions.every((holds) => holds(object, value))) continue;
    for (const rule of property.rules) if (!rulePasses(rule, object, value)) return false;
    if (property.nested && value !== undefined && !nestedPasses(value)) return false;
  }
  return true;
}

/**
 * Whether class-validator would find no error in `object` under the options of the API's pipe
 * (whitelist and forbidNonWhitelisted, unknown values forbidden, no groups, nothing skipped),
 * answered without its executor: per class, the rules are gathered once, and the same constraint
 * objects are called with the same arguments. `false` means "ask class-validator": an object that
 * fails, or one this cannot decide (an async rule, a class without rules), goes through
 * class-validator itself, which words the errors. So only the answer for a valid object is taken
 * from here, and a test holds it to class-validator's on every DTO of the product.
 */
export function passesValidation(object: unknown): boolean {
  return typeof object === 'object' && object !== null && objectPasses(object);
}

/** Every class class-validator holds rules for: the DTOs of whatever modules are loaded. */
export const validatedClasses = (): (new () => object)[] =>
  [
    ...(storage as unknown as { validationMetadatas: Map<unknown, unknown> }).validationMetadatas.keys(),
  ].filter((key): key is new () => object => typeof key === 'function');
