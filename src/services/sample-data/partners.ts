import { fiscalYearOf, formatFiscalYear, tokyoLocalToUtc } from '../../domain/calendar.js';
import { seatGroupOf, shuffle } from '../../domain/selection.js';
import { type PartnerType } from '../../domain/values.js';
import { applicationRepository } from '../../db/repositories/application.repository.js';
import { offeringRepository } from '../../db/repositories/offering.repository.js';
import { partnerRepository } from '../../db/repositories/partner.repository.js';
import { sampleDataRepository } from '../../db/repositories/sample-data.repository.js';
import { participantCode } from '../application.service.js';
import { audit } from '../audit.service.js';
import type { Actor, AppContext } from '../context.js';
import { partnerSearchKey } from '../partner.service.js';
import { normaliseKana } from '../person.service.js';
import { sampleOffering } from './offerings.js';

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
export async function samplePartners(ctx: AppContext, actor: Actor): Promise<number> {
  const municipalities = await sampleDataRepository.municipalities(ctx.db);
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
  const fieldSessions = await sampleDataRepository.fieldSessions(ctx.db);
  for (const [i, s] of fieldSessions.entries()) {
    const { p, site } = partners[i % partners.length];
    await sampleDataRepository.hostSession(ctx.db, s.id, { partnerId: p.id, siteId: site.id, lecturers: p.name });
  }
  // Last fiscal year's seminar, with its field trainings at partners' sites.
  const seminar = { id: await sampleDataRepository.programmeId(ctx.db, 'kyodo-suishin-seminar') };
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
  const staff = await sampleDataRepository.people(ctx.db, ['prefecture', 'municipality']);
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
