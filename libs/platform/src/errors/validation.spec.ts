import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Type } from 'class-transformer';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import { ValidationProblem } from './problem.js';
import { validationPipe } from './validation.js';

class Inner {
  @IsString() name!: string;
}
class Outer {
  @IsOptional() @IsString() note?: string;
  @IsOptional() @ValidateNested() @Type(() => Inner) inner?: Inner;
}

const validate = async (body: unknown) => {
  try {
    await validationPipe().transform(body, { type: 'body', metatype: Outer });
    return [];
  } catch (error) {
    return (error as ValidationProblem).errors;
  }
};

describe('the validation pipe', () => {
  it('takes a valid body and an absent optional field', async () => {
    expect(await validate({ note: 'a', inner: { name: 'b' } })).toEqual([]);
    expect(await validate({})).toEqual([]);
  });

  it('refuses null for a field and an array where a nested object is declared, naming each', async () => {
    expect(await validate({ note: null })).toEqual([
      { path: 'note', message: 'must not be null: leave the field out instead' },
    ]);
    expect(await validate({ inner: [] })).toEqual([
      { path: 'inner', message: 'must be an object, not an array' },
    ]);
    expect(await validate({ inner: [{ name: 'b' }] })).toEqual([
      { path: 'inner', message: 'must be an object, not an array' },
    ]);
  });

  it('still refuses a binary value where a nested object is declared, and what fails inside a valid nesting', async () => {
    expect(await validate({ inner: Buffer.from('x') })).toEqual([
      { path: 'inner', message: 'nested property inner must be either object or array' },
    ]);
    expect(await validate({ inner: { name: 1 } })).toEqual([
      { path: 'inner.name', message: 'must be a string' },
    ]);
    expect(await validate({ inner: { name: 'b' }, other: 1 })).toEqual([
      { path: 'other', message: 'is not allowed' },
    ]);
  });
});
