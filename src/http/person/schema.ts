import { z } from 'zod';
import { AFFILIATIONS, ROLES } from '../../domain/values.js';
import { personInputSchema } from '../../services/person.service.js';
import { query } from '../api.js';

/**
 * POST /api/v1/people: the service's own rules (personInputSchema), so that a body that breaks one gets
 * 422 naming every wrong field before anything is saved. Roles may be left out (then staff).
 */
export const personBody = personInputSchema.extend({
  kana: personInputSchema.shape.kana.describe('フリガナ (katakana or hiragana)'),
  roles: z.array(z.enum(ROLES)).min(1).optional().describe('roles; staff when left out'),
});

export const peopleQuery = z.object({
  q: query.text('search words (NFKC, kana-insensitive)'),
  unitId: query.id('unit id'),
  page: query.page('page number (100 per page)'),
});

export const personOut = z.object({
  id: z.number().int(),
  name: z.string(),
  kana: z.string(),
  email: z.string(),
  staffNumber: z.string().nullable(),
  jobTitle: z.string().nullable(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  affiliation: z.enum(AFFILIATIONS),
  roles: z.array(z.enum(ROLES)),
  active: z.boolean(),
});

export const peopleList = z.object({ items: z.array(personOut), total: z.number().int(), page: z.number().int() });
export const created = z.object({ id: z.number().int() });
