import { formatTokyo } from '../../domain/calendar.js';
import { isMessageKey, type Lang, type MessageKey, type Translate } from '../../i18n/index.js';
import type { XlsxSheet } from '../../lib/xlsx.js';
import type { PersonalDataExport } from '../../services/personal-data.service.js';

type Cell = string | number | null;

/** A word from the catalogue for a stored code (e.g. status.confirmed), or the code itself. */
function word(t: Translate, prefix: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '';
  const key = `${prefix}.${code}`;
  return isMessageKey(key) ? t(key as MessageKey) : code;
}

function answerText(v: unknown): string {
  if (Array.isArray(v)) return v.join('、');
  if (v && typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${x}`).join('、');
  return String(v ?? '');
}

/**
 * The person's data as titled tables: the same tables make the "my data" page and the xlsx
 * download (one sheet each), so what is shown is what is downloaded.
 */
export function personalDataTables(t: Translate, lang: Lang, d: PersonalDataExport): XlsxSheet[] {
  const dt = (v: string | null) => (v ? formatTokyo(new Date(v), lang, 'datetime') : '');
  const yes = (b: boolean) => t(b ? 'common.yes' : 'common.no');
  const sheet = (name: string, cols: [string, string][], rows: Record<string, Cell>[]): XlsxSheet => ({
    name,
    columns: cols.map(([key, header]) => ({ header, key })),
    rows,
  });
  const p = d.profile;
  const c = d.coordinator;
  return [
    sheet(
      t('mydata.profile'),
      [
        ['item', t('mydata.col.item')],
        ['value', t('mydata.col.value')],
      ],
      [
        [t('field.name'), p.name],
        [t('field.kana'), p.kana],
        [t('field.email'), p.email],
        [t('field.staffNumber'), p.staffNumber ?? ''],
        [t('field.unit'), p.unit ?? ''],
        [t('field.affiliation'), word(t, 'affiliation', p.affiliation)],
        [t('field.roles'), p.roles.map((r) => word(t, 'role', r)).join('、')],
        [t('field.active'), t(p.active ? 'common.active' : 'common.inactive')],
        ...(c.certification
          ? [[t('mydata.coordinator'), `${c.certification.grantedOn}〜${c.certification.validUntil ?? ''}${c.certification.revokedAt ? ` (${dt(c.certification.revokedAt)})` : ''}`] as [string, string]]
          : []),
        ...(c.profile ? [[`${t('mydata.coordinator')}（${t('mydata.col.note')}）`, [c.profile.fields.join('、'), c.profile.availability, c.profile.introduction].filter(Boolean).join(' / ')] as [string, string]] : []),
      ].map(([item, value]) => ({ item, value })),
    ),
    sheet(
      t('mydata.applications'),
      [
        ['fy', t('mydata.col.fiscalYear')],
        ['programme', t('mydata.col.programme')],
        ['offering', t('mydata.col.offering')],
        ['status', t('mydata.col.status')],
        ['applied', t('mydata.col.date')],
        ['note', t('mydata.col.note')],
      ],
      d.applications.map((a) => ({
        fy: a.fiscalYear,
        programme: a.programme,
        offering: a.offering,
        status: word(t, 'status', a.status),
        applied: dt(a.appliedAt),
        note: [...Object.values(a.answers), a.cancelReason ?? '', a.endorseComment ?? ''].filter(Boolean).join(' / '),
      })),
    ),
    sheet(
      t('mydata.attendance'),
      [
        ['offering', t('mydata.col.offering')],
        ['session', t('mydata.col.session')],
        ['date', t('mydata.col.date')],
        ['status', t('mydata.col.status')],
      ],
      d.attendance.map((a) => ({ offering: a.offering, session: a.session, date: dt(a.startsAt), status: word(t, 'attendance', a.status) })),
    ),
    sheet(
      t('mydata.completions'),
      [
        ['offering', t('mydata.col.offering')],
        ['completed', t('mydata.col.completed')],
        ['date', t('mydata.col.date')],
      ],
      d.completions.map((x) => ({ offering: x.offering, completed: yes(x.completed), date: x.completedOn ?? '' })),
    ),
    sheet(
      t('mydata.certificates'),
      [
        ['number', t('mydata.col.number')],
        ['title', t('mydata.col.title')],
        ['date', t('mydata.col.date')],
        ['valid', t('mydata.col.validUntil')],
        ['status', t('mydata.col.status')],
      ],
      d.certificates.map((x) => ({ number: x.number, title: x.title, date: x.completedOn, valid: x.validUntil ?? '', status: x.revokedAt ? t('common.inactive') : t('common.active') })),
    ),
    sheet(
      t('mydata.assignments'),
      [
        ['offering', t('mydata.col.offering')],
        ['status', t('mydata.col.status')],
        ['date', t('mydata.col.date')],
        ['file', t('mydata.col.file')],
        ['text', t('mydata.col.note')],
      ],
      d.assignments.map((x) => ({ offering: x.offering, status: word(t, 'assignment', x.status), date: dt(x.submittedAt), file: x.fileName ?? '', text: x.text ?? '' })),
    ),
    sheet(
      t('mydata.history'),
      [
        ['fy', t('mydata.col.fiscalYear')],
        ['programme', t('mydata.col.programme')],
        ['title', t('mydata.col.offering')],
        ['status', t('mydata.col.status')],
        ['completed', t('mydata.col.completed')],
        ['number', t('mydata.col.number')],
      ],
      d.trainingHistory.map((h) => ({
        fy: h.fiscalYear,
        programme: h.programme ?? '',
        title: h.imported ? `${h.title} ${t('history.imported')}` : h.title,
        status: word(t, 'status', h.status),
        completed: yes(h.completed),
        number: h.certificateNumber ?? '',
      })),
    ),
    sheet(
      t('mydata.invitations'),
      [
        ['survey', t('mydata.col.survey')],
        ['kind', t('mydata.col.kind')],
        ['anonymous', t('mydata.col.anonymous')],
        ['invited', t('mydata.col.date')],
        ['responded', t('mydata.col.status')],
      ],
      d.surveyInvitations.map((i) => ({ survey: i.survey, kind: word(t, 'surveyKind', i.kind), anonymous: yes(i.anonymous), invited: dt(i.invitedAt), responded: i.respondedOn ?? '' })),
    ),
    sheet(
      t('mydata.answers'),
      [
        ['survey', t('mydata.col.survey')],
        ['date', t('mydata.col.date')],
        ['question', t('mydata.col.question')],
        ['answer', t('mydata.col.answer')],
      ],
      d.surveyAnswers.flatMap((r) => r.answers.map((a) => ({ survey: r.survey, date: r.submittedOn, question: a.question, answer: answerText(a.answer) }))),
    ),
    sheet(
      t('mydata.consultations'),
      [
        ['role', t('mydata.col.role')],
        ['title', t('mydata.col.title')],
        ['status', t('mydata.col.status')],
        ['date', t('mydata.col.date')],
        ['note', t('mydata.col.note')],
      ],
      [
        ...d.consultations.requested.map((x) => ({ role: t('mydata.role.requested'), title: x.title, status: x.status, date: dt(x.createdAt), note: x.kind })),
        ...d.consultations.assigned.map((x) => ({ role: t('mydata.role.assigned'), title: x.title, status: x.status, date: dt(x.assignedAt), note: x.declineReason ?? '' })),
        ...d.consultations.activities.map((x) => ({ role: t('mydata.role.activity'), title: `#${x.consultationId}`, status: x.kind, date: x.onDate, note: `${t('mydata.minutes', { n: x.minutes })} ${x.note}` })),
        ...d.consultations.projects.map((x) => ({ role: t(`mydata.role.project.${x.role}`), title: x.title, status: '', date: x.startsOn, note: x.endsOn ? `〜${x.endsOn}` : '' })),
        ...d.consultations.evaluations.map((x) => ({ role: t('mydata.role.evaluation'), title: x.title, status: x.side, date: dt(x.submittedAt), note: x.scores.map((s) => `${s.criterion} ${s.score}${s.comment ? `（${s.comment}）` : ''}`).join(' / ') })),
      ],
    ),
    sheet(
      t('mydata.messages'),
      [
        ['date', t('mydata.col.date')],
        ['offering', t('mydata.col.offering')],
        ['subject', t('mydata.col.title')],
        ['body', t('mydata.col.note')],
      ],
      d.messages.map((m) => ({ date: dt(m.sentAt), offering: m.offering, subject: m.subject, body: m.body })),
    ),
    sheet(
      t('mydata.tokens'),
      [
        ['name', t('mydata.col.name')],
        ['prefix', 'ID'],
        ['created', t('mydata.col.date')],
        ['used', t('mydata.col.lastUsed')],
        ['status', t('mydata.col.status')],
      ],
      d.apiTokens.map((x) => ({ name: x.name, prefix: `${x.prefix}…`, created: dt(x.createdAt), used: dt(x.lastUsedAt), status: x.revokedAt ? t('tokens.revoked') : t('common.active') })),
    ),
    sheet(
      t('mydata.sessions'),
      [
        ['created', t('mydata.col.date')],
        ['seen', t('mydata.col.lastUsed')],
        ['browser', t('mydata.col.browser')],
      ],
      d.loginSessions.map((s) => ({ created: dt(s.createdAt), seen: dt(s.lastSeenAt), browser: s.userAgent ?? '' })),
    ),
  ];
}
