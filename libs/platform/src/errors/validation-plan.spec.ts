import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  Validate,
  ValidateIf,
  ValidateNested,
  validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { passesValidation } from './validation-plan.js';

@ValidatorConstraint({ async: true })
class EventuallyTrue implements ValidatorConstraintInterface {
  validate() {
    return Promise.resolve(true);
  }
}

class Item {
  @IsString() @MaxLength(3) code!: string;
}
class Base {
  @IsString() name!: string;
  @IsOptional() @IsString() note?: string;
}
class Derived extends Base {
  // Redefines `note`: the inherited IsString rule on it is dropped, as class-validator drops it.
  @IsOptional() @IsIn([1, 2]) declare note?: string;
  @ValidateIf((o: Derived) => o.name === 'checked') @IsString() onlyWhenChecked?: unknown;
  @IsOptional() @IsIn(['a', 'b'], { each: true }) tags?: unknown;
  @IsOptional() @ValidateNested() @Type(() => Item) items?: unknown;
}
class Later {
  @Validate(EventuallyTrue) value!: string;
}
class NoRules {
  name = 'x';
}

/** The plan's answer beside class-validator's, under the pipe's options. */
const both = async (value: object) => ({
  plan: passesValidation(value),
  classValidator: (await validate(value, { whitelist: true, forbidNonWhitelisted: true })).length === 0,
});
const derived = (plain: object) => plainToInstance(Derived, plain);

describe('passesValidation', () => {
  it('answers as class-validator on inherited, redefined, conditional and per-item rules', async () => {
    const cases: object[] = [
      { name: 'n' },
      { name: 'n', note: 1 },
      { name: 'n', note: 'text' }, // the inherited IsString on note no longer applies; IsIn does
      { name: 'n', onlyWhenChecked: 5 },
      { name: 'checked', onlyWhenChecked: 5 },
      { name: 'checked', onlyWhenChecked: 'yes' },
      { name: 'n', tags: ['a', 'b'] },
      { name: 'n', tags: ['a', 'c'] },
      { name: 'n', tags: new Set(['a']) },
      { name: 'n', tags: new Map([[1, 'c']]) },
      { name: 'n', tags: 'a' },
      { name: 'n', items: [{ code: 'abc' }, { code: 'abcd' }] },
      { name: 'n', items: [{ code: 'abc' }, undefined] },
      { name: 'n', items: [{ code: 'abc' }, null] },
      { name: 'n', items: { code: 'ab' } },
      { name: 'n', items: 'ab' },
      { name: 'n', extra: 1 },
      {},
    ];
    for (const plain of cases) {
      const answer = await both(derived(plain));
      expect({ plain, plan: answer.plan }).toEqual({ plain, plan: answer.classValidator });
    }
    expect(passesValidation(derived({ name: 'n', items: [{ code: 'abc' }] }))).toBe(true);
  });

  it('leaves to class-validator what it cannot answer: an async rule, a class without rules, a nested plain object', async () => {
    expect(passesValidation(plainToInstance(Later, { value: 'v' }))).toBe(false);
    expect((await validate(plainToInstance(Later, { value: 'v' }))).length).toBe(0);
    expect(passesValidation(new NoRules())).toBe(false);
    // Without @Type the nested value stays a plain object, which has no rules: class-validator
    // refuses it as an unknown value.
    const untyped = Object.assign(new Derived(), { name: 'n', items: { code: 'ab' } });
    expect(await both(untyped)).toEqual({ plan: false, classValidator: false });
    expect(passesValidation(null)).toBe(false);
    expect(passesValidation(Object.create(null))).toBe(false);
  });

  it('refuses the stand-in the Nest pipe builds for a primitive ({ constructor })', async () => {
    expect(await both({ constructor: Item })).toEqual({ plan: false, classValidator: false });
  });
});
