import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokyoLocalToUtc } from '../../src/domain/calendar.js';
import { apply, cancel, decide } from '../../src/services/application.service.js';
import { calendarToken, personalFeed } from '../../src/services/calendar-feed.service.js';
import { toCurrentUser } from '../../src/services/context.js';
import { createTransport, deliverOutbox } from '../../src/services/mail.service.js';
import { cancelOffering } from '../../src/services/offering.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { addSession, deleteSession, updateSession } from '../../src/services/session.service.js';
import { createTestDb, TestClock, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { startSmtp } from '../support/smtp.js';

/**
 * Calendar invitations (issue 20 §3, decision 0023), end to end: the services queue the mail, the
 * outbox worker sends it over real SMTP to a listener on loopback, and what arrives is read as a mail
 * client (mailparser) and a calendar client (ical.js) would read it.
 */

let tdb: TestDb;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let ctx: ReturnType<typeof testContext>;

beforeAll(async () => {
  tdb = await createTestDb();
  smtp = await startSmtp();
  ctx = testContext(tdb, { config: { smtpUrl: smtp.url, mailFrom: '滋賀県 政策研修センター <kenshu@pref.example.jp>' } });
});
afterAll(async () => {
  await smtp.stop();
  await tdb.close();
});

/** A Tokyo-time zone for ical.js, as a calendar client in Japan has it (Japan keeps no summer time). */
const tokyo = ICAL.Timezone.fromData({
  tzid: 'Asia/Tokyo',
  component: ['BEGIN:VTIMEZONE', 'TZID:Asia/Tokyo', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0900', 'TZOFFSETTO:+0900', 'TZNAME:JST', 'END:STANDARD', 'END:VTIMEZONE'].join('\r\n'),
});

/** An event's start or end as a calendar in Tokyo shows it: 'YYYY-MM-DD HH:MM'. */
function tokyoWallClock(t: ICAL.Time): string {
  const local = t.convertToZone(tokyo);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${local.year}-${p(local.month)}-${p(local.day)} ${p(local.hour)}:${p(local.minute)}`;
}

interface Received {
  subject: string;
  text: string;
  /** The text/calendar alternative: its method parameter and the calendar in it. */
  calendar: { method: string; ics: string } | null;
  /** The .ics attachment, for the clients that read no alternative. */
  attachment: { filename: string; ics: string } | null;
}

/** The received mails already looked at (by their place in the listener's list). */
const read = new Set<number>();
/** Sends what is due and gives the mails to one address not looked at yet, in the order they came. */
async function deliver(to: string): Promise<Received[]> {
  const transport = createTransport(smtp.url);
  await deliverOutbox(ctx, transport);
  transport.close();
  const mine = smtp.mails.filter((m, i) => !read.has(i) && m.to.includes(to) && read.add(i));
  return Promise.all(
    mine.map(async (m) => {
      const parsed = await simpleParser(m.raw);
      const cal = parsed.attachments.find((a) => a.contentType === 'text/calendar');
      const att = parsed.attachments.find((a) => a.contentDisposition === 'attachment' && a.filename?.endsWith('.ics'));
      const params = (cal?.headers.get('content-type') as { params?: Record<string, string> } | undefined)?.params ?? {};
      return {
        subject: parsed.subject ?? '',
        text: parsed.text ?? '',
        calendar: cal ? { method: params.method ?? '', ics: cal.content.toString('utf8') } : null,
        attachment: att ? { filename: att.filename!, ics: att.content.toString('utf8') } : null,
      };
    }),
  );
}

function events(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  return { method: cal.getFirstPropertyValue('method'), events: cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v)) };
}

/** The one event of a mail's calendar part, checked to be the same in the alternative and the attachment. */
function theEvent(m: Received) {
  expect(m.calendar).not.toBeNull();
  expect(m.attachment?.ics).toBe(m.calendar!.ics);
  const c = events(m.calendar!.ics);
  expect(c.method).toBe(m.calendar!.method);
  expect(c.events).toHaveLength(1);
  return { method: c.method, ev: c.events[0] };
}

async function staff(name: string, email: string) {
  const p = await makeUser(ctx, ['staff'], { name, email });
  return toCurrentUser((await getPerson(ctx, p.id))!);
}

const session = (date: string, from: string, to: string, title: string, venue: string) => ({
  title,
  format: 'lecture',
  startsAt: tokyoLocalToUtc(date, from).toISOString(),
  endsAt: tokyoLocalToUtc(date, to).toISOString(),
  venue,
});

describe('calendar invitations over SMTP (iTIP)', () => {
  it('invites on 受講決定, updates a moved session, and cancels on 辞退 and 中止: same UID as the feed, SEQUENCE rising', async () => {
    const o = await makeOffering(ctx, { capacity: 2, waitlist: true });
    const s1 = await addSession(ctx, null, o.id, session('2026-12-08', '10:00', '12:00', '第1回 講義', '県庁 新館7階 大会議室'));
    const s2 = await addSession(ctx, null, o.id, session('2026-12-15', '13:30', '16:30', '第2回 演習', 'ピアザ淡海 2階'));
    const hanako = await staff('研修 花子', 'hanako@pref.example.jp');
    const jiro = await staff('研修 次郎', 'jiro@pref.example.jp');
    const saburo = await staff('研修 三郎', 'saburo@pref.example.jp');

    // 受講決定: the notice carries the first session's invitation; the second comes in a mail of its own.
    const app = await apply(ctx, hanako, o.id, {});
    expect(app.status).toBe('confirmed');
    const invited = await deliver(hanako.email);
    expect(invited.map((m) => m.subject)).toEqual([`【Kyodo】受講決定通知：${o.title}`, `【Kyodo】予定表への登録：${o.title}（第2回 演習）`]);
    expect(invited[0].text).toContain(app.participant_code);
    const [first, second] = invited.map(theEvent);
    for (const { method, ev } of [first, second]) {
      expect(method).toBe('REQUEST');
      expect(ev.sequence).toBe(0);
      expect(ev.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
      const organizer = ev.component.getFirstProperty('organizer')!;
      expect(organizer.getFirstValue()).toBe('mailto:kenshu@pref.example.jp');
      expect(organizer.getParameter('cn')).toBe('滋賀県 政策研修センター');
      expect(ev.attendees.map((a) => [a.getFirstValue(), a.getParameter('cn'), a.getParameter('partstat'), a.getParameter('rsvp')])).toEqual([
        ['mailto:hanako@pref.example.jp', '研修 花子', 'NEEDS-ACTION', 'FALSE'],
      ]);
      expect(ev.description).toContain(`参加者コード：${app.participant_code}`);
    }
    expect(first.ev.summary).toBe(`${o.title}：第1回 講義`);
    expect(first.ev.location).toBe('県庁 新館7階 大会議室');
    expect([tokyoWallClock(first.ev.startDate), tokyoWallClock(first.ev.endDate)]).toEqual(['2026-12-08 10:00', '2026-12-08 12:00']);
    expect(second.ev.location).toBe('ピアザ淡海 2階');
    expect([tokyoWallClock(second.ev.startDate), tokyoWallClock(second.ev.endDate)]).toEqual(['2026-12-15 13:30', '2026-12-15 16:30']);
    // A calendar in Tokyo shows the same time (the event is written in UTC, decision 0008).
    expect(new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hour12: false }).format(first.ev.startDate.toJSDate())).toBe('10:00');

    // The UIDs are those of the person's calendar feed.
    const feed = events((await personalFeed(ctx, await calendarToken(ctx, hanako.id)))!);
    const feedUid = new Map(feed.events.map((e) => [e.summary, e.uid]));
    expect(first.ev.uid).toBe(feedUid.get(`${o.title}：第1回 講義`));
    expect(second.ev.uid).toBe(feedUid.get(`${o.title}：第2回 演習`));
    const uid1 = first.ev.uid;
    const uid2 = second.ev.uid;
    expect(uid1).not.toBe(uid2);

    // The session moves: an update of the same event, SEQUENCE 1, at the new Tokyo time and place.
    await updateSession(ctx, null, s1.id, { title: '第1回 講義', startsAt: tokyoLocalToUtc('2026-12-09', '14:00').toISOString(), endsAt: tokyoLocalToUtc('2026-12-09', '16:00').toISOString(), venue: '県庁 東館 会議室' });
    const moved = await deliver(hanako.email);
    expect(moved.map((m) => m.subject)).toEqual(['【Kyodo】研修の回の日時・会場などを変更しました：第1回 講義']);
    const update = theEvent(moved[0]);
    expect(update.method).toBe('REQUEST');
    expect(update.ev.uid).toBe(uid1);
    expect(update.ev.sequence).toBe(1);
    expect(update.ev.location).toBe('県庁 東館 会議室');
    expect([tokyoWallClock(update.ev.startDate), tokyoWallClock(update.ev.endDate)]).toEqual(['2026-12-09 14:00', '2026-12-09 16:00']);

    // A second participant, then a third on the waitlist.
    const jiroApp = await apply(ctx, jiro, o.id, {});
    expect(jiroApp.status).toBe('confirmed');
    const jiroInvites = (await deliver(jiro.email)).map(theEvent);
    // Invited later, after the move: the current revision, so that the next update applies to this copy too.
    expect(jiroInvites.map((c) => [c.ev.uid, c.ev.sequence])).toEqual([
      [uid1, 1],
      [uid2, 0],
    ]);
    expect((await apply(ctx, saburo, o.id, {})).status).toBe('waitlisted');
    expect((await deliver(saburo.email)).map((m) => m.calendar)).toEqual([null]);

    // 辞退: METHOD:CANCEL for each session, same UIDs, higher SEQUENCE; the promoted person is invited at that revision.
    await cancel(ctx, jiro, jiroApp.id);
    const withdrawn = await deliver(jiro.email);
    expect(withdrawn[0].subject).toBe(`【Kyodo】辞退を受け付けました：${o.title}`);
    const cancels = withdrawn.map(theEvent);
    expect(cancels.map((c) => [c.method, c.ev.uid, c.ev.sequence, c.ev.component.getFirstPropertyValue('status')])).toEqual([
      ['CANCEL', uid1, 2, 'CANCELLED'],
      ['CANCEL', uid2, 1, 'CANCELLED'],
    ]);
    const promoted = await deliver(saburo.email);
    expect(promoted[0].subject).toBe(`【Kyodo】繰上げにより受講が決定しました：${o.title}`);
    expect(promoted.map(theEvent).map((c) => [c.method, c.ev.uid, c.ev.sequence])).toEqual([
      ['REQUEST', uid1, 2],
      ['REQUEST', uid2, 1],
    ]);

    // 中止: every confirmed participant's events are cancelled, same UIDs, higher SEQUENCE again.
    await cancelOffering(ctx, null, o.id, { reason: '講師の急病のため' });
    const cancelled = await deliver(hanako.email);
    expect(cancelled[0].subject).toBe(`【Kyodo】研修の中止のお知らせ：${o.title}`);
    expect(cancelled.map(theEvent).map((c) => [c.method, c.ev.uid, c.ev.sequence, c.ev.component.getFirstPropertyValue('status')])).toEqual([
      ['CANCEL', uid1, 3, 'CANCELLED'],
      ['CANCEL', uid2, 2, 'CANCELLED'],
    ]);
    // Whoever had given up their place is not written to again.
    expect(await deliver(jiro.email)).toEqual([]);
  });

  it('a deleted session is cancelled in the participants’ calendars', async () => {
    const o = await makeOffering(ctx, { capacity: 5 });
    const s = await addSession(ctx, null, o.id, session('2027-01-20', '09:30', '11:30', '現地研修', 'NPO法人 びわ湖の森 事務所'));
    const shiro = await staff('研修 四郎', 'shiro@pref.example.jp');
    await apply(ctx, shiro, o.id, {});
    const [invite] = (await deliver(shiro.email)).map(theEvent);
    expect([invite.method, invite.ev.sequence]).toEqual(['REQUEST', 0]);
    await deleteSession(ctx, null, s.id, { reason: '受入れ先の都合により' });
    const [m] = await deliver(shiro.email);
    expect(m.subject).toBe('【Kyodo】研修の回を取りやめました：現地研修');
    const c = theEvent(m);
    expect([c.method, c.ev.uid, c.ev.sequence, c.ev.component.getFirstPropertyValue('status')]).toEqual(['CANCEL', invite.ev.uid, 1, 'CANCELLED']);
  });

  it('a change that does not touch the calendar (lecturers only) sends the notice without an update', async () => {
    const o = await makeOffering(ctx, { capacity: 5 });
    const s = await addSession(ctx, null, o.id, session('2027-01-27', '10:00', '12:00', '第1回', '県庁'));
    const goro = await staff('研修 五郎', 'goro@pref.example.jp');
    await apply(ctx, goro, o.id, {});
    await deliver(goro.email);
    await updateSession(ctx, null, s.id, { title: '第1回', startsAt: s.starts_at.toISOString(), endsAt: s.ends_at.toISOString(), venue: '県庁', lecturers: '協働 一郎' });
    const [m] = await deliver(goro.email);
    expect(m.subject).toBe('【Kyodo】研修の回の日時・会場などを変更しました：第1回');
    expect(m.calendar).toBeNull();
  });

  it('a review decision taken back (受講決定 → 補欠) cancels the invitation', async () => {
    const o = await makeOffering(ctx, { capacity: 5, selection: 'review' });
    await addSession(ctx, null, o.id, session('2027-01-13', '13:00', '15:00', '第1回', '県庁'));
    const admin = toCurrentUser((await getPerson(ctx, (await makeUser(ctx, ['admin', 'staff'])).id))!);
    const nana = await staff('研修 七子', 'nana@pref.example.jp');
    const app = await apply(ctx, nana, o.id, {});
    expect((await deliver(nana.email)).map((m) => m.calendar)).toEqual([null]);
    await decide(ctx, admin, o.id, { applicationIds: [app.id], decision: 'confirmed' });
    const [invite] = (await deliver(nana.email)).map(theEvent);
    expect([invite.method, invite.ev.sequence]).toEqual(['REQUEST', 0]);
    await decide(ctx, admin, o.id, { applicationIds: [app.id], decision: 'waitlisted' });
    const [m] = await deliver(nana.email);
    expect(m.subject).toBe(`【Kyodo】補欠となりました：${o.title}`);
    const c = theEvent(m);
    expect([c.method, c.ev.uid, c.ev.sequence]).toEqual(['CANCEL', invite.ev.uid, 1]);
  });

  it('a refused cancellation (an offering that has begun) queues nothing and raises no SEQUENCE', async () => {
    const o = await makeOffering(ctx, { capacity: 5 });
    const s = await addSession(ctx, null, o.id, session('2027-03-03', '10:00', '12:00', '第1回', '県庁'));
    const hachi = await staff('研修 八子', 'hachi@pref.example.jp');
    await apply(ctx, hachi, o.id, {});
    await deliver(hachi.email);
    // The same database an hour after the session began.
    const later = testContext(tdb, { clock: new TestClock(tokyoLocalToUtc('2027-03-03', '11:00')), config: ctx.config });
    await expect(cancelOffering(later, null, o.id, { reason: '中止' })).rejects.toMatchObject({ code: 'started' });
    expect(await deliver(hachi.email)).toEqual([]);
    const row = await tdb.db.selectFrom('offering_sessions').select('ical_sequence').where('id', '=', s.id).executeTakeFirstOrThrow();
    expect(row.ical_sequence).toBe(0);
  });

  it('each invitation is sent once, even with two workers at it', async () => {
    const o = await makeOffering(ctx, { capacity: 5 });
    await addSession(ctx, null, o.id, session('2027-02-03', '10:00', '12:00', '第1回', '県庁'));
    await addSession(ctx, null, o.id, session('2027-02-10', '10:00', '12:00', '第2回', '県庁'));
    const people = await Promise.all(['rokuro', 'shichiro', 'hachiro'].map((n) => staff(`研修 ${n}`, `${n}@pref.example.jp`)));
    for (const p of people) await apply(ctx, p, o.id, {});
    const before = smtp.mails.length;
    const [a, b] = [createTransport(smtp.url), createTransport(smtp.url)];
    const runs = await Promise.all([deliverOutbox(ctx, a, 1), deliverOutbox(ctx, b, 1)]);
    a.close();
    b.close();
    expect(runs[0].sent + runs[1].sent).toBe(6);
    expect(await deliverOutbox(ctx, createTransport(smtp.url))).toEqual({ sent: 0, failed: 0 });
    const arrived = smtp.mails.slice(before);
    expect(arrived).toHaveLength(6);
    const uids = await Promise.all(
      arrived.map(async (m) => {
        const cal = (await simpleParser(m.raw)).attachments.find((x) => x.contentType === 'text/calendar')!;
        return `${m.to.join()} ${events(cal.content.toString('utf8')).events[0].uid}`;
      }),
    );
    expect(new Set(uids).size).toBe(6);
  });
});
