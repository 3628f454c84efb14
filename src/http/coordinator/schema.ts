import { z } from 'zod';
import { optionalText } from '../../lib/validation.js';
import { idParam } from '../api.js';

/** A coordinator's own profile, the whole of it (what is left out is emptied), as the profile page's form. */
export const coordinatorProfileBody = z.object({
  fields: z.array(z.string().trim().min(1).max(30)).max(20).optional().describe('fields of expertise, e.g. ["子育て", "防災"]'),
  areas: z.array(idParam).max(50).optional().describe('the 市町 (unit ids) the coordinator works in'),
  availability: optionalText(500).describe('when and how the coordinator can help'),
  introduction: optionalText(2000).describe('a short introduction shown in the coordinator directory'),
});
export const coordinatorProfileOut = z.object({
  personId: z.number().int(),
  fields: z.array(z.string()),
  areas: z.array(z.number().int()),
  availability: z.string(),
  introduction: z.string(),
  desk: z.boolean().describe('works on the coordinators’ desk (set by admins)'),
  updatedAt: z.string().nullable(),
});

/** Putting a coordinator on the coordinators' desk or taking them off. */
export const deskBody = z.object({ desk: z.boolean({ message: 'error.required' }).describe('true: on the desk (sees the open consultation queue); false: off it') });
export const deskOut = z.object({ personId: z.number().int(), desk: z.boolean() });
export const deskMembersOut = z.object({ items: z.array(z.object({ personId: z.number().int(), name: z.string(), kana: z.string(), active: z.boolean() })) });
