import { formatTokyo, formatWareki } from '../../domain/calendar.js';
import { CONSULTATION_KINDS, type ScorePart } from '../../domain/matching.js';
import { PARTNER_FIELDS } from '../../domain/values.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { ConsultationRow } from '../../services/consultation.service.js';
import type { FormBody } from '../forms.js';
import { CheckboxGroup, type Column, CsrfField, DataTable, Downloads, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';
import { partText, statusText } from './presenter.js';

type Lang = 'ja' | 'en';

export const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
export const arr = (v: FormBody[string] | undefined) => (Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : []);

export const period = (t: Translate, lang: Lang, from: string | null, to: string | null) =>
  from || to ? t('consultations.periodRange', { from: from ? formatWareki(from, lang) : '', to: to ? formatWareki(to, lang) : '' }) : '—';

/** Ranked suggestions with the parts of each score (why it ranked there); the unit column when given. */
export function SuggestionTable({ t, caption, rows, nameLabel }: { t: Translate; caption: string; rows: { name: string; unit?: string; score: number; parts: ScorePart[] }[]; nameLabel?: string }) {
  type Row = (typeof rows)[number] & { rank: number };
  const columns: Column<Row>[] = [
    { key: 'rank', label: t('consultations.rank'), cell: (r) => r.rank },
    { key: 'name', label: nameLabel ?? t('field.name'), cell: (r) => r.name },
    ...(rows.some((r) => r.unit !== undefined) ? [{ key: 'unit', label: t('field.unit'), cell: (r: Row) => r.unit ?? '' }] : []),
    { key: 'score', label: t('consultations.score'), cell: (r) => r.score },
    {
      key: 'why',
      label: t('consultations.why'),
      cell: (r) => (
        <ul class="small">
          {r.parts.map((p) => (
            <li>{partText(t, p)}</li>
          ))}
        </ul>
      ),
    },
  ];
  return <DataTable t={t} caption={caption} columns={columns} rows={rows.map((r, i) => ({ ...r, rank: i + 1 }))} />;
}

/** A multiple choice as a labelled <select multiple> (for long lists), working without JavaScript. */
export function MultiSelect(p: { t: Translate; name: string; label: string; hint?: string; values: string[]; options: { value: string; label: string }[]; errors?: FieldErrors | null; idPrefix?: string }) {
  const id = `f-${p.idPrefix ?? ''}${p.name}`;
  const error = p.errors?.[p.name];
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id}>
        {p.label}
        <span class="badge">{p.t('common.optional')}</span>
      </label>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {p.t(error.key, { field: p.label, ...error.params })}
        </p>
      ) : null}
      <select id={id} name={p.name} multiple size={Math.min(8, Math.max(3, p.options.length))} aria-describedby={[p.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined} aria-invalid={error ? 'true' : undefined}>
        {p.options.map((o) => (
          <option value={o.value} selected={p.values.includes(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ConsultationTable({ t, lang, rows, caption, showRequester }: { t: Translate; lang: Lang; rows: ConsultationRow[]; caption: string; showRequester: boolean }) {
  if (!rows.length) return <p>{t('consultations.none')}</p>;
  const columns: Column<ConsultationRow>[] = [
    { key: 'filed', label: t('consultations.filedOn'), cell: (r) => formatTokyo(r.created_at, lang, 'date') },
    { key: 'title', label: t('field.title'), cell: (r) => <a href={`/consultations/${r.id}`}>{r.title}</a> },
    { key: 'kind', label: t('field.kind'), cell: (r) => t(`consultations.kind.${r.kind}`) },
    { key: 'unit', label: t('field.unitId'), cell: (r) => r.unit_name },
    ...(showRequester ? [{ key: 'requester', label: t('consultations.requester'), cell: (r: ConsultationRow) => r.requester_name }] : []),
    { key: 'status', label: t('common.status'), cell: (r) => statusText(t, r) },
    { key: 'coordinators', label: t('consultations.coordinators'), cell: (r) => r.coordinator_names ?? '—' },
  ];
  return <DataTable t={t} caption={caption} columns={columns} rows={rows} />;
}

/** My requests: what I filed, with the way to file a new one and, for coordinators, to their cases and the desk. */
export function MyRequestsView({ t, lang, rows, coordinator, desk }: { t: Translate; lang: Lang; rows: ConsultationRow[]; coordinator: boolean; desk: boolean }) {
  return (
    <>
      <p>{t('consultations.intro')}</p>
      <p class="actions">
        <a class="button" href="/consultations/new">
          {t('consultations.new')}
        </a>
        {coordinator ? (
          <a class="button button--secondary" href="/my/cases">
            {t('consultations.workspace.title')}
          </a>
        ) : null}
        {desk ? (
          <a class="button button--secondary" href="/desk/consultations">
            {t('consultations.desk.title')}
          </a>
        ) : null}
      </p>
      <h2>{t('consultations.mine')}</h2>
      <ConsultationTable t={t} lang={lang} rows={rows} caption={t('consultations.mine')} showRequester={false} />
      <Downloads t={t} base="/consultations" />
    </>
  );
}

export interface NewConsultationProps {
  t: Translate;
  csrf: string;
  values: FormBody;
  errors: FieldErrors | null;
  units: { id: number; name: string; kind: string }[];
  partners: { id: number; name: string }[];
}

/** The request form (相談の申込み). */
export function NewConsultationView({ t, csrf, values, errors, units, partners }: NewConsultationProps) {
  const municipalities = units.filter((u) => u.kind === 'municipality');
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <p>{t('consultations.newIntro')}</p>
      <form method="post" action="/consultations" novalidate>
        <CsrfField token={csrf} />
        <SelectField t={t} name="kind" label={t('field.kind')} value={str(values.kind)} errors={errors} required blank="—" options={CONSULTATION_KINDS.map((k) => ({ value: k, label: t(`consultations.kindLong.${k}`) }))} />
        <TextField t={t} name="title" label={t('field.title')} hint={t('consultations.titleHint')} value={str(values.title)} errors={errors} required maxlength={200} />
        <SelectField t={t} name="unitId" label={t('field.unitId')} value={str(values.unitId)} errors={errors} required blank="—" options={units.filter((u) => u.kind !== 'department').map((u) => ({ value: u.id, label: u.name }))} />
        <TextField t={t} name="fields" label={t('field.fields')} hint={`${t('coordinators.fieldsHint')}（${PARTNER_FIELDS.join('、')}）`} value={str(values.fields)} errors={errors} />
        <CheckboxGroup t={t} name="areas" label={t('field.areas')} values={arr(values.areas)} errors={errors} options={municipalities.map((u) => ({ value: String(u.id), label: u.name }))} />
        <TextArea t={t} name="goal" label={t('field.goal')} hint={t('consultations.goalHint')} value={str(values.goal)} errors={errors} required maxlength={4000} rows={5} />
        <TextField t={t} name="desiredFrom" type="date" label={t('field.desiredFrom')} value={str(values.desiredFrom)} errors={errors} />
        <TextField t={t} name="desiredTo" type="date" label={t('field.desiredTo')} value={str(values.desiredTo)} errors={errors} />
        <SelectField t={t} name="partnerId" label={t('field.partnerId')} value={str(values.partnerId)} errors={errors} blank="—" options={partners.map((p) => ({ value: p.id, label: p.name }))} />
        <TextField t={t} name="partnerInMind" label={t('field.partnerInMind')} hint={t('consultations.partnerInMindHint')} value={str(values.partnerInMind)} errors={errors} maxlength={500} />
        <button type="submit" class="button">
          {t('consultations.submit')}
        </button>
      </form>
    </>
  );
}
