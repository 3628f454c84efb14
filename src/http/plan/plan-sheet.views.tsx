import { formatFiscalYear } from '../../domain/calendar.js';
import type { Lang, Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { FormBody } from '../forms.js';
import { CheckboxGroup, type Column, CsrfField, DataTable, ErrorSummary, TextArea, TextField } from '../views/components.js';
import { TargetsTable } from '../views/plan-target-table.js';
import { cellText, directionTitle, figuresText, periodOf, type Sheet, type SheetMeasure, targetLines } from './presenter.js';

export const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
const paragraphs = (text: string) => text.split(/\n+/).filter(Boolean).map((p) => <p>{p}</p>);

function SheetTargets({ t, lang, s }: { t: Translate; lang: Lang; s: Sheet }) {
  const lines = targetLines(s);
  if (!lines.length) return <p>{t('plan.noTargets')}</p>;
  return <TargetsTable t={t} lang={lang} caption={t('plan.targets')} className="plan-targets" rows={lines.map(({ y, m, r }) => ({ fiscalYear: y, measure: m.label, row: r }))} />;
}

/** Section 3: each measure's row of the schedule grid, one column per year of the plan period. */
function ScheduleGrid({ t, lang, s, editable }: { t: Translate; lang: Lang; s: Sheet; editable: boolean }) {
  const columns: Column<SheetMeasure>[] = [
    { key: 'measure', label: t('plan.measure'), rowHeader: true, cell: (m) => `${m.label} ${m.measure.title}` },
    ...periodOf(s).map((y) => ({ key: `y${y}`, label: formatFiscalYear(y, lang, 'wareki'), cell: (m: SheetMeasure) => cellText(m, y) })),
  ];
  if (editable)
    columns.push({
      key: 'edit',
      label: t('common.edit'),
      cell: (m) => (
        <>
          <a href={`/admin/plan-measures/${m.measure.id}/schedule?item=${s.item.id}`} aria-label={`${t('plan.editGrid')}：${m.label}`}>
            {t('plan.editGrid')}
          </a>{' '}
          ・{' '}
          <a href={`/admin/plan-items/${s.item.id}/measures/${m.measure.id}/edit`} aria-label={`${t('plan.editMeasure')}：${m.label}`}>
            {t('plan.editMeasure')}
          </a>{' '}
          ・{' '}
          <a href={`/admin/plan-items/${s.item.id}/measures/${m.measure.id}/targets`} aria-label={`${t('plan.editTargets')}：${m.label}`}>
            {t('plan.editTargets')}
          </a>
        </>
      ),
    });
  return <DataTable t={t} caption={t('plan.section3')} class="plan-grid" stack={false} columns={columns} rows={s.measures} />;
}

/** One line of section 4: the item as a whole in a year, or one of its measures. */
type Actual = { y: number; m: SheetMeasure | null };

/** Section 4: each past year's progress, the item as a whole and then each measure with its figures. */
function Actuals({ t, lang, s, editable }: { t: Translate; lang: Lang; s: Sheet; editable: boolean }) {
  const rows: Actual[] = s.pastYears.flatMap((y) => [{ y, m: null }, ...s.measures.map((m) => ({ y, m }))]);
  const entry = (a: Actual) => s.progressOf(a.m ? a.m.measure.id : 0, a.y);
  const after = (y: number) => y > s.plan.last_fiscal_year;
  return (
    <DataTable
      t={t}
      caption={t('plan.section4')}
      class="plan-actuals"
      stack={false}
      rows={rows}
      rowClass={(a) => (!a.m && after(a.y) ? 'after-period' : undefined)}
      columns={[
        {
          key: 'fiscalYear',
          label: t('field.fiscalYear'),
          rowHeader: true,
          // The year heads its group; the measures' rows repeat it for screen readers only.
          cell: (a) =>
            a.m ? (
              <span class="visually-hidden">{formatFiscalYear(a.y, lang, 'wareki')}</span>
            ) : (
              <>
                {formatFiscalYear(a.y, lang, 'wareki')}
                {after(a.y) ? <span class="badge">{t('plan.afterPeriod')}</span> : null}
                {editable ? (
                  <>
                    <br />
                    <a href={`/admin/plan-items/${s.item.id}/progress/${a.y}`} aria-label={t('plan.editProgressOf', { fy: formatFiscalYear(a.y, lang, 'wareki') })}>
                      {t('plan.editProgress')}
                    </a>
                  </>
                ) : null}
              </>
            ),
        },
        { key: 'measure', label: t('plan.measure'), cell: (a) => (a.m ? a.m.label : t('plan.whole')) },
        {
          key: 'status',
          label: t('plan.status'),
          cell: (a) => {
            const p = entry(a);
            return p?.status ? t(`plan.status.${p.status}`) : '—';
          },
        },
        { key: 'rating', label: t('plan.rating'), cell: (a) => entry(a)?.rating ?? '—' },
        {
          key: 'results',
          label: t('plan.results'),
          cell: (a) => {
            const p = entry(a);
            if (a.m) return p?.results ?? '';
            return (
              <>
                {p?.results ?? ''}
                {p?.changes ? (
                  <>
                    <br />
                    {t('plan.changes')}：{p.changes}
                  </>
                ) : null}
                {p?.further ? (
                  <>
                    <br />
                    {t('plan.further')}：{p.further}
                  </>
                ) : null}
              </>
            );
          },
        },
        { key: 'figures', label: t('plan.figures'), cell: (a) => (a.m ? figuresText(t, a.m.figures.get(a.y)) : '') },
      ]}
    />
  );
}

/** The plan-item sheet as the paper form lays it out: sections 1–4 and the targets. */
export function SheetView({ t, lang, s, editable }: { t: Translate; lang: Lang; s: Sheet; editable: boolean }) {
  return (
    <article class="plan-sheet">
      <dl class="sheet-head">
        <dt>{t('plan.item')}</dt>
        <dd>
          {s.item.number} {s.item.title}
        </dd>
        <dt>{t('plan.owningUnits')}</dt>
        <dd>{s.item.owning_units}</dd>
      </dl>
      <h2>{t('plan.section1')}</h2>
      {paragraphs(s.item.situation)}
      <h2>{t('plan.section2')}</h2>
      <h3>{t('plan.approach')}</h3>
      {paragraphs(s.item.approach)}
      <h3>{t('plan.measures')}</h3>
      {s.measures.map((m) => (
        <>
          <p>
            <strong>
              {m.label} {m.measure.title}
              {m.repeated ? t('plan.repeated') : ''}
            </strong>
          </p>
          {paragraphs(m.measure.description)}
        </>
      ))}
      <h3>{directionTitle(t, s, lang)}</h3>
      {paragraphs(s.item.direction)}
      <h2>{t('plan.section3')}</h2>
      <ScheduleGrid t={t} lang={lang} s={s} editable={editable} />
      <h2>{t('plan.section4')}</h2>
      <Actuals t={t} lang={lang} s={s} editable={editable} />
      <h3>{t('plan.targets')}</h3>
      <SheetTargets t={t} lang={lang} s={s} />
    </article>
  );
}

/** The sheet page: the actions, the sheet and the form for a new measure. */
export function SheetPageView(p: {
  t: Translate;
  lang: Lang;
  csrf: string;
  s: Sheet;
  programmes: { id: number; name: string }[];
  siblings: { items: { id: number; number: string; title: string }[] } | null;
  errors: FieldErrors | null;
  values: FormBody;
}) {
  const { t, s, errors, values } = p;
  const id = s.item.id;
  return (
    <>
      <p class="actions no-print">
        <a class="button button--secondary" href={`/admin/plan-items/${id}/edit`}>
          {t('plan.editItem')}
        </a>{' '}
        <a class="button button--secondary" href={`/admin/plan-items/${id}/sheet.xlsx`}>
          {t('common.downloadXlsx')}
        </a>{' '}
        <a class="button button--secondary" href={`/admin/plan-items/${id}/print`}>
          {t('plan.print')}
        </a>
      </p>
      <SheetView t={t} lang={p.lang} s={s} editable />
      <section class="no-print">
        <h2>{t('plan.newMeasure')}</h2>
        <ErrorSummary t={t} errors={errors} />
        <form method="post" action={`/admin/plan-items/${id}/measures`} novalidate>
          <CsrfField token={p.csrf} />
          <TextField t={t} name="title" label={t('field.title')} value={str(values.title)} errors={errors} required maxlength={200} />
          <TextArea t={t} name="description" label={t('field.description')} value={str(values.description)} errors={errors} rows={3} />
          <CheckboxGroup t={t} name="programmeIds" label={t('plan.programmes')} values={[]} errors={errors} options={p.programmes.map((x) => ({ value: String(x.id), label: x.name }))} />
          <CheckboxGroup t={t} name="alsoItemIds" label={t('plan.alsoUnder')} values={[]} errors={errors} options={(p.siblings?.items ?? []).filter((i) => i.id !== id).map((i) => ({ value: String(i.id), label: `${i.number} ${i.title}` }))} />
          <button type="submit" class="button">
            {t('plan.addMeasure')}
          </button>
        </form>
      </section>
    </>
  );
}
