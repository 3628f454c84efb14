import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../src/services/application.service.js';
import { markAttendance } from '../../src/services/completion.service.js';
import { ServiceError } from '../../src/services/context.js';
import { createTransport, deliverOutbox } from '../../src/services/mail.service.js';
import { addSession } from '../../src/services/offering.service.js';
import { createPartner } from '../../src/services/partner.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createDueSurveys, createSurvey, createTemplate, impact, questionsFromText, questionsToText, rawAnswers, remind, respond, respondentView, results, sendDueSurveyReminders, updateTemplate } from '../../src/services/survey.service.js';
import { DEFAULT_TEMPLATES } from '../../src/services/survey-defaults.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { readMail, startSmtp } from '../support/smtp.js';
import { toCurrentUser } from '../../src/services/context.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.stop();
  await tdb.close();
});

const user = async (id: number) => toCurrentUser((await getPerson(ctx, id))!);
const templateId = async (code: string) => (await ctx.db.selectFrom('survey_templates').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
const post = { satisfaction: 5, understanding: 4, usefulness: 4, intent: '取り組みたい', comments: '現場の話が具体的で参考になりました。' };

/** An offering with one session that ends an hour from now, `n` confirmed participants, and optionally a host. */
async function cohort(n: number, opts: { host?: boolean } = {}) {
  const o = await makeOffering(ctx, { capacity: 20 });
  const start = new Date(ctx.now().getTime() - HOUR);
  const s = await addSession(ctx, null, o.id, { title: '現地研修', format: 'field', startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 2 * HOUR).toISOString() });
  let hostMember: Awaited<ReturnType<typeof user>> | null = null;
  if (opts.host) {
    const p = await createPartner(ctx, null, { name: `受入れ団体${o.id}`, kana: 'ウケイレダンタイ', type: 'npo' });
    await ctx.db.updateTable('offering_sessions').set({ host_partner_id: p.id }).where('id', '=', s.id).execute();
    const m = await makeUser(ctx, ['partner'], { affiliation: 'partner' });
    await ctx.db.updateTable('people').set({ partner_id: p.id }).where('id', '=', m.id).execute();
    hostMember = await user(m.id);
  }
  const people = [];
  const apps = [];
  for (let i = 0; i < n; i++) {
    const u = await user((await makeUser(ctx, ['staff'])).id);
    people.push(u);
    apps.push(await apply(ctx, u, o.id, {}));
  }
  return { o, s, people, apps, hostMember };
}

describe('default templates', () => {
  it('are seeded by the migration with the wording of DEFAULT_TEMPLATES', async () => {
    const rows = await ctx.db.selectFrom('survey_templates').selectAll().where('builtin', '=', true).orderBy('id').execute();
    expect(rows.map((r) => [r.code, r.questions])).toEqual(DEFAULT_TEMPLATES.map((t) => [t.code, t.questions]));
    const competency = rows.find((r) => r.code === 'competency')!;
    expect(competency.questions[0].rows!.map((r) => r.id)).toEqual(['roles', 'sites', 'consensus', 'facilitation', 'evaluation']);
  });
  it('round-trip through the text form, keeping English labels', () => {
    for (const t of DEFAULT_TEMPLATES) {
      const back = questionsFromText(questionsToText(t.questions), t.questions);
      expect(back.problems).toEqual([]);
      expect(back.questions).toEqual(t.questions);
    }
  });
  it('refuse a malformed question list with the line that is wrong, and save nothing', async () => {
    const before = await ctx.db.selectFrom('survey_templates').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const e = await createTemplate(ctx, null, { name: 'x', purpose: 'general', questions: 'scale5:ok*: 良い\nnonsense line' }).catch((x) => x);
    expect(e).toBeInstanceOf(ServiceError);
    expect(e.fields.questions.params.detail).toContain('line 2');
    const after = await ctx.db.selectFrom('survey_templates').select((e2) => e2.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe('after a session ends', () => {
  it('sends the questionnaire to those present and the host questionnaire to the host, once, by real mail', async () => {
    const c = await cohort(3, { host: true });
    await markAttendance(ctx, null, c.s.id, [
      { applicationId: c.apps[0].id, status: 'present' },
      { applicationId: c.apps[1].id, status: 'late' },
      { applicationId: c.apps[2].id, status: 'absent' },
    ]);
    expect(await createDueSurveys(ctx)).toBe(0); // not over yet
    ctx.clock.advance(90 * 60_000);
    await ctx.db.deleteFrom('outbox').execute();
    expect(await createDueSurveys(ctx)).toBeGreaterThanOrEqual(2);
    expect(await createDueSurveys(ctx)).toBe(0); // made once
    const surveys = await ctx.db.selectFrom('surveys').selectAll().where('session_id', '=', c.s.id).orderBy('kind').execute();
    expect(surveys.map((s) => [s.kind, s.anonymous])).toEqual([
      ['host', false],
      ['post_session', true],
    ]);
    const invited = await ctx.db.selectFrom('survey_invitations').select(['survey_id', 'person_id']).where('survey_id', 'in', surveys.map((s) => s.id)).execute();
    expect(invited.filter((i) => i.survey_id === surveys[1].id).map((i) => i.person_id).sort()).toEqual([c.people[0].id, c.people[1].id].sort());
    expect(invited.filter((i) => i.survey_id === surveys[0].id).map((i) => i.person_id)).toEqual([c.hostMember!.id]);

    smtp.mails.length = 0;
    await deliverOutbox(ctx, createTransport(smtp.url), 100);
    const to = (id: number) => smtp.mails.filter((m) => m.to.includes(c.people.find((p) => p.id === id)?.email ?? c.hostMember!.email));
    expect(to(c.people[0].id)).toHaveLength(1);
    expect(to(c.people[2].id)).toHaveLength(0); // absent: not asked
    const mail = await readMail(to(c.people[0].id)[0].raw);
    expect(mail.subject).toContain('アンケートのお願い');
    expect(mail.text).toContain(`http://kyodo.test/surveys/${surveys[1].id}`);
    expect(mail.text).toContain('無記名');
    const hostMail = await readMail(smtp.mails.find((m) => m.to.includes(c.hostMember!.email))!.raw);
    expect(hostMail.text).toContain(`/surveys/${surveys[0].id}`);
  });

  it('leaves sessions that ended more than a week ago alone', async () => {
    const c = await cohort(1);
    ctx.clock.advance(8 * DAY);
    await createDueSurveys(ctx);
    const n = await ctx.db.selectFrom('surveys').select('id').where('session_id', '=', c.s.id).execute();
    expect(n).toHaveLength(0);
  });
});

describe('answering', () => {
  it('an anonymous answer is stored with no person, and only its holder can edit it', async () => {
    const c = await cohort(2);
    const s = await createSurvey(ctx, null, { templateId: await templateId('post-seminar'), kind: 'post_session', sessionId: c.s.id, opensAt: ctx.now().toISOString(), closesAt: new Date(ctx.now().getTime() + 3 * DAY).toISOString() });
    expect(s.anonymous).toBe(true);
    const auditBefore = await ctx.db.selectFrom('audit_log').select((e) => e.fn.max('id').as('m')).executeTakeFirstOrThrow();
    const r = await respond(ctx, c.people[0], s.id, { answers: post });
    expect(r.editKey).toMatch(/.{20,}/);

    const rows = await ctx.db.selectFrom('survey_responses').selectAll().where('survey_id', '=', s.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].person_id).toBeNull();
    expect(rows[0].edit_key_hash).not.toContain(r.editKey!);
    // Nothing stored with the answer points back to the person: no id, no e-mail, no name, no time of day.
    const stored = JSON.stringify(rows[0]);
    for (const x of [c.people[0].email, c.people[0].name, String(c.people[0].id)]) expect(stored).not.toContain(`"${x}"`);
    // Not even a day: on a day when one person answered, the day would name them (decision 0011).
    expect([rows[0].submitted_on, rows[0].updated_on]).toEqual([null, null]);
    // The audit log says who answered, never which answer.
    const audits = await ctx.db.selectFrom('audit_log').selectAll().where('id', '>', Number(auditBefore.m ?? 0)).execute();
    expect(audits.map((a) => JSON.stringify(a)).join()).not.toContain(rows[0].id);
    expect(audits.map((a) => JSON.stringify(a.after)).join()).not.toContain('参考になりました');
    // Export and API rows carry no identity.
    const raw = await rawAnswers(ctx, s.id);
    expect(raw!.rows).toEqual([{ respondent: null, submittedOn: null, answers: { ...post } }]);

    // A second answer without the key is refused; with the key it edits the same response.
    await expect(respond(ctx, c.people[0], s.id, { answers: post })).rejects.toMatchObject({ status: 409, messageKey: 'error.surveyAnswered' });
    await respond(ctx, c.people[0], s.id, { answers: { ...post, satisfaction: 2 }, editKey: r.editKey });
    const after = await ctx.db.selectFrom('survey_responses').selectAll().where('survey_id', '=', s.id).execute();
    expect(after).toHaveLength(1);
    expect(after[0].answers.satisfaction).toBe(2);
    // Changing it leaves no day either, to match the change's audit entry with.
    expect([after[0].submitted_on, after[0].updated_on]).toEqual([null, null]);
    // Someone else's key is no use to another invitee who has answered.
    await respond(ctx, c.people[1], s.id, { answers: post });
    await expect(respond(ctx, c.people[1], s.id, { answers: post, editKey: 'forged' })).rejects.toMatchObject({ status: 409 });
    const view = await respondentView(ctx, c.people[0], s.id, r.editKey);
    expect(view.answers?.satisfaction).toBe(2);
    expect((await respondentView(ctx, c.people[0], s.id, null)).answers).toBeNull();
    expect((await results(ctx, s.id))!.responded).toBe(2);
  });

  it('a named answer is one per person, editable until close; then refused with nothing saved', async () => {
    const c = await cohort(1);
    const s = await createSurvey(ctx, null, { templateId: await templateId('competency'), kind: 'pre', offeringId: c.o.id, opensAt: ctx.now().toISOString(), closesAt: new Date(ctx.now().getTime() + DAY).toISOString() });
    const ans = { competency: { roles: 2, sites: 1, consensus: 3, facilitation: 2, evaluation: 1 } };
    expect(await respond(ctx, c.people[0], s.id, { answers: ans })).toEqual({ editKey: null, updated: false });
    expect(await respond(ctx, c.people[0], s.id, { answers: { competency: { ...ans.competency, roles: 3 } } })).toEqual({ editKey: null, updated: true });
    const rows = await ctx.db.selectFrom('survey_responses').selectAll().where('survey_id', '=', s.id).execute();
    expect(rows.map((r) => [r.person_id, r.answers])).toEqual([[c.people[0].id, { competency: { ...ans.competency, roles: 3 } }]]);
    const scores = await ctx.db.selectFrom('survey_scores').select(['item', 'score']).where('survey_id', '=', s.id).orderBy('item').execute();
    expect(scores).toHaveLength(5);
    expect(scores.find((x) => x.item === 'roles')!.score).toBe(3);

    ctx.clock.advance(DAY);
    const e = await respond(ctx, c.people[0], s.id, { answers: { competency: { ...ans.competency, roles: 5 } } }).catch((x) => x);
    expect(e).toMatchObject({ status: 409, messageKey: 'error.surveyClosed' });
    expect(((await ctx.db.selectFrom('survey_responses').select('answers').where('survey_id', '=', s.id).executeTakeFirstOrThrow()).answers.competency as Record<string, number>).roles).toBe(3);
  });

  it('a missing required answer names the question and saves nothing; a stranger gets 404', async () => {
    const c = await cohort(1);
    const s = await createSurvey(ctx, null, { templateId: await templateId('post-seminar'), kind: 'post_session', sessionId: c.s.id, opensAt: ctx.now().toISOString(), closesAt: new Date(ctx.now().getTime() + DAY).toISOString() });
    const e = await respond(ctx, c.people[0], s.id, { answers: { ...post, usefulness: undefined }, lang: 'ja' }).catch((x) => x);
    expect(e).toBeInstanceOf(ServiceError);
    expect(e.status).toBe(422);
    expect(e.fields['q-usefulness']).toMatchObject({ key: 'error.required' });
    expect(String(e.fields['q-usefulness'].params.field)).toContain('業務に役立ちますか');
    expect(await ctx.db.selectFrom('survey_responses').select('id').where('survey_id', '=', s.id).execute()).toHaveLength(0);
    expect((await ctx.db.selectFrom('survey_invitations').select('responded_on').where('survey_id', '=', s.id).executeTakeFirstOrThrow()).responded_on).toBeNull();
    const stranger = await user((await makeUser(ctx, ['staff'])).id);
    await expect(respond(ctx, stranger, s.id, { answers: post })).rejects.toMatchObject({ status: 404 });
  });

  it('reminds only those who have not answered, and the automatic reminder goes once', async () => {
    const c = await cohort(3);
    const s = await createSurvey(ctx, null, { templateId: await templateId('post-seminar'), kind: 'post_session', sessionId: c.s.id, opensAt: ctx.now().toISOString(), closesAt: new Date(ctx.now().getTime() + 2 * DAY).toISOString() });
    await respond(ctx, c.people[0], s.id, { answers: post });
    await ctx.db.deleteFrom('outbox').execute();
    expect(await remind(ctx, null, s.id)).toBe(2);
    const mails = await ctx.db.selectFrom('outbox').select(['to_address', 'subject']).execute();
    expect(mails.map((m) => m.to_address).sort()).toEqual([c.people[1].email, c.people[2].email].sort());
    expect(mails[0].subject).toContain('再送');
    await ctx.db.deleteFrom('outbox').execute();
    const auto = await sendDueSurveyReminders(ctx);
    expect(auto).toBeGreaterThanOrEqual(2); // closes within three days
    expect(await sendDueSurveyReminders(ctx)).toBe(0);
  });
});

describe('pre/post impact', () => {
  it('pairs only people who answered both, per competency and group', async () => {
    const c = await cohort(3);
    const tid = await templateId('competency');
    const window = { opensAt: ctx.now().toISOString(), closesAt: new Date(ctx.now().getTime() + DAY).toISOString() };
    const pre = await createSurvey(ctx, null, { templateId: tid, kind: 'pre', offeringId: c.o.id, ...window });
    const postS = await createSurvey(ctx, null, { templateId: tid, kind: 'post', offeringId: c.o.id, ...window });
    const m = (v: number[]) => ({ competency: { roles: v[0], sites: v[1], consensus: v[2], facilitation: v[3], evaluation: v[4] } });
    await respond(ctx, c.people[0], pre.id, { answers: m([2, 1, 2, 2, 1]) });
    await respond(ctx, c.people[1], pre.id, { answers: m([3, 3, 3, 3, 3]) });
    await respond(ctx, c.people[2], pre.id, { answers: m([1, 1, 1, 1, 1]) }); // no post: not paired
    await respond(ctx, c.people[0], postS.id, { answers: m([4, 3, 3, 2, 2]) });
    await respond(ctx, c.people[1], postS.id, { answers: m([3, 4, 2, 3, 4]) });
    const r = await impact(ctx, { offeringId: c.o.id, by: 'cohort' });
    expect(r.people).toBe(2);
    const roles = r.overall.find((x) => x.item === 'roles')!;
    expect(roles).toMatchObject({ n: 2, meanPre: 2.5, meanPost: 3.5, meanChange: 1, improved: 1, same: 1, declined: 0 });
    expect(r.overall.find((x) => x.item === 'consensus')).toMatchObject({ meanChange: 0, improved: 1, declined: 1 });
    expect(r.groups).toEqual([c.o.title]);
    const byAff = await impact(ctx, { offeringId: c.o.id, by: 'affiliation' });
    expect(byAff.groups).toEqual(['prefecture']);
  });
});

describe('templates', () => {
  it('editing a template does not change surveys already made from it', async () => {
    const t = await createTemplate(ctx, null, { name: '試験', purpose: 'general', questions: 'scale5:a*: 旧い設問' });
    const c = await cohort(1);
    const s = await createSurvey(ctx, null, { templateId: t.id, kind: 'general', offeringId: c.o.id, opensAt: ctx.now().toISOString(), closesAt: new Date(ctx.now().getTime() + DAY).toISOString() });
    await updateTemplate(ctx, null, t.id, { name: '試験', purpose: 'general', questions: 'scale5:a*: 新しい設問' });
    const row = await ctx.db.selectFrom('surveys').select('questions').where('id', '=', s.id).executeTakeFirstOrThrow();
    expect(row.questions[0].label).toBe('旧い設問');
  });
});
