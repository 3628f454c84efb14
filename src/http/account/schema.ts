import { z } from 'zod';
import { ROLES } from '../../domain/values.js';

/** GET /api/v1/me */
export const meSchema = z.object({ id: z.number().int(), email: z.string(), name: z.string(), roles: z.array(z.enum(ROLES)) });
