import { z } from 'zod';

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
