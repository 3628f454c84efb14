import type { z } from 'zod';
import type { CurrentUser } from '../../services/context.js';
import type { meSchema } from './schema.js';

/** The signed-in person as GET /me answers. */
export const toMe = (u: CurrentUser): z.output<typeof meSchema> => ({ id: u.id, email: u.email, name: u.name, roles: [...u.roles] });
