import { z } from 'zod';
import { isKana } from '../domain/kana.js';
import { isValidLocalGovCode } from '../domain/local-gov-code.js';
import { tokyoLocalToUtc } from '../domain/calendar.js';
import { isMessageKey, type MessageKey, type Params } from '../i18n/index.js';

/** A field's problem as a message key; the http layer words it in the user's language, naming the field. */
export interface FieldError {
  key: MessageKey;
  params?: Params;
}
export type FieldErrors = Record<string, FieldError>;

export type Validated<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

export const requiredText = (max = 200) => z.preprocess(trimmed, z.string().min(1).max(max));
export const optionalText = (max = 200) =>
  z.preprocess(blankToUndefined, z.string().trim().max(max).optional());
/**
 * An identifier typed or imported by people (staff number, codes): NFKC-normalised and trimmed on every
 * way in, so that a CP932 roster's 「１０３０３４」 and a form's 「103034」 are the same person.
 */
const nfkcTrimmed = (v: unknown) => (typeof v === 'string' ? v.normalize('NFKC').trim() : v);
export const identifierText = (max = 200) => z.preprocess((v) => blankToUndefined(nfkcTrimmed(v)), z.string().max(max).optional());
export const emailField = () => z.preprocess(trimmed, z.string().min(1).max(254).pipe(z.email()));
export const kanaField = (max = 200) =>
  z.preprocess(trimmed, z.string().min(1).max(max).refine(isKana, { message: 'error.kana' }));
export const optionalId = () => z.preprocess(blankToUndefined, z.coerce.number().int().positive().max(2147483647).optional());
export const lgCodeField = () =>
  z.preprocess(
    (v) => blankToUndefined(nfkcTrimmed(v)),
    z
      .string()
      .trim()
      .refine((v) => isValidLocalGovCode(v), { message: 'error.lgCode' })
      .optional(),
  );
/**
 * An instant: ISO 8601 with a zone ('2026-12-01T10:00:00+09:00', '…Z'), or a form's
 * datetime-local value ('2026-12-01T10:00'), which is Tokyo wall-clock time.
 */
/** Does the text start with a real calendar date (and, if it has one, a real time) in 1900–9999? */
export function realDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(s);
  if (!m) return true; // not a date at all: the schema says so
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0'].map(Number);
  if (y! < 1900 || y! > 9999 || mo! < 1 || mo! > 12 || d! < 1 || h! > 23 || mi! > 59) return false;
  return d! <= new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
}

function toInstant(v: unknown): unknown {
  if (v instanceof Date) return v;
  if (typeof v !== 'string') return v;
  const s = v.trim();
  if (s === '') return undefined;
  // A date that is not on the calendar (2026-02-30) or outside 1900–9999 (year 0000) is not an instant:
  // it is refused as a bad datetime, never rolled over to 2 March or sent to the database.
  if (!realDate(s)) return s;
  const local = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})$/.exec(s);
  try {
    if (local) return tokyoLocalToUtc(local[1], local[2]);
  } catch {
    return s;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? s : d;
  }
  return s;
}
export const instantField = () => z.preprocess(toInstant, z.date({ message: 'error.datetime' }));
export const optionalInstant = () => z.preprocess(toInstant, z.date({ message: 'error.datetime' }).optional());
/**
 * A whole number between min and max (both included). Blank is "required" (not "not a number"),
 * and a number out of range gets a message that gives the range.
 */
export const intField = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v)) : v),
    z
      .number({ error: (iss) => (iss.input === undefined || iss.input === null ? 'error.required' : 'error.integer') })
      .int({ message: 'error.integer' })
      .refine((n) => n >= min && n <= max, { message: 'error.between', params: { min, max } }),
  );
/** A choice of a record by its id (a select): blank is "required", anything else not an id is "not a valid choice". */
export const requiredId = () =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v)) : v),
    z
      .number({ error: (iss) => (iss.input === undefined || iss.input === null ? 'error.requiredChoice' : 'error.choice') })
      .int({ message: 'error.choice' })
      .positive({ message: 'error.choice' })
      .max(2147483647, { message: 'error.choice' }),
  );
export const optionalInt = (min: number, max: number) => z.preprocess(blankToUndefined, intField(min, max).optional());
export const checkbox = () => z.preprocess((v) => v === 'on' || v === 'true' || v === true || v === '1', z.boolean());

/** A number's bound as a message gives it: ≥ min / ≤ max, or > / < when the bound itself is excluded. */
function numberBound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): FieldError {
  const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  if (issue.code === 'too_small') return inclusive ? { key: 'error.atLeast', params: { min: bound } } : { key: 'error.greaterThan', params: { min: bound } };
  return inclusive ? { key: 'error.atMost', params: { max: bound } } : { key: 'error.lessThan', params: { max: bound } };
}

function issueToError(issue: z.core.$ZodIssue): FieldError {
  const input = (issue as { input?: unknown }).input;
  if ((issue.code === 'too_small' || issue.code === 'too_big') && issue.origin === 'number' && (!isMessageKey(issue.message) || issue.message === 'error.range')) {
    // A range message names its bound.
    return numberBound(issue);
  }
  if (isMessageKey(issue.message)) {
    const params = issue.code === 'custom' ? (issue.params as FieldError['params'] | undefined) : undefined;
    return params ? { key: issue.message, params } : { key: issue.message };
  }
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined || input === null || input === '' ? { key: 'error.required' } : { key: 'error.invalid' };
    case 'too_small':
      if (issue.origin === 'array' && Number(issue.minimum) <= 1) return { key: 'error.required' };
      return Number(issue.minimum) <= 1 ? { key: 'error.required' } : { key: 'error.tooShort', params: { min: Number(issue.minimum) } };
    case 'too_big':
      return { key: 'error.tooLong', params: { max: Number(issue.maximum) } };
    case 'invalid_format':
      return issue.format === 'email' ? { key: 'error.email' } : { key: 'error.invalid' };
    case 'invalid_value':
      return { key: 'error.choice' };
    default:
      return { key: 'error.invalid' };
  }
}

export function validate<S extends z.ZodType>(schema: S, input: unknown): Validated<z.output<S>> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : '_';
    if (!errors[field]) errors[field] = issueToError(issue);
  }
  return { ok: false, errors };
}
