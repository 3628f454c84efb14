import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { en } from '../../src/i18n/en.js';
import { fieldMessage, translator } from '../../src/i18n/index.js';
import { intField, optionalInt, requiredId, validate } from '../../src/lib/validation.js';

const schema = z.object({
  capacity: intField(1, 1000),
  duration: intField(30, 600),
  reminder: optionalInt(0, 60),
  offeringId: requiredId(),
  seats: z.number().int().min(0).optional(),
  id: z.coerce.number().int().positive().max(2147483647).optional(),
  legacy: z.number().min(0, { message: 'error.range' }).max(10, { message: 'error.range' }).optional(),
});
const ok = { capacity: '10', duration: '120', offeringId: '3' };
const errorOf = (input: Record<string, unknown>, field: string) => {
  const v = validate(schema, { ...ok, ...input });
  return v.ok ? null : v.errors[field];
};

describe('numbers: an empty one is required, a wrong one says what is expected, a range gives its bounds', () => {
  it.each([
    ['empty 定員', { capacity: '' }, 'capacity', { key: 'error.required' }],
    ['blank 定員', { capacity: '  ' }, 'capacity', { key: 'error.required' }],
    ['missing 定員 (API)', { capacity: undefined }, 'capacity', { key: 'error.required' }],
    ['null 定員 (API)', { capacity: null }, 'capacity', { key: 'error.required' }],
    ['letters', { capacity: 'abc' }, 'capacity', { key: 'error.integer' }],
    ['a fraction', { capacity: '2.5' }, 'capacity', { key: 'error.integer' }],
    ['所要時間 too short', { duration: '10' }, 'duration', { key: 'error.between', params: { min: 30, max: 600 } }],
    ['所要時間 too long', { duration: 601 }, 'duration', { key: 'error.between', params: { min: 30, max: 600 } }],
    ['optional out of range', { reminder: '61' }, 'reminder', { key: 'error.between', params: { min: 0, max: 60 } }],
    ['no choice made', { offeringId: '' }, 'offeringId', { key: 'error.requiredChoice' }],
    ['a choice that is no id', { offeringId: '-1' }, 'offeringId', { key: 'error.choice' }],
    ['a plain minimum', { seats: -1 }, 'seats', { key: 'error.atLeast', params: { min: 0 } }],
    ['positive', { id: '0' }, 'id', { key: 'error.greaterThan', params: { min: 0 } }],
    ['a plain maximum', { id: '2147483648' }, 'id', { key: 'error.atMost', params: { max: 2147483647 } }],
    ['an old "error.range" gets its bound', { legacy: 11 }, 'legacy', { key: 'error.atMost', params: { max: 10 } }],
  ])('%s', (_name, input, field, error) => {
    expect(errorOf(input, field)).toEqual(error);
  });

  it('accepts what is right, and leaves an empty optional number out', () => {
    expect(validate(schema, { ...ok, reminder: '' })).toEqual({ ok: true, data: { capacity: 10, duration: 120, offeringId: 3 } });
  });

  it('words them naming the field and the range, in Japanese and English', () => {
    const ja = translator('ja');
    expect(fieldMessage(ja, 'capacity', 'error.required')).toBe('定員を入力してください。');
    expect(ja('error.between', { field: '所要時間（分）', min: 30, max: 600 })).toBe('所要時間（分）は30から600までの範囲で入力してください。');
    expect(translator('en')('error.between', { field: 'Duration', min: 30, max: 600 })).toBe('Duration must be between 30 and 600.');
    for (const key of ['error.between', 'error.atLeast', 'error.atMost', 'error.greaterThan', 'error.lessThan'] as const) expect(en[key]).toMatch(/\{(min|max)\}/);
  });
});
