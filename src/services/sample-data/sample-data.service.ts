import type { Kysely } from 'kysely';
import { analyze } from '../../db/database.js';
import { personRepository } from '../../db/repositories/person.repository.js';
import { programmeRepository } from '../../db/repositories/programme.repository.js';
import { unitRepository } from '../../db/repositories/unit.repository.js';
import type { Database, Unit } from '../../db/schema.js';
import { type Affiliation, type Role } from '../../domain/values.js';
import { audit } from '../audit.service.js';
import type { Actor, AppContext } from '../context.js';
import { normaliseKana, personSearchKey } from '../person.service.js';
import { unitSearchKey } from '../unit.service.js';
import { sampleConsultations } from './consultations.js';
import { sampleOfferings, samplePastCohorts } from './offerings.js';
import { GIVEN, ROMAJI, SAMPLE_AGENCIES, SAMPLE_DEPARTMENTS, SAMPLE_MUNICIPALITIES, SURNAMES } from './organisation.js';
import { samplePartners } from './partners.js';
import { samplePlan } from './plan.js';
import { seededRandom } from './random.js';
import { type SampleSignIns, sampleSignIns } from './sign-ins.js';
import { sampleSurveys } from './surveys.js';

/**
 * The sample data (`kyodo sample-data`, and the newcomer's first page): a prefecture's organisation
 * and staff, programmes, offerings past and present, partners, surveys, the plan, consultations and
 * one sign-in per role. Each part is in a module of its own here.
 */

async function addUnit(trx: Kysely<Database>, now: Date, u: { kind: Unit['kind']; name: string; kana: string; parent_id?: number | null; code?: string | null }) {
  const kana = normaliseKana(u.kana);
  return unitRepository.insert(trx, {
    kind: u.kind,
    name: u.name,
    kana,
    parent_id: u.parent_id ?? null,
    code: u.code ?? null,
    search_key: unitSearchKey({ name: u.name, kana, code: u.code }),
    created_at: now,
    updated_at: now,
  });
}

export interface SampleDataResult {
  units: number;
  people: number;
  programmes: number;
  offerings?: number;
  coordinators?: number;
  partners?: number;
  surveyAnswers?: number;
  planItemId?: number;
  consultations?: number;
  projects?: number;
  /** One sign-in per role and their password (only when the sample data was loaded just now). */
  signIns?: SampleSignIns;
}

/** Loads the sample organisation, about 200 staff, and the programmes with their lineage. Idempotent: does nothing if units exist. */
export async function loadSampleData(ctx: AppContext, actor: Actor, opts: { staff?: number } = {}): Promise<SampleDataResult> {
  const staffCount = opts.staff ?? 200;
  const result: SampleDataResult = await ctx.db.transaction().execute(async (trx): Promise<SampleDataResult> => {
    if ((await unitRepository.count(trx)) > 0) return { units: 0, people: 0, programmes: 0 };
    const now = ctx.now();
    const divisions: Unit[] = [];
    const byName = new Map<string, Unit>();
    for (const d of SAMPLE_DEPARTMENTS) {
      const dept = await addUnit(trx, now, { kind: 'department', name: d.name, kana: d.kana });
      for (const [name, kana] of d.divisions) {
        const div = await addUnit(trx, now, { kind: 'division', name, kana, parent_id: dept.id });
        divisions.push(div);
        byName.set(name, div);
      }
    }
    const municipalities: Unit[] = [];
    for (const [name, kana, code] of SAMPLE_MUNICIPALITIES) municipalities.push(await addUnit(trx, now, { kind: 'municipality', name, kana, code }));
    const agencies: Unit[] = [];
    for (const [name, kana] of SAMPLE_AGENCIES) agencies.push(await addUnit(trx, now, { kind: 'agency', name, kana }));

    const rnd = seededRandom(20111);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    let people = 0;
    const usedEmails = new Set<string>();
    for (let i = 0; i < staffCount; i++) {
      const [sn, sk] = pick(SURNAMES);
      const [gn, gk, gr] = pick(GIVEN);
      const r = rnd();
      const affiliation: Affiliation = r < 0.72 ? 'prefecture' : r < 0.92 ? 'municipality' : 'agency';
      const unit = affiliation === 'prefecture' ? pick(divisions) : affiliation === 'municipality' ? pick(municipalities) : pick(agencies);
      let email = `${gr}.${ROMAJI[sk]}@${affiliation === 'prefecture' ? 'pref.example.jp' : affiliation === 'municipality' ? `city${unit.code}.example.jp` : 'agency.example.jp'}`;
      for (let n = 2; usedEmails.has(email); n++) email = email.replace(/(\d*)@/, `${n}@`);
      usedEmails.add(email);
      const kana = `${sk} ${gk}`;
      const name = `${sn} ${gn}`;
      const staffNumber = affiliation === 'prefecture' ? String(100000 + i * 37) : null;
      const p = await personRepository.insert(trx, {
        name,
        kana,
        email,
        staff_number: staffNumber,
        unit_id: unit.id,
        affiliation,
        search_key: personSearchKey({ name, kana, email, staff_number: staffNumber }),
        created_at: now,
        updated_at: now,
      });
      const roles: Role[] = ['staff'];
      if (i % 12 === 0) roles.push('approver');
      if (i % 15 === 3) roles.push('coordinator');
      await personRepository.setRoles(trx, p.id, roles);
      people++;
    }

    const owner = byName.get('政策研修センター')!;
    const npo = await programmeRepository.insert(trx, {
      code: 'npo-kyodo-kenshu',
      kind: 'seminar',
      name: 'NPO・協働研修',
      name_en: 'NPO and Collaboration Training',
      kana: 'エヌピーオー・キョウドウケンシュウ',
      owning_unit_id: owner.id,
      predecessor_id: null,
      first_fiscal_year: 1999,
      last_fiscal_year: 2006,
      description: '政策研修センターが平成11年度から平成18年度まで実施した研修（前身の研修を含む。）。',
      updated_at: now,
    });
    const { id: seminarId } = await programmeRepository.insert(trx, {
      code: 'kyodo-suishin-seminar',
      kind: 'seminar',
      name: '協働推進セミナー',
      name_en: 'Collaboration Promotion Seminar',
      kana: 'キョウドウスイシンセミナー',
      owning_unit_id: byName.get('県民活動生活課')!.id,
      predecessor_id: npo.id,
      first_fiscal_year: 2007,
      last_fiscal_year: null,
      description:
        '地域団体、NPOおよび企業の公共における社会的役割や、多様な主体との協働について認識し、関係者の交流と相互理解を深めるセミナー。平成20年度からは多様な主体との協働の観点を取り入れ、平成23年度からは現地研修を年間複数回実施する。',
      updated_at: now,
    });
    const coord = await programmeRepository.insert(trx, {
      code: 'kyodo-coordinator-course',
      kind: 'coordinator_course',
      name: '協働コーディネーター養成講座',
      name_en: 'Collaboration Coordinator Course',
      kana: 'キョウドウコーディネーターヨウセイコウザ',
      owning_unit_id: byName.get('経営企画・協働推進室')!.id,
      predecessor_id: null,
      first_fiscal_year: 2011,
      last_fiscal_year: null,
      description:
        '庁内各部局・関係機関や市町において、協働の相手方への橋渡しや、協働施策の企画・調整、事業評価に関する支援・助言などを行うことができる「協働コーディネーター」を養成する講座。',
      updated_at: now,
    });
    await programmeRepository.insert(trx, {
      code: 'coordinator-follow-up',
      kind: 'follow_up',
      name: 'フォローアップ研修',
      name_en: 'Coordinator Follow-up Training',
      kana: 'フォローアップケンシュウ',
      owning_unit_id: byName.get('経営企画・協働推進室')!.id,
      predecessor_id: coord.id,
      first_fiscal_year: 2012,
      last_fiscal_year: null,
      description: '協働コーディネーターの認定を更新するための研修。',
      updated_at: now,
    });
    const offerings = await sampleOfferings(trx, now, { seminar: seminarId, course: coord.id }, actor?.id ?? null);
    const counts = {
      units: SAMPLE_DEPARTMENTS.length + divisions.length + municipalities.length + agencies.length,
      people,
      programmes: 4,
      offerings,
    };
    await audit(trx, ctx, actor, 'sample_data', 'system', null, undefined, counts);
    return counts;
  });
  if (result.units) {
    result.coordinators = await samplePastCohorts(ctx, actor);
    result.partners = await samplePartners(ctx, actor);
    result.surveyAnswers = await sampleSurveys(ctx);
    result.planItemId = await samplePlan(ctx, actor);
    const consultations = await sampleConsultations(ctx, actor);
    result.consultations = consultations.consultations;
    result.projects = consultations.projects;
    // Last, so that nothing above changes: one sign-in per role for a newcomer to try (issue 16 §5).
    result.signIns = await sampleSignIns(ctx, actor);
  }
  await analyze(ctx.db);
  return result;
}
