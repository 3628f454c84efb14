import { z } from 'zod';

export const criterionOut = z.object({ id: z.number().int(), code: z.string().nullable(), label: z.string(), labelEn: z.string(), active: z.boolean() });
