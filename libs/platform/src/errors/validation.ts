import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { ValidationProblem, type FieldError } from './problem.js';
import { passesValidation } from './validation-plan.js';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const path = prefix
      ? /^\d+$/.test(e.property)
        ? `${prefix}[${e.property}]`
        : `${prefix}.${e.property}`
      : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      path,
      message: message.startsWith('property ')
        ? 'is not allowed'
        : message.replace(new RegExp(`^${e.property} `), ''),
    }));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

const BUILT_IN = new Set<unknown>([Object, String, Number, Boolean, Array, Date, Function, Symbol, BigInt]);
const isDtoClass = (type: unknown): type is { prototype: object } =>
  typeof type === 'function' && !BUILT_IN.has(type);

/**
 * What class-validator lets through and no command can take: `null` for a field (IsOptional treats
 * it as absent, the command then stores it), and an array where a nested object is declared
 * (ValidateNested validates each element). Read from the properties' declared types, so every DTO
 * gets the rule without a decorator.
 */
export function shapeErrors(instance: object, path = ''): FieldError[] {
  const errors: FieldError[] = [];
  const prototype = Object.getPrototypeOf(instance);
  for (const [key, value] of Object.entries(instance)) {
    const here = path ? `${path}.${key}` : key;
    const declared = prototype && Reflect.getMetadata?.('design:type', prototype, key);
    if (value === null) errors.push({ path: here, message: 'must not be null: leave the field out instead' });
    else if (isDtoClass(declared) && Array.isArray(value))
      errors.push({ path: here, message: 'must be an object, not an array' });
    else if (Array.isArray(value))
      value.forEach((item, i) => {
        if (item && typeof item === 'object') errors.push(...shapeErrors(item, `${here}[${i}]`));
      });
    else if (value && typeof value === 'object' && isDtoClass(declared))
      errors.push(...shapeErrors(value, here));
  }
  return errors;
}

/**
 * Whitelist validation (unknown fields are rejected), then {@link shapeErrors} for bodies; each bad
 * field is named with its path. A valid DTO is answered by {@link passesValidation} (the same rules,
 * gathered once per class, where class-validator's executor gathers them on every call); anything else
 * by class-validator, which words the errors.
 */
class ApiValidationPipe extends ValidationPipe {
  /** Objects of the current transform the plan has passed (so that validate need not ask again). */
  private readonly passed = new WeakSet<object>();

  /**
   * Before it validates, Nest looks for binary values (a Buffer, a typed array) where a nested
   * object is declared, reading class-validator's metadata anew on every request. An object the
   * plan passes holds none: each nested value it passed is an object of a class with rules.
   */
  protected override findNestedBinaryValues(object: any, cache?: Map<unknown, any[]>) {
    if (!passesValidation(object)) return super.findNestedBinaryValues(object, cache);
    this.passed.add(object);
    return [];
  }

  protected override validate(object: object, options?: ValidatorOptions) {
    return this.passed.delete(object) || passesValidation(object) ? [] : super.validate(object, options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const result = await super.transform(value, metadata);
    if (metadata.type === 'body' && result && typeof result === 'object' && isDtoClass(metadata.metatype)) {
      const errors = shapeErrors(result);
      if (errors.length) throw new ValidationProblem(errors);
    }
    return result;
  }
}

export const validationPipe = () =>
  new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new ValidationProblem(flatten(errors)),
  });
