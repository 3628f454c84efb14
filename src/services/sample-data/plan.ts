import { fiscalYearOf, formatFiscalYear, tokyoLocalToUtc } from '../../domain/calendar.js';
import type { PlanKpi } from '../../domain/plan.js';
import { shuffle } from '../../domain/selection.js';
import { offeringRepository } from '../../db/repositories/offering.repository.js';
import { planRepository } from '../../db/repositories/plan.repository.js';
import { sampleDataRepository } from '../../db/repositories/sample-data.repository.js';
import { audit } from '../audit.service.js';
import { markAttendance } from '../completion.service.js';
import type { Actor, AppContext } from '../context.js';
import { confirmSample, sampleOffering } from './offerings.js';

/** Item (16) of the source plan, as written (平成23〜26年度). */
export const ITEM_16 = {
  number: '(16)',
  title: '協働型県政の推進のための職員研修の充実',
  owningUnits: '総務部経営企画・協働推進室　総務部人事課　政策研修センター',
  situation: [
    '自治体職員は現在の複雑・多様化する地域課題や住民のニーズに対応するため、今まで専ら行政が担ってきた公の領域について、住民、地域団体、NPO、企業等の多様な主体と積極的に協働し、ともに地域を支え合う社会づくりを推進することが不可欠となっている。このため、政策研修センターで平成11年度から平成18年度まで実施してきた「NPO・協働研修」（前身の研修も含む。）に続いて、平成19年度からは県民活動課において「協働推進セミナー」を実施している。また、平成20年度からは多様な主体との協働の観点を取り入れた内容で開催している。',
    'しかしながら、行政以外の様々な主体による公共的な活動の現場実態やそうした主体との協働については理解が十分に進んでいるとは言えず、また理解を深める機会も限定されている。',
    'また、実際に協働を進めるに当たっては、関係者の相互理解や信頼関係の構築が不可欠であり、今後、そのための合意形成能力やファシリテート能力を備えた人材をさらに養成していく必要がある。',
  ].join('\n'),
  approach: '協働の推進に当たっては、各部局において自主的に協働を進めていくことが重要であることから、職員の協働に対する理解を促進するとともに、各部局で協働を推進する際の多様な主体の立場を踏まえ、助言・コーディネートができる人材を育成する。',
  direction: 'より良い公共サービスを行っていくためには、今後も「協働」を推進していくことが必要である。',
  measures: {
    seminar: {
      title: '協働推進セミナーの実施',
      description: '日頃他の主体との協働に関連する業務を計画・実施している行政職員等が、地域団体、NPOおよび企業の公共における社会的役割や、多様な主体との協働について認識し、あわせて関係者の交流と相互理解を深めるためセミナーを実施する。なお、平成23年度以降は現地研修を年間複数回実施することにより、より多くの職員が多様な主体の活動現場を知る機会を増やす。',
    },
    coordinator: {
      title: '協働コーディネーターの養成',
      description: '庁内各部局・関係機関や市町において、協働の相手方への橋渡しや、協働施策の企画・調整、事業評価に関する支援・助言などを行うことができる「協働コーディネーター」を養成する。',
    },
  },
} as const;

/** Progress recorded for the plan period (narrative only: the figures beside them are computed). */
const PROGRESS: Record<number, { item: [string, string, string, string]; seminar: [string, string]; coordinator: [string, string] }> = {
  2011: {
    item: ['on_track', 'セミナーと現地研修を実施し、協働コーディネーター養成講座を開講した。', '現地研修の受入れ先の確保に時間を要した。', '受入れ団体の開拓を進める。'],
    seminar: ['on_track', '講義に加えて、NPOの活動現場での現地研修を実施した。'],
    coordinator: ['on_track', '養成講座を開講し、修了者を協働コーディネーターとして認定した。'],
  },
  2012: {
    item: ['on_track', '現地研修を年間複数回実施し、市町職員の参加も得た。', '市町からの参加希望が増えている。', '市町との共催を検討する。'],
    seminar: ['on_track', '現地研修を年3回に増やして実施した。'],
    coordinator: ['on_track', '養成講座を継続して開催した。'],
  },
  2013: {
    item: ['on_track', '計画どおり実施した。協働コーディネーターの活用に向けた検討を始めた。', '認定者の活動の場が限られている。', '協働コーディネーターへの相談の仕組みを整える。'],
    seminar: ['on_track', '企業の社会貢献活動の現場での研修を加えた。'],
    coordinator: ['on_track', '養成講座を継続して開催した。'],
  },
  2014: {
    item: ['done', '計画期間の取組を終えた。', '協働の相手方の多様化が進んでいる。', '平成27年度以降も協働推進セミナーと養成講座を継続する。'],
    seminar: ['done', '計画期間を通じて現地研修を毎年複数回実施した。'],
    coordinator: ['done', '計画期間を通じて養成講座を毎年開催した。'],
  },
};

/** The office's own rating of each year (A/B/C): 平成23年度 was slower to find hosts. */
const RATINGS: Record<number, { item: string; seminar: string; coordinator: string }> = {
  2011: { item: 'B', seminar: 'B', coordinator: 'A' },
  2012: { item: 'A', seminar: 'A', coordinator: 'A' },
  2013: { item: 'A', seminar: 'A', coordinator: 'A' },
  2014: { item: 'A', seminar: 'A', coordinator: 'A' },
};

/**
 * Numeric targets (数値目標) for the plan period and for the current year: 現地研修 several times a year
 * (2 in the first year, then 3), seminar participants, coordinators trained (20 over the period: 5 a
 * year), and, for today, the reach of training and of coordinators.
 */
export function sampleTargets(current: number): { measure: 'seminar' | 'coordinator'; fy: number; kpi: PlanKpi; target: number }[] {
  const out: ReturnType<typeof sampleTargets> = [];
  for (const fy of [2011, 2012, 2013, 2014]) {
    out.push({ measure: 'seminar', fy, kpi: 'fieldTrainings', target: fy === 2011 ? 2 : 3 });
    out.push({ measure: 'seminar', fy, kpi: 'participants', target: fy === 2011 ? 25 : 30 });
    out.push({ measure: 'coordinator', fy, kpi: 'coordinatorsCertified', target: 5 });
  }
  out.push({ measure: 'seminar', fy: current, kpi: 'fieldTrainings', target: 3 });
  out.push({ measure: 'seminar', fy: current, kpi: 'unitsReachedShare', target: 60 });
  out.push({ measure: 'seminar', fy: current, kpi: 'hostPartners', target: 3 });
  out.push({ measure: 'coordinator', fy: current, kpi: 'coordinatorsActive', target: 20 });
  out.push({ measure: 'coordinator', fy: current, kpi: 'municipalitiesServedShare', target: 50 });
  return out;
}

const FIELD_DAYS: Record<number, string[]> = { 2011: ['10-14', '01-20'], 2012: ['09-07', '11-16', '02-08'], 2013: ['09-06', '11-15', '02-07'], 2014: ['09-05', '11-14', '02-06'] };

/**
 * The plan (平成23〜26年度) with item (16) as the source document has it: sections 1–3, measures ア
 * and イ (イ is 【再掲】, its home being a companion item), the schedule grid, progress for each year
 * of the period, and the period's seminars, field trainings and coordinator courses, so that the
 * sheet's figures are computed from records. Later years' figures come from the rest of the sample.
 */
export async function samplePlan(ctx: AppContext, actor: Actor): Promise<number> {
  const now = ctx.now();
  const seminarId = await sampleDataRepository.programmeId(ctx.db, 'kyodo-suishin-seminar');
  const courseId = await sampleDataRepository.programmeId(ctx.db, 'kyodo-coordinator-course');
  const plan = await planRepository.insertPlan(ctx.db, { title: '協働型県政推進のための実施計画', first_fiscal_year: 2011, last_fiscal_year: 2014, created_at: now, updated_at: now });
  const home = await planRepository.insertItem(ctx.db, {
    plan_id: plan.id,
    number: '(15)',
    title: '協働を進める人材の養成と活用（サンプル：【再掲】の参照先）',
    owning_units: '総務部経営企画・協働推進室',
    situation: '',
    approach: '',
    direction: '',
    created_at: now,
    updated_at: now,
  });
  const item = await planRepository.insertItem(ctx.db, {
    plan_id: plan.id,
    number: ITEM_16.number,
    title: ITEM_16.title,
    owning_units: ITEM_16.owningUnits,
    situation: ITEM_16.situation,
    approach: ITEM_16.approach,
    direction: ITEM_16.direction,
    created_at: now,
    updated_at: now,
  });
  const seminar = await planRepository.insertMeasure(ctx.db, { plan_id: plan.id, home_item_id: item.id, ...ITEM_16.measures.seminar, programme_ids: JSON.stringify([seminarId]), created_at: now, updated_at: now });
  const coordinator = await planRepository.insertMeasure(ctx.db, { plan_id: plan.id, home_item_id: home.id, ...ITEM_16.measures.coordinator, programme_ids: JSON.stringify([courseId]), created_at: now, updated_at: now });
  await planRepository.attach(ctx.db, home.id, coordinator.id);
  await planRepository.attach(ctx.db, item.id, seminar.id);
  await planRepository.attach(ctx.db, item.id, coordinator.id);
  // The grid exactly as printed: the text in 平成23年度 and the arrow in 平成26年度.
  await planRepository.setCell(ctx.db, seminar.id, 2011, '継続実施', false);
  await planRepository.setCell(ctx.db, seminar.id, 2014, '', true);
  await planRepository.setCell(ctx.db, coordinator.id, 2011, '養成講座の開催', false);
  await planRepository.setCell(ctx.db, coordinator.id, 2014, '', true);
  for (const [fy, p] of Object.entries(PROGRESS)) {
    const base = { item_id: item.id, fiscal_year: Number(fy), updated_by: actor?.id ?? null, updated_at: now };
    const r = RATINGS[Number(fy)];
    await planRepository.saveProgress(ctx.db, { ...base, measure_id: 0, status: p.item[0] as 'on_track', rating: r.item, results: p.item[1], changes: p.item[2], further: p.item[3] });
    await planRepository.saveProgress(ctx.db, { ...base, measure_id: seminar.id, status: p.seminar[0] as 'on_track', rating: r.seminar, results: p.seminar[1], changes: '', further: '' });
    await planRepository.saveProgress(ctx.db, { ...base, measure_id: coordinator.id, status: p.coordinator[0] as 'on_track', rating: r.coordinator, results: p.coordinator[1], changes: '', further: '' });
  }
  for (const x of sampleTargets(fiscalYearOf(now)))
    await planRepository.saveTarget(ctx.db, { measure_id: x.measure === 'seminar' ? seminar.id : coordinator.id, fiscal_year: x.fy, kpi: x.kpi, target: x.target, updated_by: actor?.id ?? null, updated_at: now });

  // The period's trainings: people who are not coordinators yet take part.
  const certified = await sampleDataRepository.certifiedPersonIds(ctx.db);
  const staff = (await sampleDataRepository.people(ctx.db, ['prefecture', 'municipality'])).filter((p) => p.id !== actor?.id);
  const pool = shuffle(staff, 'kyodo-plan-period');
  const fresh = shuffle(
    staff.filter((p) => !certified.has(p.id)),
    'kyodo-plan-course',
  );
  const hosts = await sampleDataRepository.hostSites(ctx.db, 12);
  let sessions = 0;
  for (const [i, fy] of [2011, 2012, 2013, 2014].entries()) {
    const wareki = formatFiscalYear(fy, 'ja', 'wareki');
    const sem = await sampleOffering(ctx.db, now, {
      programme_id: seminarId,
      fiscal_year: fy,
      title: `協働推進セミナー（${wareki}）`,
      audience: '県・市町の職員',
      selection: 'first_come',
      capacity: 40,
      opens: tokyoLocalToUtc(`${fy}-05-01`, '09:00'),
      closes: tokyoLocalToUtc(`${fy + 1}-01-10`, '17:00'),
      reminder_days: 0,
    });
    await offeringRepository.insertSession(ctx.db, { offering_id: sem.id, title: '協働の基礎', format: 'lecture', starts_at: tokyoLocalToUtc(`${fy}-07-08`, '13:30'), ends_at: tokyoLocalToUtc(`${fy}-07-08`, '16:30'), venue: '県庁 新館7階 大会議室', lecturers: '大学教員', capacity: null });
    sessions++;
    for (const [k, md] of FIELD_DAYS[fy].entries()) {
      const h = hosts[(i * 3 + k) % hosts.length];
      const y = Number(md.slice(0, 2)) >= 4 ? fy : fy + 1;
      await offeringRepository.insertSession(ctx.db, {
        offering_id: sem.id,
        title: `現地研修：${h.name}の活動現場`,
        format: 'field',
        starts_at: tokyoLocalToUtc(`${y}-${md}`, '13:00'),
        ends_at: tokyoLocalToUtc(`${y}-${md}`, '16:00'),
        venue: `${h.name} ${h.site_name}`,
        lecturers: h.name,
        capacity: null,
        site_id: h.site_id,
        host_partner_id: h.partner_id,
      });
      sessions++;
    }
    for (const p of pool.slice(i * 25, i * 25 + 25 + i * 3)) await confirmSample(ctx, sem.id, p, fy, now, '06-01');

    const course = await sampleOffering(ctx.db, now, {
      programme_id: courseId,
      fiscal_year: fy,
      title: `協働コーディネーター養成講座（${wareki}）`,
      audience: '庁内各部局・関係機関・市町で協働を進める職員',
      selection: 'review',
      capacity: 12,
      opens: tokyoLocalToUtc(`${fy}-04-15`, '09:00'),
      closes: tokyoLocalToUtc(`${fy}-05-31`, '17:00'),
      completion_rule: { minSessions: 4 },
      reminder_days: 0,
    });
    const cs = [];
    for (const [k, md] of ['08-02', '09-20', '10-18', '11-22', '12-13'].entries())
      cs.push(await offeringRepository.insertSession(ctx.db, { offering_id: course.id, title: `第${k + 1}回`, format: k === 3 ? 'workshop' : 'lecture', starts_at: tokyoLocalToUtc(`${fy}-${md}`, '13:30'), ends_at: tokyoLocalToUtc(`${fy}-${md}`, '17:00'), venue: '政策研修センター 研修室', lecturers: '', capacity: null }));
    sessions += cs.length;
    const apps = [];
    for (const p of fresh.slice(i * 8, i * 8 + 8)) apps.push(await confirmSample(ctx, course.id, p, fy, now, '06-01'));
    for (const [k, s] of cs.entries())
      await markAttendance(
        ctx,
        actor,
        s.id,
        apps.map((a, j) => ({ applicationId: a.id, status: j === 7 && k >= 2 ? 'absent' : 'present' })),
      );
  }
  await audit(ctx.db, ctx, actor, 'sample_data', 'plan', plan.id, undefined, { items: 2, sessions });
  return item.id;
}

