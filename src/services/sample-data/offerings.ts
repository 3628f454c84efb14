import type { Kysely } from 'kysely';
import { fiscalYearOf, formatFiscalYear, tokyoLocalToUtc } from '../../domain/calendar.js';
import { seatGroupOf, shuffle } from '../../domain/selection.js';
import { applicationRepository } from '../../db/repositories/application.repository.js';
import { offeringRepository } from '../../db/repositories/offering.repository.js';
import { sampleDataRepository } from '../../db/repositories/sample-data.repository.js';
import type { Database } from '../../db/schema.js';
import { participantCode } from '../application.service.js';
import { markAttendance } from '../completion.service.js';
import type { Actor, AppContext } from '../context.js';

/**
 * Past cohorts of the coordinator course (令和3・5・6・7年度): attendance marked through the same
 * service as in real use, so completions, certificates and coordinator certifications follow from
 * it (the 令和3年度 cohort's certifications have expired; 令和5年度's are about to).
 */
export async function samplePastCohorts(ctx: AppContext, actor: Actor): Promise<number> {
  const course = { id: await sampleDataRepository.programmeId(ctx.db, 'kyodo-coordinator-course') };
  const people = await sampleDataRepository.people(ctx.db, ['prefecture', 'municipality']);
  const pool = shuffle(people.filter((p) => p.id !== actor?.id), 'kyodo-past-cohorts');
  const municipalities = await sampleDataRepository.municipalities(ctx.db);
  const FIELDS = ['福祉', '環境', 'まちづくり', '子育て', '防災', '国際', '文化', '地域医療'];
  let certified = 0;
  for (const [i, fy] of [2021, 2023, 2024, 2025].entries()) {
    const now = ctx.now();
    const offering = await sampleOffering(ctx.db, now, {
      programme_id: course.id,
      fiscal_year: fy,
      title: `協働コーディネーター養成講座（${formatFiscalYear(fy, 'ja', 'wareki')}）`,
      audience: '庁内各部局・関係機関・市町で協働を進める職員',
      selection: 'review',
      capacity: 20,
      endorsement_required: true,
      opens: tokyoLocalToUtc(`${fy}-04-15`, '09:00'),
      closes: tokyoLocalToUtc(`${fy}-05-31`, '17:00'),
      completion_rule: { minSessions: 5 },
      reminder_days: 0,
    });
    const sessions = [];
    for (const [k, md] of ['07-03', '08-07', '09-11', '10-09', '11-13', '12-11'].entries())
      sessions.push(
        await offeringRepository.insertSession(ctx.db, {
          offering_id: offering.id,
          title: `第${k + 1}回`,
          format: k === 4 ? 'workshop' : 'lecture',
          starts_at: tokyoLocalToUtc(`${fy}-${md}`, '13:30'),
          ends_at: tokyoLocalToUtc(`${fy}-${md}`, '17:00'),
          venue: '政策研修センター 研修室',
          lecturers: '',
          capacity: null,
        }),
      );
    const cohort = pool.slice(i * 12, i * 12 + 12);
    const apps = [];
    for (const p of cohort)
      apps.push(await confirmSample(ctx, offering.id, p, fy, now, '06-05'));
    for (const [k, session] of sessions.entries())
      await markAttendance(
        ctx,
        actor,
        session.id,
        // Most attend every session; the last two of each cohort miss two sessions and do not complete.
        apps.map((a, j) => ({ applicationId: a.id, status: j >= 10 && k >= 4 ? 'absent' : j === 3 && k === 2 ? 'excused' : 'present' })),
      );
    for (const [j, a] of apps.slice(0, 10).entries()) {
      await sampleDataRepository.addCoordinatorProfile(ctx.db, {
        person_id: a.person_id,
        fields: JSON.stringify([FIELDS[(i + j) % FIELDS.length], FIELDS[(i + j + 3) % FIELDS.length]]),
        area_unit_ids: JSON.stringify([municipalities[(i * 3 + j) % municipalities.length].id]),
        availability: j % 2 ? '平日の日中、オンライン可' : '平日の日中',
        introduction: `${FIELDS[(i + j) % FIELDS.length]}分野の協働事業を担当してきました。相手方との橋渡しや、事業評価の相談に応じます。`,
        updated_at: now,
      });
      certified++;
    }
  }
  return certified;
}

/** A sample offering: the defaults every sample offering shares, and its own fields. */
export function sampleOffering(db: Kysely<Database>, now: Date, o: { programme_id: number; fiscal_year: number; title: string; audience?: string; description?: string; selection: 'first_come' | 'review'; capacity: number; seats?: Record<string, number>; endorsement_required?: boolean; opens: Date; closes: Date; questions?: unknown[]; completion_rule?: object; reminder_days?: number }) {
  return offeringRepository.insert(db, {
    programme_id: o.programme_id,
    fiscal_year: o.fiscal_year,
    title: o.title,
    audience: o.audience ?? '',
    description: o.description ?? '',
    selection: o.selection,
    capacity: o.capacity,
    seats: JSON.stringify(o.seats ?? {}),
    waitlist: true,
    endorsement_required: o.endorsement_required ?? false,
    application_opens_at: o.opens,
    application_closes_at: o.closes,
    cancellation_deadline: null,
    promotion_cutoff: null,
    questions: JSON.stringify(o.questions ?? []),
    completion_rule: JSON.stringify(o.completion_rule ?? {}),
    priority_rules: JSON.stringify([]),
    reminder_days: o.reminder_days ?? 3,
    published: true,
    lottery_seed: null,
    lottery_at: null,
    created_at: now,
    updated_at: now,
  });
}

/**
 * This fiscal year's seminar (a lecture and field trainings at partners' sites several times a year)
 * and coordinator course, with sessions; sample staff have applied and some places are confirmed.
 */
export async function sampleOfferings(trx: Kysely<Database>, now: Date, programmes: { seminar: number; course: number }, excludeId: number | null): Promise<number> {
  const fy = fiscalYearOf(now);
  const at = (monthDay: string, time: string) => {
    const [m] = monthDay.split('-').map(Number);
    return tokyoLocalToUtc(`${m >= 4 ? fy : fy + 1}-${monthDay}`, time);
  };
  const seminar = await sampleOffering(trx, now, {
    programme_id: programmes.seminar,
    fiscal_year: fy,
    title: `協働推進セミナー（${formatFiscalYear(fy, 'ja', 'wareki')}）`,
    audience: '日頃、他の主体との協働に関連する業務を計画・実施している県・市町の職員、協働相手の皆さん',
    description: '地域団体、NPOおよび企業の公共における社会的役割や、多様な主体との協働について学び、関係者の交流と相互理解を深めます。現地研修では、活動の現場を訪ねます。',
    selection: 'first_come',
    capacity: 40,
    seats: { prefecture: 25, municipality: 10, partner: 5 },
    opens: at('04-15', '09:00'),
    closes: at('03-10', '17:00'),
    questions: [{ id: 'q1', label: '現在、協働に関わっている業務', required: false }],
  });
  const sessions: [string, string, string, 'lecture' | 'workshop' | 'field', string, string, string][] = [
    ['06-12', '13:30', '16:30', 'lecture', '協働の基礎：地域団体・NPO・企業の公共的な役割', '県庁 新館7階 大会議室', '県民活動生活課、NPO活動支援センター'],
    ['09-04', '13:00', '16:30', 'field', '現地研修：子ども食堂を運営するNPO法人を訪ねる', '大津市 地域子ども食堂', '運営団体の代表者'],
    ['11-20', '10:00', '15:00', 'field', '現地研修：里山保全に取り組む地域団体と歩く', '高島市 朽木の里山', '地域団体の皆さん'],
    ['01-22', '13:30', '16:30', 'field', '現地研修：企業の社会貢献活動の現場', '草津市 企業研修センター', '企業の担当者'],
    ['02-18', '13:30', '16:30', 'workshop', '演習：合意形成とファシリテーション', '県庁 新館7階 大会議室', '外部講師'],
  ];
  for (const [md, from, to, format, title, venue, lecturers] of sessions)
    await offeringRepository.insertSession(trx, { offering_id: seminar.id, title, format, starts_at: at(md, from), ends_at: at(md, to), venue, lecturers, capacity: null });
  const course = await sampleOffering(trx, now, {
    programme_id: programmes.course,
    fiscal_year: fy,
    title: `協働コーディネーター養成講座（${formatFiscalYear(fy, 'ja', 'wareki')}）`,
    audience: '庁内各部局・関係機関・市町で協働を進める職員（所属の推薦が必要です）',
    description: '協働の相手方への橋渡し、協働施策の企画・調整、事業評価に関する支援・助言ができる「協働コーディネーター」を養成します。',
    selection: 'review',
    capacity: 20,
    endorsement_required: true,
    opens: at('04-15', '09:00'),
    closes: at('05-31', '17:00'),
    questions: [{ id: 'q1', label: '受講の動機', required: true }],
    completion_rule: { minSessions: 5 },
  });
  const courseSessions: [string, string][] = [
    ['07-03', '協働の理論と事例'],
    ['08-07', '協働相手への橋渡し'],
    ['09-11', '協働施策の企画・調整'],
    ['10-09', '合意形成の技法'],
    ['11-13', 'ファシリテーション演習'],
    ['12-11', '事業評価の支援・助言'],
  ];
  for (const [md, title] of courseSessions)
    await offeringRepository.insertSession(trx, { offering_id: course.id, title, format: md === '11-13' ? 'workshop' : 'lecture', starts_at: at(md, '13:30'), ends_at: at(md, '17:00'), venue: '政策研修センター 研修室', lecturers: '', capacity: null });

  // Sample staff have applied: 30 to the seminar (confirmed while seats last), 24 to the course (20 confirmed after review).
  const staff = await sampleDataRepository.people(trx);
  const pick = shuffle(staff.filter((p) => p.id !== excludeId), 'kyodo-sample-data');
  const counts: Record<string, number> = { total: 0 };
  const seats: Record<string, number> = { prefecture: 25, municipality: 10, partner: 5 };
  for (const p of pick.slice(0, 30)) {
    const group = seatGroupOf(p.affiliation);
    const ok = counts.total < 40 && (counts[group] ?? 0) < (seats[group] ?? 40);
    if (ok) counts[group] = (counts[group] ?? 0) + 1;
    if (ok) counts.total++;
    await applicationRepository.insert(trx, {
      offering_id: seminar.id,
      person_id: p.id,
      status: ok ? 'confirmed' : 'waitlisted',
      seat_group: group,
      answers: JSON.stringify({}),
      applied_at: at('04-20', '10:00'),
      applied_by: p.id,
      decided_at: at('04-20', '10:00'),
      waitlist_order: ok ? null : counts.total,
      participant_code: participantCode(),
      updated_at: now,
    });
  }
  for (const [i, p] of pick.slice(30, 54).entries())
    await applicationRepository.insert(trx, {
      offering_id: course.id,
      person_id: p.id,
      status: i < 20 ? 'confirmed' : 'not_selected',
      seat_group: seatGroupOf(p.affiliation),
      answers: JSON.stringify({ q1: '所属で協働事業を担当しており、相手方との調整の力を身につけたい。' }),
      applied_at: at('05-10', '10:00'),
      applied_by: p.id,
      endorsed_at: at('05-15', '10:00'),
      decided_at: at('06-05', '10:00'),
      participant_code: participantCode(),
      updated_at: now,
    });
  return 2;
}

/** A sample participant confirmed in an offering: applied on 10 May of the fiscal year, decided on `decidedOn`. */
export function confirmSample(
  ctx: AppContext,
  offeringId: number,
  p: { id: number; affiliation: 'prefecture' | 'municipality' | 'agency' | 'partner' },
  fy: number,
  now: Date,
  decidedOn: string,
) {
  return applicationRepository.insert(ctx.db, {
    offering_id: offeringId,
    person_id: p.id,
    status: 'confirmed',
    seat_group: seatGroupOf(p.affiliation),
    answers: JSON.stringify({}),
    applied_at: tokyoLocalToUtc(`${fy}-05-10`, '10:00'),
    applied_by: p.id,
    decided_at: tokyoLocalToUtc(`${fy}-${decidedOn}`, '10:00'),
    participant_code: participantCode(),
    updated_at: now,
  });
}
