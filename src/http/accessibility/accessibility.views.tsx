import { formatWareki } from '../../domain/calendar.js';
import type { Lang, MessageKey, Translate } from '../../i18n/index.js';
import { DataTable } from '../views/components.js';
import type { AccessibilityReport, CriterionResult, Note, TestedPage } from './presenter.js';
import type { ManualCheck } from './schema.js';

type P = { t: Translate; lang: Lang };

const scName = (t: Translate, id: string) => t(`accessibility.sc.${id}` as MessageKey);
const day = (lang: Lang, date: string) => formatWareki(date, lang);

/** The 試験結果 in the order of JIS X 8341-3:2016 附属書 JB.3.1: the statement, the method, the criteria, the pages. */
export function AccessibilityView(p: P & { report: AccessibilityReport | null; baseUrl: string }) {
  const { t, lang, report: r } = p;
  if (!r) return <p>{t('accessibility.none')}</p>;
  return (
    <>
      <p>{t('accessibility.lead')}</p>
      <h2>{t('accessibility.facts')}</h2>
      <dl class="meta">
        <dt>{t('accessibility.standard')}</dt>
        <dd>JIS X 8341-3:2016</dd>
        <dt>{t('accessibility.target')}</dt>
        <dd>{t('accessibility.targetValue')}</dd>
        <dt>{t('accessibility.claim')}</dt>
        <dd>
          <strong>{t(r.claim === 'full' ? 'accessibility.claimFull' : 'accessibility.claimPartial')}</strong>
          {r.claim === 'partial' ? <p class="hint">{t('accessibility.claimPartialWhy')}</p> : null}
          <p class="hint">{t('accessibility.claimNote')}</p>
        </dd>
        <dt>{t('accessibility.scope')}</dt>
        <dd>{t('accessibility.scopeValue')}</dd>
        <dt>{t('accessibility.technologies')}</dt>
        <dd>{t('accessibility.technologiesValue')}</dd>
        <dt>{t('accessibility.selection')}</dt>
        <dd>{t('accessibility.selectionValue', { pages: r.pages.length, urls: r.distinctUrls })}</dd>
        <dt>{t('accessibility.period')}</dt>
        <dd>{r.period ? t('accessibility.periodValue', { from: day(lang, r.period.from), to: day(lang, r.period.to) }) : '－'}</dd>
        <dt>{t('accessibility.tool')}</dt>
        <dd>{t('accessibility.toolValue', { tool: r.tool })}</dd>
      </dl>

      <h2>{t('accessibility.method')}</h2>
      <ul>
        <li>{t('accessibility.methodAuto')}</li>
        <li>{t('accessibility.methodKeyboard')}</li>
        <li>{t('accessibility.methodManual')}</li>
      </ul>

      <h2>{t('accessibility.summary')}</h2>
      <p id="accessibility-summary">
        {t('accessibility.summaryValue', { pass: r.counts.pass, fail: r.counts.fail, na: r.counts.na, untested: r.counts.untested, total: r.criteria.length })}
      </p>

      <h2>{t('accessibility.criteria')}</h2>
      <p class="hint">{t('accessibility.criteriaNote')}</p>
      <CriteriaTable t={t} lang={lang} rows={r.criteria} />

      <h2>{t('accessibility.manual')}</h2>
      <ManualList t={t} lang={lang} rows={r.manual} />

      <h2>{t('accessibility.pages')}</h2>
      {/* A long list: folded, so that the criteria stay within reach on a phone (opens without JavaScript). */}
      <details>
        <summary>{t('accessibility.pagesShow', { n: r.pages.length })}</summary>
        <PagesTable t={t} rows={r.pages} baseUrl={p.baseUrl} />
      </details>
    </>
  );
}

/** A note; a check of the manual list links to its row there. */
function NoteText(p: P & { note: Note }) {
  const n = p.note;
  if ('check' in n) return <a href={`#check-${n.check}`}>{p.t('accessibility.note.check', { n: n.check, result: p.t(`accessibility.result.${n.result}`) })}</a>;
  return <>{p.t(n.key, n.params)}</>;
}

function CriteriaTable(p: P & { rows: CriterionResult[] }) {
  const { t } = p;
  return (
    <DataTable
      t={t}
      caption={t('accessibility.criteria')}
      captionHidden
      class="accessibility-criteria"
      rowId={(c) => `sc-${c.id.replaceAll('.', '-')}`}
      columns={[
        {
          key: 'criterion',
          label: t('accessibility.col.criterion'),
          rowHeader: true,
          cell: (c) => (
            <>
              {`${c.id} ${scName(t, c.id)}`}
              {c.since === '2.1' ? <span class="badge">{t('accessibility.std.wcag21')}</span> : null}
            </>
          ),
        },
        { key: 'level', label: t('accessibility.col.level'), cell: (c) => c.level },
        {
          key: 'result',
          label: t('accessibility.col.result'),
          cell: (c) => (c.verdict === 'fail' ? <strong>{t('accessibility.result.fail')}</strong> : t(`accessibility.result.${c.verdict}`)),
        },
        { key: 'method', label: t('accessibility.col.method'), cell: (c) => (c.by.length ? c.by.map((b) => t(`accessibility.by.${b}`)).join(t('common.listSep')) : t('accessibility.by.none')) },
        {
          key: 'note',
          label: t('accessibility.col.note'),
          cell: (c) =>
            c.notes.length === 1 ? (
              <NoteText t={t} lang={p.lang} note={c.notes[0]!} />
            ) : (
              <ul>
                {c.notes.map((n) => (
                  <li>
                    <NoteText t={t} lang={p.lang} note={n} />
                  </li>
                ))}
              </ul>
            ),
        },
      ]}
      rows={p.rows}
    />
  );
}

/** The checks done other than by axe, each under its own heading (the criteria table links to them). */
function ManualList(p: P & { rows: readonly ManualCheck[] }) {
  const { t } = p;
  return (
    <>
      {p.rows.map((m, i) => (
        <section aria-labelledby={`check-${i + 1}`}>
          <h3 id={`check-${i + 1}`}>{t('accessibility.checkHeading', { n: i + 1, criteria: m.criteria.join(t('common.listSep')) })}</h3>
          <p>{m.check[p.lang]}</p>
          <dl class="meta">
            <dt>{t('accessibility.col.method')}</dt>
            <dd>{t(m.by === 'hand' ? 'accessibility.by.hand' : 'accessibility.by.browserTest')}</dd>
            <dt>{t('accessibility.col.result')}</dt>
            <dd>{m.result === 'fail' ? <strong>{t('accessibility.result.fail')}</strong> : t(`accessibility.result.${m.result}`)}</dd>
            <dt>{t('accessibility.col.date')}</dt>
            <dd>{day(p.lang, m.date)}</dd>
          </dl>
        </section>
      ))}
    </>
  );
}

function PagesTable(p: { t: Translate; rows: TestedPage[]; baseUrl: string }) {
  const { t } = p;
  return (
    <DataTable
      t={t}
      caption={t('accessibility.pages')}
      captionHidden
      class="accessibility-pages"
      columns={[
        { key: 'no', label: t('accessibility.col.no'), numeric: true, cell: (r) => String(p.rows.indexOf(r) + 1) },
        { key: 'title', label: t('accessibility.col.page'), rowHeader: true, cell: (r) => r.title },
        { key: 'url', label: t('accessibility.col.url'), cell: (r) => `${p.baseUrl}${r.path}` },
        { key: 'viewport', label: t('accessibility.col.viewport'), cell: (r) => r.viewport.replace('x', '×') },
        { key: 'result', label: t('accessibility.col.pageResult'), cell: (r) => (r.violations ? <strong>{t('accessibility.pageViolations', { n: r.violations })}</strong> : t('accessibility.pageOk')) },
      ]}
      rows={p.rows}
    />
  );
}
