import { z } from 'zod';
import { personRepository } from '../db/repositories/person.repository.js';
import { sessionRepository } from '../db/repositories/session.repository.js';
import { hashPassword } from '../lib/crypto.js';
import { emailField, validate } from '../lib/validation.js';
import { passwordSchema } from './account.service.js';
import { audit } from './audit.service.js';
import { type Actor, type AppContext, invalid } from './context.js';

/**
 * Sets a person's password from the command line (`kyodo user set-password`): the person's sessions end
 * and every one-time link still out for them is spent, as with a reset link. One transaction, audited.
 */
export async function setPasswordByEmail(ctx: AppContext, actor: Actor, input: { email?: unknown; password?: unknown }): Promise<{ id: number; email: string }> {
  const v = validate(z.object({ email: emailField(), password: passwordSchema }), input);
  if (!v.ok) throw invalid(v.errors);
  const hash = await hashPassword(v.data.password, ctx.config.passwordHashN);
  return ctx.db.transaction().execute(async (trx) => {
    const person = await personRepository.findByEmail(trx, v.data.email);
    if (!person) throw invalid({ email: { key: 'newcomer.error.noPerson' } });
    const now = ctx.now();
    await personRepository.update(trx, person.id, { password_hash: hash, updated_at: now });
    await sessionRepository.deleteForPerson(trx, person.id);
    await sessionRepository.spendOneTimeTokensOf(trx, person.id, now);
    await audit(trx, ctx, actor, 'password_set', 'person', person.id, undefined, { via: 'cli' });
    return { id: person.id, email: person.email };
  });
}
