import { apply } from '../../services/application.service.js';
import { invalid } from '../../services/context.js';
import { getOffering } from '../../services/offering.service.js';
import { getPerson, listPeople } from '../../services/person.service.js';
import { type FormBody, toId } from '../forms.js';
import type { Ctx } from '../router.js';
import { answersOf } from '../views/offering-facts.js';

/** 代理申込 (issue 16 §2.3): the search on the applicants page, and applying for the person chosen. */

const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
const SHOWN = 20;

export type ProxyState = Awaited<ReturnType<typeof proxyState>>;

/**
 * The proxy section's state: the search (`who`, from the query or the form sent), its matches (active
 * people, by フリガナ; NFKC- and kana-insensitive, on name, フリガナ, 職員番号 and email), and the person
 * chosen for the answers step.
 */
export async function proxyState(c: Ctx, values: FormBody) {
  const ctx = c.get('ctx');
  const who = (c.req.query('who') ?? str(values.who)).trim().slice(0, 100);
  const found = who ? await listPeople(ctx, { q: who, limit: SHOWN }) : null;
  const chosenId = values.answerStep || values.personId ? toId(str(values.personId)) : 0;
  const chosen = chosenId ? ((await getPerson(ctx, chosenId)) ?? null) : null;
  return { who, matches: found?.rows ?? null, total: found?.total ?? 0, more: (found?.total ?? 0) > SHOWN, chosen: chosen?.active ? chosen : null };
}

/** Chosen from the search, for an offering with questions: the answers come first (or 「本人が後から回答」). */
export async function proxyNeedsAnswers(c: Ctx, offeringId: number, body: FormBody): Promise<boolean> {
  if (!str(body.personId) || body.answerStep) return false;
  const d = await getOffering(c.get('ctx'), offeringId);
  return !!d?.offering.questions.length;
}

/** Applies for the person chosen from the search (personId) or given by exact email; returns the notice. */
export async function proxyApply(c: Ctx, offeringId: number, body: FormBody): Promise<string> {
  const ctx = c.get('ctx');
  let person: { id: number; name: string } | undefined;
  if (str(body.personId)) {
    const p = await getPerson(ctx, toId(str(body.personId)));
    if (!p?.active) throw invalid({ personId: { key: 'error.choice' } });
    person = p;
  } else {
    const email = str(body.email).trim().toLowerCase();
    person = (await listPeople(ctx, { q: email, limit: 2 })).rows.find((p) => email && p.email.toLowerCase() === email);
    if (!person) throw invalid({ email: { key: 'error.personNotFound' } });
  }
  // The admin answers the questions for the applicant, or leaves them to the applicant (answers pending).
  await apply(ctx, c.get('user')!, offeringId, { personId: person.id, answers: answersOf(body), answersPending: body.answersPending === 'on' });
  return c.get('t')('offerings.proxied', { name: person.name });
}
