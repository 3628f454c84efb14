import type { Offering } from '../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { FormBody } from '../forms.js';
import { CheckboxGroup, CsrfField, DataTable, TextField } from '../views/components.js';
import { answersOf, QuestionFields } from '../views/offering-facts.js';
import type { ProxyState } from './proxy.pages.js';

const str = (v: FormBody[string] | undefined) => (typeof v === 'string' ? v : '');
type Person = NonNullable<ProxyState['chosen']>;
/** 氏名（所属・職員番号）: how a person is told apart from namesakes. */
const whoIs = (t: Translate, p: Pick<Person, 'name' | 'unit_name' | 'staff_number'>) => `${p.name}（${[p.unit_name ?? t('offerings.proxyNoUnit'), p.staff_number ? `${t('field.staffNumber')} ${p.staff_number}` : ''].filter(Boolean).join('・')}）`;

/**
 * 代理申込 (issue 16 §2.3): find the person by name, フリガナ or 職員番号 (a GET search listing the
 * matches with 所属 and 職員番号, each with its own button carrying the person's id), or give the exact
 * email address. For an offering with questions, choosing a person leads to the answers (or
 * 「本人が後から回答」). Works without JavaScript.
 */
export function ProxySection(p: { t: Translate; csrf: string; o: Offering; proxy: ProxyState; applied: Map<number, string>; values: FormBody; errors: FieldErrors | null }) {
  const { t, o, proxy, values, errors } = p;
  const id = o.id;
  const pending = (
    <CheckboxGroup t={t} name="answersPending" label={t('field.answersPending')} values={values.answersPending ? ['on'] : []} errors={errors} options={[{ value: 'on', label: t('applications.answersPendingOption') }]} />
  );
  const again = `/admin/offerings/${id}/applications?${new URLSearchParams({ who: proxy.who })}#proxy`;
  return (
    <section id="proxy" aria-labelledby="proxy-title">
      <h2 id="proxy-title">{t('offerings.proxy')}</h2>
      {proxy.chosen && o.questions.length ? (
        // Chosen from the search, for an offering with questions: the answers, or 「本人が後から回答」.
        <form method="post" action={`/admin/offerings/${id}/proxy`} novalidate>
          <CsrfField token={p.csrf} />
          <p>{t('offerings.proxyFor', { person: whoIs(t, proxy.chosen) })}</p>
          <input type="hidden" name="personId" value={String(proxy.chosen.id)} />
          <input type="hidden" name="who" value={proxy.who} />
          <input type="hidden" name="answerStep" value="1" />
          <p class="hint">{t('applications.proxyQuestionsHint')}</p>
          <QuestionFields t={t} questions={o.questions} errors={errors} values={answersOf(values)} />
          {pending}
          <p class="actions">
            <button type="submit" class="button">
              {t('offerings.proxySubmit')}
            </button>{' '}
            <a class="button button--secondary" href={again}>
              {t('offerings.proxyChooseAgain')}
            </a>
          </p>
        </form>
      ) : (
        <>
          <form method="get" action={`/admin/offerings/${id}/applications#proxy`} class="filters" role="search" aria-labelledby="proxy-title">
            <TextField t={t} plain name="who" type="search" label={t('offerings.proxySearch')} hint={t('offerings.proxySearchHint')} value={proxy.who} maxlength={100} />
            <button type="submit" class="button">
              {t('offerings.proxySearchSubmit')}
            </button>
          </form>
          {proxy.matches ? (
            proxy.matches.length ? (
              <>
                <DataTable
                  t={t}
                  caption={proxy.more ? t('offerings.proxyMatchesMore', { who: proxy.who, shown: proxy.matches.length, total: proxy.total }) : t('offerings.proxyMatches', { who: proxy.who, count: proxy.matches.length })}
                  rows={proxy.matches}
                  columns={[
                    {
                      key: 'name',
                      label: t('field.name'),
                      rowHeader: true,
                      cell: (m) => (
                        <>
                          {m.name}
                          <br />
                          <span class="kana">{m.kana}</span>
                        </>
                      ),
                    },
                    { key: 'staffNumber', label: t('field.staffNumber'), cell: (m) => m.staff_number ?? '—' },
                    { key: 'unit', label: t('field.unit'), cell: (m) => m.unit_name ?? '—' },
                    {
                      key: 'apply',
                      label: t('offerings.proxy'),
                      cell: (m) =>
                        p.applied.has(m.id) ? (
                          t('offerings.proxyAlready', { status: t(`status.${p.applied.get(m.id) as 'applied'}`) })
                        ) : (
                          <form method="post" action={`/admin/offerings/${id}/proxy`}>
                            <CsrfField token={p.csrf} />
                            <input type="hidden" name="personId" value={String(m.id)} />
                            <input type="hidden" name="who" value={proxy.who} />
                            <button type="submit" class="button button--small">
                              {o.questions.length ? t('offerings.proxyChoose') : t('offerings.proxySubmit')}
                              <span class="visually-hidden">（{whoIs(t, m)}）</span>
                            </button>
                          </form>
                        ),
                    },
                  ]}
                />
                {proxy.more ? <p class="hint">{t('offerings.proxyNarrow')}</p> : null}
              </>
            ) : (
              <p role="status">{t('offerings.proxyNoMatch', { who: proxy.who })}</p>
            )
          ) : null}
          <h3>{t('offerings.proxyByEmail')}</h3>
          <form method="post" action={`/admin/offerings/${id}/proxy`} novalidate>
            <CsrfField token={p.csrf} />
            <TextField t={t} name="email" type="email" label={t('field.email')} errors={errors} required value={str(values.email)} />
            {o.questions.length ? (
              <>
                <p class="hint">{t('applications.proxyQuestionsHint')}</p>
                <QuestionFields t={t} questions={o.questions} errors={errors} values={answersOf(values)} />
                {pending}
              </>
            ) : null}
            <button type="submit" class="button button--secondary">
              {t('offerings.proxySubmit')}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
