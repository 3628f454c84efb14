import type { AuditNames } from '../../db/repositories/audit-log.repository.js';
import { type AuditChange, auditChanges } from '../../domain/audit-changes.js';
import { formatFiscalYear, formatTokyo } from '../../domain/calendar.js';
import { scalePoints, type SurveyQuestion } from '../../domain/survey.js';
import { isMessageKey, type Lang, type Params, type Translate } from '../../i18n/index.js';
import { actionWords, type AuditRow, camel, documentSubject, entityWords, fieldOf, ID_FIELDS, num, obj, type RefKind } from './audit-words.js';

/**
 * One audit entry in words: the record by the name its pages use, with a link to its page where
 * there is one; the action in words; what changed, field by field, with the forms' labels.
 */

export interface DescribedEntry {
  /** The kind of record in words (申込). */
  kind: string;
  /** Which one, by name where Kyodo can tell (氏名（研修名）), else its number. */
  record: string | null;
  href: string | null;
  action: string;
  /** null: not shown (an anonymous survey's answer). */
  actor: string | null;
  anonymousAnswer: boolean;
  changes: { label: string; before: string | null; after: string | null }[];
}

export function describeEntry(t: Translate, lang: Lang, e: AuditRow, names: AuditNames): DescribedEntry {
  const tk = (key: string, params?: Params): string | null => (isMessageKey(key) ? t(key, params) : null);
  const humanise = (s: string) => s.replace(/_/g, ' ');
  const id = num(e.entity_id);
  const no = (x: string | number) => t('audit.number', { id: String(x) });
  // The punctuation of the user's language: 「氏名（研修）」「種別：出席回数、必要な数：4」 or "name (training)", "Kind: attendance, Needed: 4".
  const en = lang === 'en';
  const colon = en ? ': ' : '：';
  const comma = en ? ', ' : '、';
  const slash = en ? ' / ' : '／';
  const paren = (a: string, b: string) => (en ? `${a} (${b})` : `${a}（${b}）`);

  // --- the record and its page ---
  const offeringTitle = (oid: number | null) => (oid !== null ? (names.offerings.get(oid)?.title ?? null) : null);
  const application = (aid: number | null) => (aid !== null ? names.applications.get(aid) : undefined);
  let record: string | null = e.entity_id ? no(e.entity_id) : null;
  let href: string | null = null;
  const anonymousAnswer = e.entity === 'survey_response' && e.entity_id === null;
  switch (e.entity) {
    case 'application':
    case 'completion':
    case 'assignment': {
      const a = application(id);
      const oid = a?.offeringId ?? num(fieldOf(e, 'offering_id'));
      if (a) record = paren(a.personName, offeringTitle(a.offeringId) ?? no(a.offeringId));
      if (oid !== null) href = `/admin/offerings/${oid}/applications`;
      break;
    }
    case 'attendance': {
      const [sid, aid] = (e.entity_id ?? '').split(':').map(num);
      const a = application(aid);
      const s = sid !== null ? names.sessions.get(sid) : undefined;
      if (a || s) record = [a?.personName, s?.title].filter(Boolean).join('：');
      if (sid !== null) href = `/admin/sessions/${sid}/attendance`;
      break;
    }
    case 'offering':
      if (id !== null) {
        record = offeringTitle(id) ?? record;
        href = `/admin/offerings/${id}`;
      }
      break;
    case 'offering_session': {
      const s = id !== null ? names.sessions.get(id) : undefined;
      const oid = s?.offeringId ?? num(fieldOf(e, 'offering_id'));
      record = s?.title ?? (typeof fieldOf(e, 'title') === 'string' ? String(fieldOf(e, 'title')) : record);
      if (oid !== null) href = `/admin/offerings/${oid}`;
      break;
    }
    case 'programme': {
      const p = id !== null ? names.programmes.get(id) : undefined;
      if (p) record = lang === 'en' ? p.nameEn : p.name;
      href = '/admin/programmes';
      break;
    }
    case 'person':
    case 'coordinator_certification':
    case 'coordinator_profile':
      if (id !== null) {
        record = names.people.get(id) ?? record;
        href = `/admin/people/${id}`;
      }
      break;
    case 'unit':
      if (id !== null) {
        record = names.units.get(id) ?? record;
        href = `/admin/units/${id}`;
      }
      break;
    case 'partner':
      if (id !== null) {
        record = names.partners.get(id) ?? record;
        href = `/admin/partners/${id}`;
      }
      break;
    case 'partner_site': {
      const pid = num(fieldOf(e, 'partner_id'));
      if (pid !== null) href = `/admin/partners/${pid}`;
      break;
    }
    case 'field_offer':
      href = '/admin/field-offers';
      break;
    case 'survey':
      if (id !== null) {
        record = names.surveys.get(id)?.title ?? record;
        href = `/admin/surveys/${id}`;
      }
      break;
    case 'survey_template':
      if (id !== null) href = `/admin/survey-templates/${id}`;
      record = typeof fieldOf(e, 'name') === 'string' ? String(fieldOf(e, 'name')) : record;
      break;
    case 'survey_response': {
      // A named answer links to its survey; an anonymous one names nothing but the survey.
      const sid = num(fieldOf(e, 'survey_id'));
      const s = sid !== null ? names.surveys.get(sid) : undefined;
      record = s?.title ?? (sid !== null ? no(sid) : null);
      if (sid !== null) href = `/admin/surveys/${sid}`;
      break;
    }
    case 'consultation':
      if (id !== null) href = `/consultations/${id}`;
      break;
    case 'project':
      if (id !== null) href = `/projects/${id}`;
      break;
    case 'project_evaluation': {
      const pid = num(fieldOf(e, 'projectId'));
      if (pid !== null) href = `/projects/${pid}`;
      break;
    }
    case 'certificate':
      if (e.entity_id) {
        record = e.entity_id;
        href = `/certificates/${encodeURIComponent(e.entity_id)}`;
      }
      break;
    case 'plan':
      if (id !== null) href = `/admin/plans/${id}`;
      break;
    case 'plan_item':
      if (id !== null) href = `/admin/plan-items/${id}`;
      break;
    case 'plan_measure':
      if (id !== null) href = `/admin/plan-measures/${id}/schedule`;
      break;
    case 'plan_progress': {
      const [item, , fy] = (e.entity_id ?? '').split(':').map(num);
      if (item !== null && fy !== null) {
        href = `/admin/plan-items/${item}/progress/${fy}`;
        record = formatFiscalYear(fy, lang);
      }
      break;
    }
    case 'document': {
      // The 文書番号 itself, linked to where the document is printed again.
      record = e.entity_id;
      const d = documentSubject(fieldOf(e, 'kind'), fieldOf(e, 'subject'));
      const oid = d?.offeringId ?? application(d?.applicationId ?? null)?.offeringId ?? null;
      if (oid !== null) href = `/admin/offerings/${oid}/paper`;
      else if (d?.certificate) href = `/certificates/${encodeURIComponent(d.certificate)}`;
      break;
    }
    case 'import_job':
      if (id !== null) href = `/admin/imports/${id}`;
      break;
  }

  // --- the action in words ---
  const action = e.entity === 'survey_response' ? t(e.action === 'update' ? 'auditAction.answer_update' : 'auditAction.answer') : actionWords(t, e.action, e.entity);

  // --- what changed ---
  const survey = (() => {
    const sid = num(fieldOf(e, 'survey_id'));
    return sid !== null ? names.surveys.get(sid) : undefined;
  })();
  const question = (qid: string): SurveyQuestion | undefined => survey?.questions.find((q) => q.id === qid);
  const qLabel = (x: { label: string; labelEn?: string }) => (lang === 'en' && x.labelEn ? x.labelEn : x.label);
  const fieldLabel = (path: string[]): string => {
    if (path[0] === 'answers' && path.length >= 2) {
      const q = question(path[1]);
      const row = path[2] ? q?.rows?.find((r) => r.id === path[2]) : undefined;
      const head = t('field.answers');
      // An application's answers: the offering's questions are not at hand; q1, q2… are its questions in order.
      const qNo = /^q(\d{1,3})$/.exec(path[1]);
      if (!q && qNo) return [head, t('audit.questionNo', { n: qNo[1] }), ...path.slice(2)].join(' › ');
      if (!q) return [head, ...path.slice(1)].join(' › ');
      return [head, qLabel(q), ...(row ? [qLabel(row)] : path.slice(2))].join(' › ');
    }
    return path
      .map((k) => {
        const c = camel(k);
        return tk(`auditField.${e.entity}.${k}`) ?? tk(`auditField.${k}`) ?? tk(`auditField.${c}`) ?? tk(`field.${c}`) ?? tk(`field.${c.replace(/Id$/, '')}`) ?? humanise(k);
      })
      .join(' › ');
  };
  const ENUMS: Record<string, string[]> = {
    status: e.entity === 'attendance' ? ['attendance'] : e.entity === 'consultation' ? ['consultations.status'] : e.entity === 'field_offer' ? ['offer.status'] : e.entity === 'assignment' ? ['assignment'] : ['status'],
    format: ['format'],
    selection: ['selection'],
    affiliation: ['affiliation'],
    seatGroup: ['affiliation'],
    roles: ['role'],
    kind:
      e.entity === 'survey'
        ? ['surveyKind']
        : e.entity === 'programme'
          ? ['programmeKind']
          : e.entity === 'consultation'
            ? ['consultations.kind']
            : e.entity === 'document'
              ? ['auditDocumentKind']
              : e.entity === 'completion'
                ? ['auditCompletionPart']
                : ['programmeKind', 'surveyKind'],
    // A completion's part for the assignment: its state.
    state: ['assignment'],
    purpose: ['surveyPurpose'],
    type: ['partnerType'],
    via: ['auditVia'],
  };
  const ref = (kind: RefKind, v: number): string => {
    const m = names[kind].get(v as never) as unknown;
    if (typeof m === 'string') return m;
    if (m && typeof m === 'object') {
      if (kind === 'offerings') return (m as { title: string }).title;
      if (kind === 'programmes') return lang === 'en' ? (m as { nameEn: string }).nameEn : (m as { name: string }).name;
      if (kind === 'sessions' || kind === 'surveys') return (m as { title: string }).title;
      if (kind === 'applications') return paren((m as { personName: string }).personName, offeringTitle((m as { offeringId: number }).offeringId) ?? '');
    }
    return no(v);
  };
  const value = (path: string[], v: unknown): string | null => {
    if (v === undefined) return null;
    if (v === null || v === '') return t('audit.none');
    const key = camel(path[path.length - 1] ?? '');
    if (path[0] === 'answers' && path.length >= 2 && typeof v === 'number') {
      const q = question(path[1]);
      if (q && (q.type === 'scale5' || q.type === 'matrix')) return scalePoints(q, lang).find((p) => p.value === v)?.text ?? String(v);
    }
    if (typeof v === 'boolean') return t(v ? 'audit.yes' : 'audit.no');
    if (typeof v === 'number') {
      if (ID_FIELDS[key]) return ref(ID_FIELDS[key], v);
      if (/Id$/.test(key)) return no(v);
      return /fiscalYear$/i.test(key) && Number.isInteger(v) ? formatFiscalYear(v, lang) : String(v);
    }
    if (typeof v === 'string') {
      if (e.entity === 'document' && key === 'subject') return documentSubjectWords(v);
      // The sample sign-ins: 「admin: kenshu.admin@…」 reads 「研修担当（管理者）：kenshu.admin@…」.
      const account = key === 'accounts' ? /^([A-Za-z]+): (.*)$/.exec(v) : null;
      if (account) return `${tk(`newcomer.role.${account[1]}`) ?? account[1]}${colon}${account[2]}`;
      if (ID_FIELDS[key] && num(v) !== null) return ref(ID_FIELDS[key], num(v)!);
      for (const prefix of ENUMS[key] ?? []) {
        const w = tk(`${prefix}.${v}`);
        if (w) return w;
      }
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) && !Number.isNaN(Date.parse(v))) return formatTokyo(new Date(v), lang, 'datetime');
      if (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00+09:00`))) return formatTokyo(new Date(`${v}T00:00:00+09:00`), lang, 'date');
      return v.length > 300 ? `${v.slice(0, 299)}…` : v;
    }
    if (Array.isArray(v)) {
      if (!v.length) return t('audit.none');
      // A list of things with names (questions, rows, sessions): their names; a long list of
      // anything else: how many.
      const named = v.map((x) => {
        const o = obj(x);
        const n = o.label ?? o.title ?? o.name;
        return typeof n === 'string' ? (lang === 'en' && typeof o.labelEn === 'string' ? o.labelEn : n) : null;
      });
      if (named.every((n) => n !== null)) return named.join(slash);
      if (v.length > 3 && v.some((x) => x && typeof x === 'object')) return t('audit.items', { count: v.length });
      return v
        .map((x) =>
          x && typeof x === 'object' && !Array.isArray(x)
            ? Object.entries(x)
                .map(([k, y]) => `${fieldLabel([k])}${colon}${value([k], y) ?? ''}`)
                .join(comma)
            : (value(path, x) ?? ''),
        )
        .join(v.some((x) => x && typeof x === 'object') ? slash : comma);
    }
    return Object.entries(obj(v))
      .map(([k, y]) => `${fieldLabel([k])}${colon}${value([k], y) ?? ''}`)
      .join(comma);
  };
  /** What a document was issued for: the person's application, the 所属 and training, or the certificate. */
  function documentSubjectWords(subject: string): string {
    const d = documentSubject(fieldOf(e, 'kind'), subject);
    if (d?.applicationId) return ref('applications', d.applicationId);
    if (d?.offeringId) {
      const unit = d.unitId ? (names.units.get(d.unitId) ?? no(d.unitId)) : t('audit.noUnit');
      return paren(unit, offeringTitle(d.offeringId) ?? no(d.offeringId));
    }
    return d?.certificate ?? subject;
  }
  const changes = anonymousAnswer
    ? []
    : auditChanges(e.before ?? undefined, e.after ?? undefined)
        // The survey an answer belongs to is already the record.
        .filter((c: AuditChange) => !(e.entity === 'survey_response' && c.path.join('.') === 'survey_id'))
        .map((c) => ({ label: c.path.length ? fieldLabel(c.path) : t('audit.changes'), before: value(c.path, c.before), after: value(c.path, c.after) }));

  return {
    kind: entityWords(t, e.entity),
    record,
    href,
    action,
    actor: anonymousAnswer ? null : e.actor_id === null ? t('audit.system') : (e.actor_name ?? no(e.actor_id)),
    anonymousAnswer,
    changes,
  };
}

