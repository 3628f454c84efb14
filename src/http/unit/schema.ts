import { z } from 'zod';
import { UNIT_KINDS } from '../../domain/values.js';
import { unitInputSchema } from '../../services/unit.service.js';

export const unitOut = z.object({
  id: z.number().int(),
  kind: z.string(),
  parentId: z.number().int().nullable(),
  name: z.string(),
  kana: z.string(),
  code: z.string().nullable(),
  active: z.boolean(),
  peopleCount: z.number().int(),
});

export const unitList = z.object({ items: z.array(unitOut) });

/** A unit as it is created or changed: the service's own rules (a division needs its department, a 市町 its code). */
export const unitBody = unitInputSchema.extend({
  kind: unitInputSchema.shape.kind.describe(`one of ${UNIT_KINDS.join(', ')}`),
  parentId: unitInputSchema.shape.parentId.describe('the department of a division (required for a division)'),
  name: unitInputSchema.shape.name.describe('組織名, at most 100 characters'),
  kana: unitInputSchema.shape.kana.describe('フリガナ (katakana or hiragana)'),
  code: unitInputSchema.shape.code.describe('全国地方公共団体コード with its check digit (市町 only, required there), e.g. 252018'),
});

/** How the unit operations name their fields where the general label would mislead. */
export const unitLabels = { name: 'field.unitName', kana: 'field.unitKana' } as const;

export const unitIdOut = z.object({ id: z.number().int() });
