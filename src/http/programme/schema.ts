import { z } from 'zod';
import { PROGRAMME_KINDS } from '../../domain/values.js';
import { programmeInputSchema } from '../../services/offering.service.js';

/**
 * The API's schemas for programmes (研修事業): the service's own input rules. A programme's `name` is
 * its 名称, not a person's 氏名: the operations word it with `programmeLabels`.
 */
const s = programmeInputSchema.shape;

export const programmeBody = programmeInputSchema.extend({
  name: s.name.describe('required, not blank, at most 200 characters'),
  predecessorId: s.predecessorId.describe('the programme this one continues (its lineage); a loop is refused'),
  firstFiscalYear: s.firstFiscalYear.describe('fiscal year by its starting calendar year (2011), or as text (H23, 平成23年度); default: the current fiscal year'),
  lastFiscalYear: s.lastFiscalYear.describe('set to close the programme: no new offering after it; by its starting calendar year, or as text'),
});

/** How the programme operations name their fields where the general label would mislead. */
export const programmeLabels = { name: 'field.programmeName' } as const;

export const programmeOut = z.object({
  id: z.number().int(),
  name: z.string(),
  nameEn: z.string(),
  kind: z.enum(PROGRAMME_KINDS),
  owningUnitId: z.number().int().nullable(),
  predecessorId: z.number().int().nullable(),
  firstFiscalYear: z.number().int().nullable(),
  lastFiscalYear: z.number().int().nullable(),
});
