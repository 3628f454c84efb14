import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveyRepository } from '../../src/db/repositories/survey.repository.js';
import { fiscalYearOf, tokyoDateOf, tokyoLocalToUtc } from '../../src/domain/calendar.js';
import { apply, cancel } from '../../src/services/application.service.js';
import { myMessages, previewCohortMessage, sendCohortMessage } from '../../src/services/cohort-message.service.js';
import { ServiceError } from '../../src/services/context.js';
import { addSession, getOffering } from '../../src/services/offering.service.js';
import { copyOffering, previewOfferingCopy } from '../../src/services/offering-copy.service.js';
import { createPartner } from '../../src/services/partner.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { createSurvey } from '../../src/services/survey.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { toCurrentUser } from '../../src/services/context.js';

let tdb: TestDb;
let ctx: ReturnType<typeof testContext>;
let admin: ReturnType<typeof toCurrentUser>;

async function user(roles: ('admin' | 'staff')[] = ['staff']) {
  const p = await makeUser(ctx, roles);
  return toCurrentUser((await getPerson(ctx, p.id))!);
}
const session = (date: string, from: string, to: string, title: string) => ({
  title,
  format: 'lecture',
  startsAt: tokyoLocalToUtc(date, from).toISOString(),
  endsAt: tokyoLocalToUtc(date, to).toISOString(),
  venue: '県庁本館 大会議室',
  lecturers: '協働 花子',
});
async function failure(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ServiceError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  tdb = await createTestDb();
  ctx = testContext(tdb);
  admin = await user(['admin', 'staff']);
});
afterAll(() => tdb.close());

describe('copying an offering into another fiscal year', () => {
  it('puts each session on the same weekday in FY2027, moves the one on 天皇誕生日, and keeps questions, seats and the completion rule', async () => {
    const o = await makeOffering(ctx, {
      capacity: 30,
      seats: { prefecture: 20, municipality: 10 },
      questions: [{ id: 'q1', label: '受講の動機', required: true }],
      published: true,
    });
    const s1 = await addSession(ctx, admin, o.id, session('2026-12-08', '10:00', '12:00', '第1回 講義')); // Tue
    const s2 = await addSession(ctx, admin, o.id, session('2027-02-24', '13:30', '16:30', '第2回 演習')); // Wed → 2028-02-23 is 天皇誕生日
    const host = await createPartner(ctx, null, { name: 'NPO法人 おおつ協働ネット', kana: 'オオツキョウドウネット', type: 'npo' });
    await tdb.db.updateTable('offering_sessions').set({ host_partner_id: host.id }).where('id', '=', s1.id).execute();
    await tdb.db
      .updateTable('offerings')
      .set({ completion_rule: JSON.stringify({ requiredSessionIds: [s2.id], assignment: true }) })
      .where('id', '=', o.id)
      .execute();
    const template = await surveyRepository.findTemplateByCode(ctx.db, 'competency');
    await createSurvey(ctx, admin, { templateId: template!.id, kind: 'pre', offeringId: o.id, opensAt: '2026-11-25T09:00:00+09:00', closesAt: '2026-12-07T17:00:00+09:00' });
    const someone = await user();
    await apply(ctx, someone, o.id, { answers: { q1: '地域の団体と協働したい' } });

    const preview = await previewOfferingCopy(ctx, o.id, { fiscalYear: 2027 });
    expect(preview.sessions.map((s) => [s.title, s.to, s.moved])).toEqual([
      ['第1回 講義', '2027-12-07', null],
      ['第2回 演習', '2028-02-24', { kind: 'holiday', name: '天皇誕生日' }],
    ]);

    const { offering: copy } = await copyOffering(ctx, admin, o.id, { fiscalYear: 2027 });
    expect(copy.id).not.toBe(o.id);
    expect(copy.fiscal_year).toBe(2027);
    expect(copy.published).toBe(false);
    expect(copy.title).toBe(o.title);
    expect(copy.questions).toEqual([{ id: 'q1', label: '受講の動機', required: true }]);
    expect(copy.seats).toEqual({ prefecture: 20, municipality: 10 });
    expect(copy.capacity).toBe(30);
    expect(tokyoDateOf(copy.application_opens_at)).toBe(tokyoDateOf(new Date(o.application_opens_at.getTime() + 365 * 86_400_000)));

    const d = (await getOffering(ctx, copy.id))!;
    expect(d.sessions).toHaveLength(2);
    for (const s of d.sessions) expect(fiscalYearOf(s.starts_at)).toBe(2027);
    expect(d.sessions.map((s) => [s.title, tokyoDateOf(s.starts_at), s.venue])).toEqual([
      ['第1回 講義', '2027-12-07', '県庁本館 大会議室'],
      ['第2回 演習', '2028-02-24', '県庁本館 大会議室'],
    ]);
    expect(d.sessions[1].starts_at.getTime()).toBe(tokyoLocalToUtc('2028-02-24', '13:30').getTime());
    // The completion rule points at the copy's own session.
    expect(copy.completion_rule).toEqual({ requiredSessionIds: [d.sessions[1].id], assignment: true });
    expect(s1.id).not.toBe(d.sessions[0].id);
    // The partner that hosted is not named as next year's host: it offers again.
    expect(d.sessions.map((s) => s.host_partner_id)).toEqual([null, null]);

    // No application is copied. The pre-course survey is (issue 16 §2.1): same template and questions,
    // dated into 2027, not yet open and inviting nobody until it opens (survey-opening.service.ts).
    const apps = await tdb.db.selectFrom('applications').select('id').where('offering_id', '=', copy.id).execute();
    expect(apps).toHaveLength(0);
    const surveys = await tdb.db.selectFrom('surveys').selectAll().where('offering_id', '=', copy.id).execute();
    expect(surveys.map((x) => [x.kind, x.template_id, tokyoDateOf(x.opens_at), tokyoDateOf(x.closes_at)])).toEqual([['pre', template!.id, '2027-11-25', '2027-12-07']]);
    expect(await tdb.db.selectFrom('survey_invitations').select('person_id').where('survey_id', '=', surveys[0].id).execute()).toEqual([]);

    const log = await tdb.db.selectFrom('audit_log').selectAll().where('entity', '=', 'offering').where('entity_id', '=', String(copy.id)).execute();
    expect(log.map((l) => [l.action, l.actor_id])).toEqual([['copy', admin.id]]);
    expect((log[0].after as { copiedFrom: number }).copiedFrom).toBe(o.id);
  });

  it('refuses the same year, a year that is not one, and an unknown offering, saving nothing', async () => {
    const o = await makeOffering(ctx);
    const before = (await tdb.db.selectFrom('offerings').select('id').execute()).length;
    const same = await failure(copyOffering(ctx, admin, o.id, { fiscalYear: 2026 }));
    expect([same.status, same.fields.fiscalYear?.key]).toEqual([422, 'bulk.error.sameYear']);
    const text = await failure(copyOffering(ctx, admin, o.id, { fiscalYear: '来年' }));
    expect([text.status, text.fields.fiscalYear?.key]).toEqual([422, 'error.fiscalYear']);
    expect((await failure(copyOffering(ctx, admin, 999_999, { fiscalYear: 2027 }))).status).toBe(404);
    expect((await tdb.db.selectFrom('offerings').select('id').execute()).length).toBe(before);
    // Wareki is read too.
    const { offering } = await copyOffering(ctx, admin, o.id, { fiscalYear: '令和9年度' });
    expect(offering.fiscal_year).toBe(2027);
  });
});

describe('messaging a cohort', () => {
  it('queues one mail per person with the chosen statuses, lists each copy on that person’s page, and counts exactly', async () => {
    const o = await makeOffering(ctx, { capacity: 2 });
    const [a, b, c, d, e] = [await user(), await user(), await user(), await user(), await user()];
    for (const p of [a, b, c, d]) await apply(ctx, p, o.id, {});
    const ea = await apply(ctx, e, o.id, {});
    await cancel(ctx, e, ea.id);
    const outboxBefore = (await tdb.db.selectFrom('outbox').select('id').execute()).length;

    expect((await previewCohortMessage(ctx, o.id, { statuses: ['confirmed', 'waitlisted'], subject: '事前課題', body: '本文' })).count).toBe(4);
    const r = await sendCohortMessage(ctx, admin, o.id, { subject: '事前課題のお知らせ', body: '第1回までに事前課題を提出してください。', statuses: ['confirmed'] });
    expect(r.queued).toBe(2);
    const mail = await tdb.db.selectFrom('outbox').selectAll().where('id', '>', 0).orderBy('id').execute();
    const mine = mail.slice(outboxBefore);
    expect(mine.map((m) => m.to_address).sort()).toEqual([a.email, b.email].sort());
    expect(mine.every((m) => m.subject === '事前課題のお知らせ' && m.body_text.includes('第1回までに事前課題を提出してください。'))).toBe(true);
    expect(mine[0].body_text).toContain('/my/messages');

    expect((await myMessages(ctx, a.id)).map((m) => [m.subject, m.offering_title])).toEqual([['事前課題のお知らせ', o.title]]);
    expect(await myMessages(ctx, c.id)).toEqual([]);
    expect(await myMessages(ctx, e.id)).toEqual([]);

    const w = await sendCohortMessage(ctx, admin, o.id, { subject: '補欠の方へ', body: '繰上げの連絡をお待ちください。', statuses: ['waitlisted', 'cancelled'] });
    expect(w.queued).toBe(3);
    expect((await myMessages(ctx, e.id)).map((m) => m.subject)).toEqual(['補欠の方へ']);

    const log = await tdb.db.selectFrom('audit_log').selectAll().where('entity', '=', 'cohort_message').execute();
    expect(log).toHaveLength(2);
  });

  it('reaches a session’s participants: those confirmed before attendance is taken', async () => {
    const o = await makeOffering(ctx, { capacity: 1 });
    const s = await addSession(ctx, admin, o.id, session('2026-12-10', '10:00', '12:00', '第1回'));
    const [a, b] = [await user(), await user()];
    await apply(ctx, a, o.id, {});
    await apply(ctx, b, o.id, {});
    const r = await sendCohortMessage(ctx, admin, o.id, { subject: '会場の変更', body: '会場を変更しました。', sessionId: s.id });
    expect(r.queued).toBe(1);
    expect((await myMessages(ctx, a.id)).map((m) => m.subject)).toEqual(['会場の変更']);
    expect(await myMessages(ctx, b.id)).toEqual([]);
  });

  it('refuses a message with no recipients, no audience, both audiences, or no subject, and queues nothing', async () => {
    const o = await makeOffering(ctx);
    const other = await makeOffering(ctx);
    const s = await addSession(ctx, admin, other.id, session('2026-12-10', '10:00', '12:00', '他の回'));
    await apply(ctx, await user(), o.id, {});
    const before = (await tdb.db.selectFrom('outbox').select('id').execute()).length;
    const body = { subject: '件名', body: '本文' };
    expect((await failure(sendCohortMessage(ctx, admin, o.id, { ...body, statuses: ['not_selected'] }))).fields.statuses?.key).toBe('bulk.error.noRecipients');
    expect((await failure(sendCohortMessage(ctx, admin, o.id, body))).fields.statuses?.key).toBe('bulk.error.audience');
    expect((await failure(sendCohortMessage(ctx, admin, o.id, { ...body, statuses: ['confirmed'], sessionId: s.id }))).fields.statuses?.key).toBe('bulk.error.audienceBoth');
    expect((await failure(sendCohortMessage(ctx, admin, o.id, { ...body, sessionId: s.id }))).fields.sessionId?.key).toBe('error.choice');
    expect((await failure(sendCohortMessage(ctx, admin, o.id, { subject: ' ', body: '本文', statuses: ['confirmed'] }))).fields.subject).toBeDefined();
    expect((await failure(sendCohortMessage(ctx, admin, o.id, { ...body, statuses: ['accepted'] }))).status).toBe(422);
    expect((await tdb.db.selectFrom('outbox').select('id').execute()).length).toBe(before);
    expect(await tdb.db.selectFrom('cohort_messages').select('id').where('offering_id', '=', o.id).execute()).toEqual([]);
  });
});
