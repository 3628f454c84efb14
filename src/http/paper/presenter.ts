import { formatTokyo, formatWareki } from '../../domain/calendar.js';
import { formatCode } from '../../domain/certificate-code.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { RosterRow } from '../../db/repositories/document.repository.js';
import type { certificatePaper, Issuer, OfferingPaper, PersonNotice, UnitNotice } from '../../services/paper.service.js';

/**
 * Service results → the sheets both the print pages and the PDFs draw, so that paper and screen say
 * the same: every text is decided here, once.
 */

export interface NoticeSheet {
  /** False for a notice not issued yet: its number and date are the blanks below, never today's. */
  issued: boolean;
  number: string;
  date: string;
  addressee: string;
  senderName: string;
  senderOffice: string;
  subject: string;
  lead: string;
  items: { label: string; lines: string[] }[];
  /** The participants listed on a unit's notice. */
  participants: { caption: string; columns: string[]; rows: string[][] } | null;
  contact: string;
}

export interface TableSheet {
  caption: string;
  columns: string[];
  rows: string[][];
}

const sessionLine = (t: Translate, lang: Lang, s: OfferingPaper['sessions'][number], i: number) =>
  `${/^第\S+回/.test(s.title) ? '' : lang === 'ja' ? `第${i + 1}回 ` : `${i + 1}. `}${s.title}（${t(`format.${s.format}`)}） ${formatTokyo(s.starts_at, lang, 'datetime')}〜${formatTokyo(s.ends_at, lang, 'time')}${s.venue ? ` ${s.venue}` : ''}`;

/** Per-session texts (持ち物, access): one line each, named by the session when there are several. */
function perSession(sessions: OfferingPaper['sessions'], pick: (s: OfferingPaper['sessions'][number]) => string): string[] {
  const given = sessions.filter((s) => pick(s).trim());
  if (sessions.length === 1 || new Set(given.map(pick)).size === 1) return given.length ? [pick(given[0]).trim()] : [];
  return given.map((s) => `${s.title}：${pick(s).trim()}`);
}

function items(t: Translate, lang: Lang, paper: OfferingPaper, code: string | null) {
  const belongings = perSession(paper.sessions, (s) => s.belongings);
  const access = perSession(paper.sessions, (s) => s.access);
  const out = [
    { label: t('paper.training'), lines: [paper.offering.title] },
    { label: t('paper.schedule'), lines: paper.sessions.map((s, i) => sessionLine(t, lang, s, i)) },
    { label: t('paper.belongings'), lines: belongings.length ? belongings : [t('paper.none')] },
  ];
  if (access.length) out.push({ label: t('paper.access'), lines: access });
  if (code) out.push({ label: t('paper.code'), lines: [code, t('paper.codeNote')] });
  return out;
}

const sender = (issuer: Issuer) => ({ senderName: issuer.name, senderOffice: `${issuer.prefecture} ${issuer.office}` });
const contact = (t: Translate, issuer: Issuer) => `${t('paper.contact')}：${issuer.prefecture} ${issuer.office}${issuer.contact ? `　${issuer.contact}` : ''}`;
const unitName = (t: Translate, name: string | null) => name ?? t('paper.noUnit');

/** The number and date a notice carries: its issued ones, or for one not issued yet, blanks marked 未発行. */
function numbered(t: Translate, lang: Lang, doc: PersonNotice['doc'], issuer: Issuer) {
  return doc
    ? { issued: true, number: doc.number, date: formatWareki(doc.issued_on, lang) }
    : { issued: false, number: t('paper.unissuedNumber', { blank: issuer.blankNumber }), date: t('paper.unissuedDate') };
}

/** A person's 受講決定通知. */
export function personNoticeSheet(t: Translate, lang: Lang, paper: OfferingPaper, n: PersonNotice, issuer: Issuer): NoticeSheet {
  return {
    ...numbered(t, lang, n.doc, issuer),
    addressee: `${t('paper.honorific', { name: n.person.name })}${n.person.unitName ? `（${n.person.unitName}）` : ''}`,
    ...sender(issuer),
    subject: t('paper.noticeSubject', { title: paper.offering.title }),
    lead: t('paper.noticeLead'),
    items: items(t, lang, paper, n.person.participantCode),
    participants: null,
    contact: contact(t, issuer),
  };
}

/** A 所属's 受講決定通知, addressed to its head, listing its participants. */
export function unitNoticeSheet(t: Translate, lang: Lang, paper: OfferingPaper, n: UnitNotice, issuer: Issuer): NoticeSheet {
  return {
    ...numbered(t, lang, n.doc, issuer),
    addressee: lang === 'ja' ? n.addressee : t('paper.unitAddressee', { addressee: n.addressee, unit: unitName(t, n.unitName) }),
    ...sender(issuer),
    subject: t('paper.noticeSubject', { title: paper.offering.title }),
    lead: t('paper.unitNoticeLead'),
    items: items(t, lang, paper, null),
    participants: {
      caption: t('paper.participants', { count: n.people.length }),
      columns: [t('paper.no'), t('paper.staffNumber'), t('paper.name'), t('paper.kana'), t('paper.jobTitle'), t('paper.code')],
      rows: n.people.map((p, i) => [String(i + 1), p.staffNumber ?? '', p.name, p.kana, p.title ?? '', p.participantCode]),
    },
    contact: contact(t, issuer),
  };
}

/** The 受講者名簿 as a table: 番号, 職員番号, 氏名 (フリガナ), 所属, 職名, 状態. */
export function rosterSheet(t: Translate, rows: readonly RosterRow[]): TableSheet {
  return {
    caption: t('paper.rosterCaption', { count: rows.length }),
    columns: [t('paper.no'), t('paper.staffNumber'), t('paper.name'), t('paper.kana'), t('paper.unit'), t('paper.jobTitle'), t('paper.status')],
    rows: rows.map((r, i) => [String(i + 1), r.staffNumber ?? '', r.name, r.kana, unitName(t, r.unitName), r.title ?? '', t(`status.${r.status as 'confirmed'}`)]),
  };
}

type CertificatePaper = Awaited<ReturnType<typeof certificatePaper>>;

export interface CertificateSheetData {
  number: string;
  certificateNumber: string;
  title: string;
  name: string;
  body: string;
  facts: { label: string; value: string }[];
  date: string;
  issuer: string;
  verifyUrl: string;
  verify: string;
  revoked: string | null;
}

/** A 修了証 with its formal parts. */
export function certificateSheet(t: Translate, lang: Lang, p: CertificatePaper, baseUrl: string): CertificateSheetData {
  const { cert, doc, issuer } = p;
  const code = formatCode(cert.verification_code);
  const url = `${baseUrl}/verify/${code}`;
  return {
    number: doc.number,
    certificateNumber: `${t('paper.certificateNumber')}：${cert.number}`,
    title: t('certificate.title'),
    name: t('paper.honorific', { name: cert.person_name }),
    body: t('paper.certificateBody', { title: cert.title }),
    facts: [{ label: t('paper.completedOn'), value: formatWareki(cert.completed_on, lang) }, ...(cert.valid_until ? [{ label: t('paper.validUntil'), value: formatWareki(cert.valid_until, lang) }] : [])],
    date: formatWareki(doc.issued_on, lang),
    issuer: issuer.name,
    verifyUrl: url,
    verify: t('paper.verify', { url, code }),
    revoked: cert.revoked_at ? t('paper.revoked', { reason: cert.revoke_reason ?? '' }) : null,
  };
}
