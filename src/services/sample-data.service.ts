import type { Kysely } from 'kysely';
import { personRepository } from '../db/repositories/person.repository.js';
import { programmeRepository } from '../db/repositories/programme.repository.js';
import { unitRepository } from '../db/repositories/unit.repository.js';
import { analyze } from '../db/database.js';
import { fiscalYearOf, formatFiscalYear, tokyoLocalToUtc } from '../domain/calendar.js';
import { seatGroupOf, shuffle } from '../domain/selection.js';
import { sampleSurveys } from './sample-surveys.js';
import { samplePlan } from './sample-plan.js';
import { sampleConsultations } from './sample-consultations.js';
import { type SampleSignIns, sampleSignIns } from './sample-sign-ins.js';
import { applicationRepository } from '../db/repositories/application.repository.js';
import { offeringRepository } from '../db/repositories/offering.repository.js';
import { participantCode } from './application.service.js';
import { markAttendance } from './completion.service.js';
import type { Database, Unit } from '../db/schema.js';
import { partnerRepository } from '../db/repositories/partner.repository.js';
import { partnerSearchKey } from './partner.service.js';
import { audit } from './audit.service.js';
import type { Actor, AppContext } from './context.js';
import { normaliseKana, personSearchKey } from './person.service.js';
import { unitSearchKey } from './unit.service.js';
import { type Affiliation, type PartnerType, type Role } from '../domain/values.js';

/** 部局 → 課・室 of a prefecture (modelled on a real one's organisation chart). */
export const SAMPLE_DEPARTMENTS: { name: string; kana: string; divisions: [string, string][] }[] = [
  { name: '総務部', kana: 'ソウムブ', divisions: [['人事課', 'ジンジカ'], ['経営企画・協働推進室', 'ケイエイキカク・キョウドウスイシンシツ'], ['政策研修センター', 'セイサクケンシュウセンター'], ['総務課', 'ソウムカ'], ['財政課', 'ザイセイカ']] },
  { name: '総合企画部', kana: 'ソウゴウキカクブ', divisions: [['企画調整課', 'キカクチョウセイカ'], ['県民活動生活課', 'ケンミンカツドウセイカツカ'], ['市町振興課', 'シチョウシンコウカ'], ['統計課', 'トウケイカ']] },
  { name: '琵琶湖環境部', kana: 'ビワコカンキョウブ', divisions: [['環境政策課', 'カンキョウセイサクカ'], ['循環社会推進課', 'ジュンカンシャカイスイシンカ'], ['森林政策課', 'シンリンセイサクカ']] },
  { name: '健康医療福祉部', kana: 'ケンコウイリョウフクシブ', divisions: [['健康福祉政策課', 'ケンコウフクシセイサクカ'], ['子ども・青少年局', 'コドモ・セイショウネンキョク'], ['障害福祉課', 'ショウガイフクシカ'], ['医療政策課', 'イリョウセイサクカ']] },
  { name: '商工観光労働部', kana: 'ショウコウカンコウロウドウブ', divisions: [['商工政策課', 'ショウコウセイサクカ'], ['観光振興局', 'カンコウシンコウキョク'], ['労働雇用政策課', 'ロウドウコヨウセイサクカ']] },
  { name: '農政水産部', kana: 'ノウセイスイサンブ', divisions: [['農政課', 'ノウセイカ'], ['農村振興課', 'ノウソンシンコウカ'], ['水産課', 'スイサンカ']] },
  { name: '土木交通部', kana: 'ドボクコウツウブ', divisions: [['監理課', 'カンリカ'], ['交通戦略課', 'コウツウセンリャクカ'], ['流域政策局', 'リュウイキセイサクキョク']] },
  { name: '防災危機管理局', kana: 'ボウサイキキカンリキョク', divisions: [['防災危機管理課', 'ボウサイキキカンリカ']] },
];

/** 市町 with their 全国地方公共団体コード (check digit included). */
export const SAMPLE_MUNICIPALITIES: [string, string, string][] = [
  ['大津市', 'オオツシ', '252018'],
  ['彦根市', 'ヒコネシ', '252026'],
  ['長浜市', 'ナガハマシ', '252034'],
  ['近江八幡市', 'オウミハチマンシ', '252042'],
  ['草津市', 'クサツシ', '252069'],
  ['守山市', 'モリヤマシ', '252077'],
  ['栗東市', 'リットウシ', '252085'],
  ['甲賀市', 'コウカシ', '252093'],
  ['野洲市', 'ヤスシ', '252107'],
  ['高島市', 'タカシマシ', '252123'],
  ['東近江市', 'ヒガシオウミシ', '252131'],
  ['米原市', 'マイバラシ', '252140'],
  ['日野町', 'ヒノチョウ', '253839'],
  ['多賀町', 'タガチョウ', '254436'],
];

export const SAMPLE_AGENCIES: [string, string][] = [
  ['県立大学', 'ケンリツダイガク'],
  ['社会福祉協議会', 'シャカイフクシキョウギカイ'],
  ['NPO活動支援センター', 'エヌピーオーカツドウシエンセンター'],
];

const SURNAMES: [string, string][] = [
  ['佐藤', 'サトウ'], ['鈴木', 'スズキ'], ['高橋', 'タカハシ'], ['髙田', 'タカダ'], ['田中', 'タナカ'], ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'], ['山本', 'ヤマモト'], ['中村', 'ナカムラ'], ['小林', 'コバヤシ'], ['加藤', 'カトウ'], ['吉田', 'ヨシダ'],
  ['山田', 'ヤマダ'], ['佐々木', 'ササキ'], ['山口', 'ヤマグチ'], ['松本', 'マツモト'], ['井上', 'イノウエ'], ['木村', 'キムラ'],
  ['林', 'ハヤシ'], ['清水', 'シミズ'], ['山﨑', 'ヤマザキ'], ['森', 'モリ'], ['阿部', 'アベ'], ['池田', 'イケダ'],
  ['橋本', 'ハシモト'], ['石川', 'イシカワ'], ['前田', 'マエダ'], ['藤田', 'フジタ'], ['岡田', 'オカダ'], ['後藤', 'ゴトウ'],
  ['長谷川', 'ハセガワ'], ['村上', 'ムラカミ'], ['近藤', 'コンドウ'], ['石井', 'イシイ'], ['坂本', 'サカモト'], ['遠藤', 'エンドウ'],
  ['青木', 'アオキ'], ['藤井', 'フジイ'], ['西村', 'ニシムラ'], ['福田', 'フクダ'], ['太田', 'オオタ'], ['三浦', 'ミウラ'],
  ['奥村', 'オクムラ'], ['北川', 'キタガワ'], ['上田', 'ウエダ'], ['西川', 'ニシカワ'], ['中川', 'ナカガワ'], ['宇野', 'ウノ'],
];
const GIVEN: [string, string, string][] = [
  ['翔太', 'ショウタ', 'shota'], ['大輔', 'ダイスケ', 'daisuke'], ['健一', 'ケンイチ', 'kenichi'], ['誠', 'マコト', 'makoto'],
  ['拓也', 'タクヤ', 'takuya'], ['直樹', 'ナオキ', 'naoki'], ['浩二', 'コウジ', 'koji'], ['隆', 'タカシ', 'takashi'],
  ['陽介', 'ヨウスケ', 'yosuke'], ['和也', 'カズヤ', 'kazuya'], ['美咲', 'ミサキ', 'misaki'], ['陽子', 'ヨウコ', 'yoko'],
  ['恵', 'メグミ', 'megumi'], ['由美', 'ユミ', 'yumi'], ['裕子', 'ユウコ', 'yuko'], ['真由美', 'マユミ', 'mayumi'],
  ['彩', 'アヤ', 'aya'], ['智子', 'トモコ', 'tomoko'], ['奈緒', 'ナオ', 'nao'], ['香織', 'カオリ', 'kaori'],
  ['亮', 'リョウ', 'ryo'], ['悠斗', 'ユウト', 'yuto'], ['千尋', 'チヒロ', 'chihiro'], ['結衣', 'ユイ', 'yui'],
];
const ROMAJI: Record<string, string> = {
  サトウ: 'sato', スズキ: 'suzuki', タカハシ: 'takahashi', タカダ: 'takada', タナカ: 'tanaka', イトウ: 'ito', ワタナベ: 'watanabe',
  ヤマモト: 'yamamoto', ナカムラ: 'nakamura', コバヤシ: 'kobayashi', カトウ: 'kato', ヨシダ: 'yoshida', ヤマダ: 'yamada',
  ササキ: 'sasaki', ヤマグチ: 'yamaguchi', マツモト: 'matsumoto', イノウエ: 'inoue', キムラ: 'kimura', ハヤシ: 'hayashi',
  シミズ: 'shimizu', ヤマザキ: 'yamazaki', モリ: 'mori', アベ: 'abe', イケダ: 'ikeda', ハシモト: 'hashimoto', イシカワ: 'ishikawa',
  マエダ: 'maeda', フジタ: 'fujita', オカダ: 'okada', ゴトウ: 'goto', ハセガワ: 'hasegawa', ムラカミ: 'murakami', コンドウ: 'kondo',
  イシイ: 'ishii', サカモト: 'sakamoto', エンドウ: 'endo', アオキ: 'aoki', フジイ: 'fujii', ニシムラ: 'nishimura', フクダ: 'fukuda',
  オオタ: 'ota', ミウラ: 'miura', オクムラ: 'okumura', キタガワ: 'kitagawa', ウエダ: 'ueda', ニシカワ: 'nishikawa',
  ナカガワ: 'nakagawa', ウノ: 'uno',
};

/** A small deterministic generator (mulberry32) so that sample data is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

const PARTNER_NAMES: [string, string, PartnerType, string[]][] = [
  ['NPO法人 びわ湖子ども食堂ネット', 'ビワココドモショクドウネット', 'npo', ['子育て', '福祉']],
  ['里山保全の会', 'サトヤマホゼンノカイ', 'community', ['環境']],
  ['株式会社 湖国ソーシャルデザイン', 'ココクソーシャルデザイン', 'company', ['まちづくり']],
  ['NPO法人 多文化共生センター', 'タブンカキョウセイセンター', 'npo', ['国際', '教育']],
  ['自主防災会連絡協議会', 'ジシュボウサイカイレンラクキョウギカイ', 'community', ['防災']],
  ['まちなか再生プロジェクト', 'マチナカサイセイプロジェクト', 'voluntary', ['まちづくり', '観光']],
  ['県立大学 地域共生研究室', 'ケンリツダイガクチイキキョウセイケンキュウシツ', 'university', ['まちづくり', '福祉']],
  ['NPO法人 琵琶湖ヨシ群落を守る会', 'ビワコヨシグンラクヲマモルカイ', 'npo', ['環境']],
  ['社会福祉法人 ひかりの里', 'ヒカリノサト', 'other', ['福祉']],
  ['近江の伝統文化を伝える会', 'オウミノデントウブンカヲツタエルカイ', 'voluntary', ['文化']],
];
const PARTNER_PREFIXES: [string, string, PartnerType][] = [
  ['NPO法人 ', '', 'npo'],
  ['', '', 'community'],
  ['株式会社 ', '', 'company'],
  ['', '', 'voluntary'],
];
const PARTNER_STEMS: [string, string, string][] = [
  ['みどりの', 'ミドリノ', '環境'],
  ['子育てひろば', 'コソダテヒロバ', '子育て'],
  ['ふれあい', 'フレアイ', '福祉'],
  ['まちづくり', 'マチヅクリ', 'まちづくり'],
  ['防災ネット', 'ボウサイネット', '防災'],
  ['国際交流', 'コクサイコウリュウ', '国際'],
  ['農の学校', 'ノウノガッコウ', '農業'],
  ['湖の文化', 'ミズウミノブンカ', '文化'],
];

/**
 * A 市町's name without 市/町/村, with its reading likewise: 守山市 (モリヤマシ) → 守山 (モリヤマ),
 * 日野町 (ヒノチョウ) → 日野 (ヒノ).
 */
export function townStem(name: string, kana: string): [string, string] {
  const endings: [string, string[]][] = [['市', ['シ']], ['町', ['チョウ', 'マチ']], ['村', ['ムラ', 'ソン']]];
  for (const [suffix, readings] of endings) {
    const reading = readings.find((r) => kana.endsWith(r));
    if (name.endsWith(suffix) && reading) return [name.slice(0, -suffix.length), kana.slice(0, -reading.length)];
  }
  return [name, kana];
}

/**
 * The 40 sample partners: the named ones, then made-up ones of a 市町, a field and a form. The フリガナ
 * reads the whole name (the 市町 included); the legal form (NPO法人, 株式会社) is not read, as usual.
 */
export function samplePartnerRows(municipalities: readonly { name: string; kana: string }[]): [string, string, PartnerType, string[]][] {
  const rows: [string, string, PartnerType, string[]][] = [...PARTNER_NAMES];
  for (let i = 0; rows.length < 40; i++) {
    const [pre, preKana, type] = PARTNER_PREFIXES[i % PARTNER_PREFIXES.length];
    const [stem, kana, field] = PARTNER_STEMS[i % PARTNER_STEMS.length];
    const [town, townKana] = townStem(municipalities[i % municipalities.length].name, municipalities[i % municipalities.length].kana);
    const suffix = type === 'company' ? '' : type === 'community' ? 'の会' : 'クラブ';
    const suffixKana = suffix === 'の会' ? 'ノカイ' : suffix === 'クラブ' ? 'クラブ' : '';
    rows.push([`${pre}${town}${stem}${suffix}`, `${preKana}${townKana}${kana}${suffixKana}`, type, [field]]);
  }
  return rows;
}

/** About 40 partner organisations across types, fields and 市町, with sites; field sessions get their hosts. */
async function samplePartners(ctx: AppContext, actor: Actor): Promise<number> {
  const municipalities = await ctx.db.selectFrom('units').select(['id', 'name', 'kana']).where('kind', '=', 'municipality').orderBy('code').execute();
  const now = ctx.now();
  const rows = samplePartnerRows(municipalities);
  const partners = [];
  for (const [i, [name, kana, type, fields]] of rows.entries()) {
    const town = municipalities[(i * 5) % municipalities.length];
    const k = normaliseKana(kana);
    const p = await partnerRepository.insert(ctx.db, {
      name,
      kana: k,
      type,
      fields: JSON.stringify(fields),
      area_unit_ids: JSON.stringify([town.id]),
      contact_name: '事務局',
      contact_email: `info${i + 1}@partner.example.jp`,
      contact_phone: `077-${String(500 + i).padStart(3, '0')}-0000`,
      description: `${town.name}を中心に、${fields.join('・')}の分野で活動しています。行政職員の現地研修の受入れにも協力しています。`,
      search_key: partnerSearchKey({ name, kana: k, fields }),
      created_at: now,
      updated_at: now,
    });
    const site = await partnerRepository.insertSite(ctx.db, {
      partner_id: p.id,
      name: `${town.name}の活動拠点`,
      address: `${town.name}内`,
      what_to_see: `${fields[0]}に関わる活動の見学と、スタッフとの意見交換`,
      accessibility: i % 3 ? '車いすで入れます。' : '段差があります。事前にご相談ください。',
      capacity: 10 + (i % 4) * 5,
      created_at: now,
      updated_at: now,
    });
    partners.push({ p, site });
  }
  // Field trainings of this year's seminar are hosted by the first partners.
  const fieldSessions = await ctx.db.selectFrom('offering_sessions').select(['id']).where('format', '=', 'field').orderBy('starts_at').execute();
  for (const [i, s] of fieldSessions.entries()) {
    const { p, site } = partners[i % partners.length];
    await ctx.db.updateTable('offering_sessions').set({ host_partner_id: p.id, site_id: site.id, lecturers: p.name }).where('id', '=', s.id).execute();
  }
  // Last fiscal year's seminar, with its field trainings at partners' sites.
  const seminar = await ctx.db.selectFrom('programmes').select('id').where('code', '=', 'kyodo-suishin-seminar').executeTakeFirstOrThrow();
  const fy = fiscalYearOf(now) - 1;
  const past = await sampleOffering(ctx.db, now, {
    programme_id: seminar.id,
    fiscal_year: fy,
    title: `協働推進セミナー（${formatFiscalYear(fy, 'ja', 'wareki')}）`,
    audience: '県・市町の職員、協働相手の皆さん',
    selection: 'first_come',
    capacity: 40,
    seats: { prefecture: 25, municipality: 10, partner: 5 },
    opens: tokyoLocalToUtc(`${fy}-04-15`, '09:00'),
    closes: tokyoLocalToUtc(`${fy + 1}-03-10`, '17:00'),
    completion_rule: { minSessions: 2 },
    reminder_days: 0,
  });
  await offeringRepository.insertSession(ctx.db, { offering_id: past.id, title: '協働の基礎', format: 'lecture', starts_at: tokyoLocalToUtc(`${fy}-06-13`, '13:30'), ends_at: tokyoLocalToUtc(`${fy}-06-13`, '16:30'), venue: '県庁 新館7階 大会議室', lecturers: '', capacity: null });
  for (const [i, md] of ['09-05', '11-21', '01-23'].entries()) {
    const { p, site } = partners[(i + 3) % partners.length];
    const y = Number(md.slice(0, 2)) >= 4 ? fy : fy + 1;
    await offeringRepository.insertSession(ctx.db, {
      offering_id: past.id,
      title: `現地研修：${p.name}の活動現場`,
      format: 'field',
      starts_at: tokyoLocalToUtc(`${y}-${md}`, '13:00'),
      ends_at: tokyoLocalToUtc(`${y}-${md}`, '16:00'),
      venue: `${p.name} ${site.name}`,
      lecturers: p.name,
      capacity: null,
      site_id: site.id,
      host_partner_id: p.id,
    });
  }
  const staff = await ctx.db.selectFrom('people').select(['id', 'affiliation']).where('affiliation', 'in', ['prefecture', 'municipality']).orderBy('id').execute();
  for (const person of shuffle(staff.filter((x) => x.id !== actor?.id), 'kyodo-past-seminar').slice(0, 24))
    await applicationRepository.insert(ctx.db, {
      offering_id: past.id,
      person_id: person.id,
      status: 'confirmed',
      seat_group: seatGroupOf(person.affiliation),
      answers: JSON.stringify({}),
      applied_at: tokyoLocalToUtc(`${fy}-04-20`, '10:00'),
      applied_by: person.id,
      decided_at: tokyoLocalToUtc(`${fy}-04-20`, '10:00'),
      participant_code: participantCode(),
      updated_at: now,
    });
  await audit(ctx.db, ctx, actor, 'sample_data', 'partner', null, undefined, { partners: partners.length });
  return partners.length;
}

/**
 * Past cohorts of the coordinator course (令和3・5・6・7年度): attendance marked through the same
 * service as in real use, so completions, certificates and coordinator certifications follow from
 * it (the 令和3年度 cohort's certifications have expired; 令和5年度's are about to).
 */
async function samplePastCohorts(ctx: AppContext, actor: Actor): Promise<number> {
  const course = await ctx.db.selectFrom('programmes').select('id').where('code', '=', 'kyodo-coordinator-course').executeTakeFirstOrThrow();
  const people = await ctx.db
    .selectFrom('people')
    .select(['id', 'affiliation'])
    .where('affiliation', 'in', ['prefecture', 'municipality'])
    .orderBy('id')
    .execute();
  const pool = shuffle(people.filter((p) => p.id !== actor?.id), 'kyodo-past-cohorts');
  const municipalities = await ctx.db.selectFrom('units').select('id').where('kind', '=', 'municipality').orderBy('code').execute();
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
      apps.push(
        await applicationRepository.insert(ctx.db, {
          offering_id: offering.id,
          person_id: p.id,
          status: 'confirmed',
          seat_group: seatGroupOf(p.affiliation),
          answers: JSON.stringify({}),
          applied_at: tokyoLocalToUtc(`${fy}-05-10`, '10:00'),
          applied_by: p.id,
          decided_at: tokyoLocalToUtc(`${fy}-06-05`, '10:00'),
          participant_code: participantCode(),
          updated_at: now,
        }),
      );
    for (const [k, session] of sessions.entries())
      await markAttendance(
        ctx,
        actor,
        session.id,
        // Most attend every session; the last two of each cohort miss two sessions and do not complete.
        apps.map((a, j) => ({ applicationId: a.id, status: j >= 10 && k >= 4 ? 'absent' : j === 3 && k === 2 ? 'excused' : 'present' })),
      );
    for (const [j, a] of apps.slice(0, 10).entries()) {
      await ctx.db
        .insertInto('coordinator_profiles')
        .values({
          person_id: a.person_id,
          fields: JSON.stringify([FIELDS[(i + j) % FIELDS.length], FIELDS[(i + j + 3) % FIELDS.length]]),
          area_unit_ids: JSON.stringify([municipalities[(i * 3 + j) % municipalities.length].id]),
          availability: j % 2 ? '平日の日中、オンライン可' : '平日の日中',
          introduction: `${FIELDS[(i + j) % FIELDS.length]}分野の協働事業を担当してきました。相手方との橋渡しや、事業評価の相談に応じます。`,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('person_id').doNothing())
        .execute();
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
async function sampleOfferings(trx: Kysely<Database>, now: Date, programmes: { seminar: number; course: number }, excludeId: number | null): Promise<number> {
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
  const staff = await trx.selectFrom('people').select(['id', 'affiliation']).orderBy('id').execute();
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

