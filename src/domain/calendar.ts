/**
 * Japanese calendar rules: fiscal years (1 April – 31 March), wareki (和暦) with 元年,
 * Asia/Tokyo display, and weekend / national-holiday checks. Pure: no clock of its own.
 * Tokyo has no daylight saving time, so JST is always UTC+9.
 */
import holidayJp from '@holiday-jp/holiday_jp';

export type Lang = 'ja' | 'en';
export type IsoDate = string; // 'YYYY-MM-DD'

const JST_OFFSET_MS = 9 * 3_600_000;

export interface Era {
  name: '明治' | '大正' | '昭和' | '平成' | '令和';
  nameEn: 'Meiji' | 'Taisho' | 'Showa' | 'Heisei' | 'Reiwa';
  short: 'M' | 'T' | 'S' | 'H' | 'R';
  /** First day of the era (Gregorian). 明治 is counted from the Gregorian start of 明治元年 as used in law. */
  start: IsoDate;
}

export const ERAS: readonly Era[] = [
  { name: '令和', nameEn: 'Reiwa', short: 'R', start: '2019-05-01' },
  { name: '平成', nameEn: 'Heisei', short: 'H', start: '1989-01-08' },
  { name: '昭和', nameEn: 'Showa', short: 'S', start: '1926-12-25' },
  { name: '大正', nameEn: 'Taisho', short: 'T', start: '1912-07-30' },
  { name: '明治', nameEn: 'Meiji', short: 'M', start: '1868-01-25' },
];

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(s: string): boolean {
  const m = ISO_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function parts(iso: IsoDate): [number, number, number] {
  if (!isIsoDate(iso)) throw new RangeError(`not a date: ${iso}`);
  const [y, m, d] = iso.split('-').map(Number);
  return [y, m, d];
}

/** The calendar date in Tokyo of an instant. */
export function tokyoDateOf(instant: Date): IsoDate {
  return new Date(instant.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of a Tokyo wall-clock date and time ('HH:MM'). */
export function tokyoLocalToUtc(date: IsoDate, time: string): Date {
  const [y, m, d] = parts(date);
  const tm = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!tm || +tm[1] > 23 || +tm[2] > 59) throw new RangeError(`not a time: ${time}`);
  return new Date(Date.UTC(y, m - 1, d, +tm[1], +tm[2]) - JST_OFFSET_MS);
}

export function fiscalYearOfDate(date: IsoDate): number {
  const [y, m] = parts(date);
  return m >= 4 ? y : y - 1;
}

/** The fiscal year (by its starting calendar year) of an instant, judged in Tokyo. */
export function fiscalYearOf(instant: Date): number {
  return fiscalYearOfDate(tokyoDateOf(instant));
}

export function fiscalYearRange(fy: number): { start: IsoDate; end: IsoDate } {
  return { start: `${fy}-04-01`, end: `${fy + 1}-03-31` };
}

/** [start, end) of a fiscal year as instants: Tokyo midnight of 1 April to the next 1 April. */
export function fiscalYearBounds(fy: number): { startUtc: Date; endUtcExclusive: Date } {
  return { startUtc: tokyoLocalToUtc(`${fy}-04-01`, '00:00'), endUtcExclusive: tokyoLocalToUtc(`${fy + 1}-04-01`, '00:00') };
}

export function eraOf(date: IsoDate): { era: Era; year: number } {
  parts(date);
  const era = ERAS.find((e) => date >= e.start);
  if (!era) throw new RangeError(`before 明治: ${date}`);
  return { era, year: Number(date.slice(0, 4)) - Number(era.start.slice(0, 4)) + 1 };
}

const yearText = (n: number) => (n === 1 ? '元' : String(n));

/** '令和元年5月1日'; en 'Reiwa 1 (2019), 1 May'. */
export function formatWareki(date: IsoDate, lang: Lang = 'ja'): string {
  const [y, m, d] = parts(date);
  const { era, year } = eraOf(date);
  if (lang === 'en') return `${d} ${MONTHS_EN[m - 1]} ${y} (${era.nameEn} ${year})`;
  return `${era.name}${yearText(year)}年${m}月${d}日`;
}

/**
 * The era a fiscal year is named in. A fiscal year is named after the era in force at its end
 * (so FY2019, which began on 平成31年4月1日, is 令和元年度), unless that era began after the
 * fiscal year's starting calendar year (FY1988 ends in 平成 but began in 昭和63年: 昭和63年度).
 */
export function fiscalYearEra(fy: number): { era: Era; year: number } {
  // Pure and asked for every year of a chart on every view: each year is worked out once per process
  // (a few hundred years at most: report pages clamp ?fy= to 1950–2100).
  let known = eraOfFiscalYear.get(fy);
  if (!known) eraOfFiscalYear.set(fy, (known = Object.freeze(workOutFiscalYearEra(fy))));
  return known;
}

const eraOfFiscalYear = new Map<number, Readonly<{ era: Era; year: number }>>();

function workOutFiscalYearEra(fy: number): { era: Era; year: number } {
  const atEnd = eraOf(`${fy + 1}-03-31`);
  const year = fy - Number(atEnd.era.start.slice(0, 4)) + 1;
  if (year >= 1) return { era: atEnd.era, year };
  const atStart = eraOf(`${fy}-04-01`);
  return { era: atStart.era, year: fy - Number(atStart.era.start.slice(0, 4)) + 1 };
}

/**
 * ja: full '令和8年度 (2026)', wareki '令和8年度', short 'R8';
 * en: full 'FY2026 (Reiwa 8)', wareki 'Reiwa 8', short 'R8'.
 */
export function formatFiscalYear(fy: number, lang: Lang = 'ja', style: 'full' | 'wareki' | 'short' = 'full'): string {
  const { era, year } = fiscalYearEra(fy);
  if (style === 'short') return `${era.short}${year}`;
  if (lang === 'en') return style === 'wareki' ? `${era.nameEn} ${year}` : `FY${fy} (${era.nameEn} ${year})`;
  const w = `${era.name}${yearText(year)}年度`;
  return style === 'wareki' ? w : `${w} (${fy})`;
}

/** Reads '2026', 'FY2026', '令和8年度', '令和8', '令和元年度', 'R8', 'H23', '平成23年度' (full- or half-width). */
export function parseFiscalYear(text: string): number | null {
  const s = text.normalize('NFKC').trim().replace(/\s+/g, '');
  let m = /^(?:FY)?(\d{4})(?:年度)?$/i.exec(s);
  if (m) return Number(m[1]);
  m = /^(明治|大正|昭和|平成|令和|[MTSHR])(元|\d{1,2})(?:年度?)?$/i.exec(s);
  if (!m) return null;
  const era = ERAS.find((e) => e.name === m![1] || e.short === m![1].toUpperCase());
  if (!era) return null;
  const n = m[2] === '元' ? 1 : Number(m[2]);
  if (n < 1) return null;
  const fy = Number(era.start.slice(0, 4)) + n - 1;
  // The era must be the one the fiscal year is named in, or the one in force on its 1 April
  // (平成31年度 = 2019 is accepted, though named 令和元年度; 平成32 or 平成99 are not).
  if (fy < 1868) return null;
  return fiscalYearEra(fy).era === era || eraOf(`${fy}-04-01`).era === era ? fy : null;
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEK_JA = ['日', '月', '火', '水', '木', '金', '土'];
const WEEK_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Tokyo display whatever the server's time zone: ja '2026年11月24日(火) 14:30', en '24 Nov 2026 (Tue) 14:30'. */
export function formatTokyo(instant: Date, lang: Lang = 'ja', style: 'date' | 'datetime' | 'time' = 'datetime'): string {
  const t = new Date(instant.getTime() + JST_OFFSET_MS);
  const y = t.getUTCFullYear();
  const mo = t.getUTCMonth();
  const d = t.getUTCDate();
  const wd = t.getUTCDay();
  const hm = `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
  if (style === 'time') return hm;
  const date = lang === 'en' ? `${d} ${MONTHS_EN[mo]} ${y} (${WEEK_EN[wd]})` : `${y}年${mo + 1}月${d}日(${WEEK_JA[wd]})`;
  return style === 'date' ? date : `${date} ${hm}`;
}

const HOLIDAYS = (holidayJp as unknown as { holidays: Record<string, { name: string; name_en: string }> }).holidays;

/** Weekend and national holiday (振替休日 included) of a date. */
export function dayCheck(date: IsoDate, lang: Lang = 'ja'): { weekend: boolean; holiday: string | null } {
  const [y, m, d] = parts(date);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const h = HOLIDAYS[date];
  return { weekend: wd === 0 || wd === 6, holiday: h ? (lang === 'en' ? h.name_en : h.name) : null };
}

export interface DateWarning {
  date: IsoDate;
  kind: 'weekend' | 'holiday';
  name?: string;
}

/** A warning for each Tokyo date that a session from `start` to `end` touches that is a weekend or a holiday. */
export function sessionDateWarnings(start: Date, end: Date, lang: Lang = 'ja'): DateWarning[] {
  const out: DateWarning[] = [];
  const last = tokyoDateOf(new Date(Math.max(start.getTime(), end.getTime() - 1)));
  for (let day = tokyoDateOf(start); day <= last; day = nextDate(day)) {
    const c = dayCheck(day, lang);
    if (c.holiday) out.push({ date: day, kind: 'holiday', name: c.holiday });
    else if (c.weekend) out.push({ date: day, kind: 'weekend' });
  }
  return out;
}

export function nextDate(date: IsoDate): IsoDate {
  const [y, m, d] = parts(date);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
