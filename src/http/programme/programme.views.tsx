import { formatFiscalYear } from '../../domain/calendar.js';
import { hasEnded, lineageOf } from '../../domain/programme.js';
import { PROGRAMME_KINDS } from '../../domain/values.js';
import type { Programme } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { listProgrammes } from '../../services/offering.service.js';
import type { FormBody } from '../forms.js';
import { CsrfField, DataTable, ErrorSummary, SelectField, TextArea, TextField } from '../views/components.js';

type Lang = 'ja' | 'en';
type ProgrammeRow = Awaited<ReturnType<typeof listProgrammes>>[number];
const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');

export function programmeValues(p: Programme): FormBody {
  return {
    name: p.name,
    nameEn: p.name_en,
    kana: p.kana,
    kind: p.kind,
    description: p.description,
    owningUnitId: p.owning_unit_id ? String(p.owning_unit_id) : '',
    predecessorId: p.predecessor_id ? String(p.predecessor_id) : '',
    firstFiscalYear: p.first_fiscal_year ? String(p.first_fiscal_year) : '',
    lastFiscalYear: p.last_fiscal_year ? String(p.last_fiscal_year) : '',
  };
}

/** Programmes with their period, state, owner, lineage and number of offerings. */
export function ProgrammeList({ t, lang, fy, programmes, counts }: { t: Translate; lang: Lang; fy: number; programmes: ProgrammeRow[]; counts: Map<number, number> }) {
  const byId = new Map(programmes.map((p) => [p.id, p]));
  const nameOf = (p: { name: string; name_en: string } | undefined) => (p ? (lang === 'en' ? p.name_en : p.name) : '');
  const period = (p: ProgrammeRow) =>
    p.first_fiscal_year
      ? p.last_fiscal_year
        ? `${formatFiscalYear(p.first_fiscal_year, lang)} – ${formatFiscalYear(p.last_fiscal_year, lang)}`
        : t('programmes.fromYear', { fy: formatFiscalYear(p.first_fiscal_year, lang) })
      : '';
  return (
    <>
      <p>{t('programmes.lead')}</p>
      <p class="actions">
        <a class="button" href="/admin/programmes/new">
          {t('programmes.new')}
        </a>
      </p>
      <DataTable
        t={t}
        caption={t('programmes.title')}
        rows={programmes}
        rowId={(p) => `programme-${p.id}`}
        columns={[
          {
            key: 'programme',
            label: t('field.programme'),
            cell: (p) => {
              const lineage = lineageOf(programmes, p.id);
              return (
                <>
                  <strong>{nameOf(p)}</strong>
                  <p class="small">{p.description}</p>
                  {lineage.length > 1 ? <p class="small">{t('programmes.lineageOf', { lineage: lineage.map((id) => nameOf(byId.get(id))).join(' ← ') })}</p> : null}
                </>
              );
            },
          },
          { key: 'period', label: t('programmes.period'), cell: (p) => period(p) },
          { key: 'status', label: t('common.status'), cell: (p) => (hasEnded(p, fy) ? t('programmes.closed') : t('programmes.open')) },
          { key: 'owner', label: t('programmes.owner'), cell: (p) => p.owning_unit_name ?? '' },
          { key: 'predecessor', label: t('programmes.predecessor'), cell: (p) => (p.predecessor_id ? nameOf(byId.get(p.predecessor_id)) : '—') },
          { key: 'offerings', label: t('programmes.offerings'), numeric: true, cell: (p) => counts.get(p.id) ?? 0 },
          {
            key: 'actions',
            label: t('programmes.actions'),
            cell: (p) => (
              <a href={`/admin/programmes/${p.id}`} aria-label={`${t('programmes.editLink')}：${nameOf(p)}`}>
                {t('programmes.editLink')}
              </a>
            ),
          },
        ]}
      />
    </>
  );
}

/** The programme form (new or edit). */
export function ProgrammeForm(p: { t: Translate; lang: Lang; csrf: string; id: number | null; values: FormBody; errors: FieldErrors | null; programmes: ProgrammeRow[]; units: { id: number; name: string; depth: number }[] }) {
  const { t, lang, id, values, errors } = p;
  // The visible labels of fields whose catalogue label means something else elsewhere (氏名, 計画期間の…).
  const labels = { name: t('field.programmeName'), kind: t('field.programmeKind'), firstFiscalYear: t('programmes.firstYear'), lastFiscalYear: t('programmes.lastYear') };
  return (
    <>
      <ErrorSummary t={t} errors={errors} labels={labels} />
      <form method="post" action={id ? `/admin/programmes/${id}` : '/admin/programmes'} novalidate>
        <CsrfField token={p.csrf} />
        <TextField t={t} name="name" label={labels.name} value={str(values.name)} errors={errors} required maxlength={200} />
        <TextField t={t} name="nameEn" label={t('field.nameEn')} value={str(values.nameEn)} errors={errors} maxlength={200} />
        <TextField t={t} name="kana" label={t('field.kana')} value={str(values.kana)} errors={errors} maxlength={200} />
        <SelectField t={t} name="kind" label={labels.kind} value={str(values.kind) || 'other'} errors={errors} required options={PROGRAMME_KINDS.map((k) => ({ value: k, label: t(`programmeKind.${k}`) }))} />
        <SelectField t={t} name="owningUnitId" label={t('field.owningUnitId')} value={str(values.owningUnitId)} errors={errors} blank="—" options={p.units.map((u) => ({ value: u.id, label: `${'　'.repeat(u.depth)}${u.name}` }))} />
        <SelectField
          t={t}
          name="predecessorId"
          label={t('field.predecessorId')}
          value={str(values.predecessorId)}
          errors={errors}
          blank={t('programmes.noPredecessor')}
          options={p.programmes.filter((x) => x.id !== id).map((x) => ({ value: x.id, label: lang === 'en' ? x.name_en : x.name }))}
        />
        <TextField t={t} name="firstFiscalYear" label={labels.firstFiscalYear} hint={t('programmes.yearHint')} value={str(values.firstFiscalYear)} errors={errors} maxlength={20} />
        <TextField t={t} name="lastFiscalYear" label={labels.lastFiscalYear} hint={`${t('programmes.closeHint')} ${t('programmes.yearHint')}`} value={str(values.lastFiscalYear)} errors={errors} maxlength={20} />
        <TextArea t={t} name="description" label={t('field.description')} value={str(values.description)} errors={errors} maxlength={4000} />
        <button type="submit" class="button">
          {id ? t('common.save') : t('common.create')}
        </button>
      </form>
    </>
  );
}
