import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokyoLocalToUtc } from '../../src/domain/calendar.js';
import { apply, decide } from '../../src/services/application.service.js';
import { calendarToken, personalFeed, sessionIcs } from '../../src/services/calendar-feed.service.js';
import { toCurrentUser } from '../../src/services/context.js';
import { createTransport, deliverOutbox } from '../../src/services/mail.service.js';
import { getPerson } from '../../src/services/person.service.js';
import { addSession, deleteSession, updateSession } from '../../src/services/session.service.js';
import { createTestDb, type TestDb, testContext } from '../support/db.js';
import { makeUser } from '../support/http.js';
import { makeOffering } from '../support/offerings.js';
import { startSmtp } from '../support/smtp.js';

/**
 * A session's 持ち物 and access (会場への交通) in what a participant receives when their place is
 * confirmed: the notice lists them under each session (a line left out when empty), and the calendar
 * invitation's DESCRIPTION carries them. Sent over real SMTP to a listener on loopback and read as a
 * mail client (mailparser) and a calendar client (ical.js) would read it, in Japanese and English.
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

interface Received {
  subject: string;
  text: string;
  /** The calendar part's one event. */
  event: ICAL.Event | null;
}

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
      return { subject: parsed.subject ?? '', text: parsed.text ?? '', event: cal ? onlyEvent(cal.content.toString('utf8')) : null };
    }),
  );
}

function onlyEvent(ics: string): ICAL.Event {
  const events = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  return new ICAL.Event(events[0]);
}

const session = (date: string, title: string, venue: string, notes: { belongings?: string; access?: string } = {}) => ({
  title,
  format: 'lecture',
  startsAt: tokyoLocalToUtc(date, '13:30').toISOString(),
  endsAt: tokyoLocalToUtc(date, '16:30').toISOString(),
  venue,
  ...notes,
});

async function admin() {
  return toCurrentUser((await getPerson(ctx, (await makeUser(ctx, ['admin', 'staff'])).id))!);
}

async function staff(name: string, email: string, locale: 'ja' | 'en' = 'ja') {
  const p = await makeUser(ctx, ['staff'], { name, email });
  if (locale === 'en') await tdb.db.updateTable('people').set({ locale: 'en' }).where('id', '=', p.id).execute();
  return toCurrentUser((await getPerson(ctx, p.id))!);
}

/** A review offering with a first session that has both texts (several lines each) and a second that has neither. */
async function offeringWithNotes(first: { belongings: string; access: string }) {
  const o = await makeOffering(ctx, { capacity: 5, selection: 'review' });
  await addSession(ctx, null, o.id, session('2027-02-02', '第1回 講義', '県庁 新館7階 大会議室', first));
  await addSession(ctx, null, o.id, session('2027-02-09', '第2回 演習', 'ピアザ淡海 2階'));
  return o;
}

/** The lines of the notice's schedule (from the line after 日程 / Schedule up to the first blank line). */
function scheduleOf(text: string, heading: string): string[] {
  const lines = text.split(/\r?\n/);
  const from = lines.indexOf(heading) + 1;
  expect(from).toBeGreaterThan(0);
  const to = lines.indexOf('', from);
  return lines.slice(from, to);
}

describe('the confirmation mail and its invitations carry each session’s 持ち物 and access', () => {
  it('in Japanese: under each session, continuation lines indented; no line when empty; DESCRIPTION with the text as entered', async () => {
    const o = await offeringWithNotes({ belongings: '筆記用具\n動きやすい服装', access: 'JR大津駅から徒歩5分\n駐車場はありません' });
    const hanako = await staff('研修 花子', 'notes.hanako@pref.example.jp');
    const app = await apply(ctx, hanako, o.id, {});
    await deliver(hanako.email);
    await decide(ctx, await admin(), o.id, { applicationIds: [app.id], decision: 'confirmed' });
    const [notice, second] = await deliver(hanako.email);

    expect(notice.subject).toBe(`【Kyodo】受講決定通知：${o.title}`);
    expect(scheduleOf(notice.text, '日程')).toEqual([
      expect.stringMatching(/^・2027年2月2日.*13:30〜16:30 第1回 講義（県庁 新館7階 大会議室）$/),
      '　持ち物：筆記用具',
      '　　動きやすい服装',
      '　会場への交通：JR大津駅から徒歩5分',
      '　　駐車場はありません',
      expect.stringMatching(/^・2027年2月9日.*13:30〜16:30 第2回 演習（ピアザ淡海 2階）$/),
    ]);

    // The first session's invitation: the texts with their own line breaks, after the participant code.
    const description = notice.event!.description;
    expect(description).toContain(`参加者コード：${app.participant_code}\n持ち物：筆記用具\n動きやすい服装\n会場への交通：JR大津駅から徒歩5分\n駐車場はありません`);
    // The second session has neither: no such line in its invitation.
    expect(second.subject).toBe(`【Kyodo】予定表への登録：${o.title}（第2回 演習）`);
    expect(second.event!.description).toContain(`参加者コード：${app.participant_code}`);
    expect(second.event!.description).not.toMatch(/持ち物|会場への交通/);
  });

  it('in English: labelled in English, indented with spaces; a CRLF value (as a browser posts a textarea) reads as lines', async () => {
    const o = await offeringWithNotes({ belongings: 'Pen and notebook\r\nLaptop (optional)', access: '' });
    const emma = await staff('Emma Brown', 'notes.emma@pref.example.jp', 'en');
    const app = await apply(ctx, emma, o.id, {});
    await deliver(emma.email);
    await decide(ctx, await admin(), o.id, { applicationIds: [app.id], decision: 'confirmed' });
    const [notice, second] = await deliver(emma.email);

    expect(notice.subject).toBe(`[Kyodo] Place confirmed: ${o.title}`);
    const schedule = scheduleOf(notice.text, 'Schedule');
    // Dates, times and brackets as an English reader writes them.
    expect(schedule).toEqual(['・2 Feb 2027 (Tue) 13:30–16:30 第1回 講義 (県庁 新館7階 大会議室)', '  What to bring: Pen and notebook', '    Laptop (optional)', '・9 Feb 2027 (Tue) 13:30–16:30 第2回 演習 (ピアザ淡海 2階)']);
    expect(notice.text).not.toContain('Getting to the venue');

    expect(notice.event!.description).toContain(`Participant code: ${app.participant_code}\nWhat to bring: Pen and notebook\nLaptop (optional)`);
    expect(notice.event!.description).not.toContain('Getting to the venue');
    expect(notice.event!.description).not.toContain('\r');
    expect(second.event!.description).not.toMatch(/What to bring|Getting to the venue/);
  });

  it('an updated session’s invitation carries the new texts', async () => {
    const o = await makeOffering(ctx, { capacity: 5, selection: 'review' });
    const s = await addSession(ctx, null, o.id, session('2027-02-16', '第1回', '県庁', { belongings: '筆記用具' }));
    const jiro = await staff('研修 次郎', 'notes.jiro@pref.example.jp');
    const app = await apply(ctx, jiro, o.id, {});
    await decide(ctx, await admin(), o.id, { applicationIds: [app.id], decision: 'confirmed' });
    await deliver(jiro.email);

    // Moved, with new 持ち物 and access: the update (same UID, next SEQUENCE) says what to bring now.
    await updateSession(ctx, null, s.id, {
      title: '第1回',
      startsAt: tokyoLocalToUtc('2027-02-17', '13:30').toISOString(),
      endsAt: tokyoLocalToUtc('2027-02-17', '16:30').toISOString(),
      venue: '県庁',
      belongings: '筆記用具\n事前課題のメモ',
      access: '県庁東館の入口から',
    });
    const [changed] = await deliver(jiro.email);
    expect(changed.event!.sequence).toBe(1);
    expect(changed.event!.description).toContain('持ち物：筆記用具\n事前課題のメモ\n会場への交通：県庁東館の入口から');
  });

  it('a session’s .ics (the calendar files of the training pages) carries them too', async () => {
    const o = await offeringWithNotes({ belongings: '筆記用具\n名札', access: '' });
    const [first, second] = await tdb.db.selectFrom('offering_sessions').select('id').where('offering_id', '=', o.id).orderBy('starts_at').execute();
    const viewer = await admin();
    const ev = onlyEvent((await sessionIcs(ctx, first.id, { viewer }))!);
    expect(ev.description).toBe('持ち物：筆記用具\n名札');
    // Nothing to say: no DESCRIPTION at all, as before.
    expect(onlyEvent((await sessionIcs(ctx, second.id, { viewer }))!).description).toBeFalsy();
  });

  it('first come, first served: the place confirmed on applying (the group decision) says them too', async () => {
    const o = await makeOffering(ctx, { capacity: 5, selection: 'first_come' });
    await addSession(ctx, null, o.id, session('2027-03-02', '第1回 講義', '県庁', { belongings: '筆記用具\n名札', access: '南口から' }));
    const saburo = await staff('研修 三郎', 'notes.saburo@pref.example.jp');
    const app = await apply(ctx, saburo, o.id, {});
    expect(app.status).toBe('confirmed');
    const [notice] = await deliver(saburo.email);
    expect(notice.subject).toBe(`【Kyodo】受講決定通知：${o.title}`);
    expect(scheduleOf(notice.text, '日程').slice(1)).toEqual(['　持ち物：筆記用具', '　　名札', '　会場への交通：南口から']);
    expect(notice.event!.description).toContain(`参加者コード：${app.participant_code}\n持ち物：筆記用具\n名札\n会場への交通：南口から`);
  });

  it('a change of 持ち物 alone updates the invitation (next SEQUENCE), and the personal feed shows the new text', async () => {
    const o = await makeOffering(ctx, { capacity: 5, selection: 'first_come' });
    const s = await addSession(ctx, null, o.id, session('2027-03-09', '第1回', '県庁', { belongings: '筆記用具' }));
    const shiro = await staff('研修 四郎', 'notes.shiro@pref.example.jp');
    await apply(ctx, shiro, o.id, {});
    await deliver(shiro.email);

    await updateSession(ctx, null, s.id, { title: '第1回', startsAt: s.starts_at.toISOString(), endsAt: s.ends_at.toISOString(), venue: '県庁', belongings: '筆記用具\n印鑑' });
    const [changed] = await deliver(shiro.email);
    expect(changed.event!.sequence).toBe(1);
    expect(changed.event!.startDate.toJSDate().getTime()).toBe(s.starts_at.getTime());
    expect(changed.event!.description).toContain('持ち物：筆記用具\n印鑑');

    const feed = new ICAL.Component(ICAL.parse((await personalFeed(ctx, await calendarToken(ctx, shiro.id)))!)).getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    expect(feed).toHaveLength(1);
    expect(feed[0].description).toBe(`参加者コード：${(await tdb.db.selectFrom('applications').select('participant_code').where('person_id', '=', shiro.id).executeTakeFirstOrThrow()).participant_code}\n持ち物：筆記用具\n印鑑`);
  });

  it('a change and a cancellation reach an English reader in English, with the invitation in English too', async () => {
    const o = await makeOffering(ctx, { capacity: 5, selection: 'first_come' });
    const s = await addSession(ctx, null, o.id, session('2027-03-16', 'Session 1', 'Prefectural office', { belongings: 'Pen' }));
    const mia = await staff('Mia Green', 'notes.mia@pref.example.jp', 'en');
    const hana = await staff('研修 花', 'notes.hana@pref.example.jp');
    await apply(ctx, mia, o.id, {});
    await apply(ctx, hana, o.id, {});
    await deliver(mia.email);
    await deliver(hana.email);

    await updateSession(ctx, null, s.id, { title: 'Session 1', startsAt: s.starts_at.toISOString(), endsAt: s.ends_at.toISOString(), venue: 'Prefectural office', belongings: 'Pen\nLaptop' });
    const [changed] = await deliver(mia.email);
    expect(changed.subject).toBe('[Kyodo] Session changed: Session 1');
    expect(changed.text).toContain('Dear Mia Green');
    expect(changed.text).toContain('What to bring');
    expect(changed.event!.description).toContain('What to bring: Pen\nLaptop');
    const [changedJa] = await deliver(hana.email);
    expect(changedJa.subject).toBe('【Kyodo】研修の回の日時・会場などを変更しました：Session 1');
    expect(changedJa.event!.description).toContain('持ち物：Pen\n');

    const second = await addSession(ctx, null, o.id, session('2027-03-23', 'Session 2', 'Online'));
    await deliver(mia.email);
    await deliver(hana.email);
    await deleteSession(ctx, null, second.id, { reason: '' });
    const [cancelled] = await deliver(mia.email);
    expect(cancelled.subject).toBe('[Kyodo] Session cancelled: Session 2');
    expect(cancelled.text).toContain('(none given)');

    // Her calendar feed speaks English too.
    const feed = new ICAL.Component(ICAL.parse((await personalFeed(ctx, await calendarToken(ctx, mia.id)))!)).getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    expect(feed).toHaveLength(1);
    expect(feed[0].description).toMatch(/^Participant code: .+\nWhat to bring: Pen\nLaptop$/);
  });
});
