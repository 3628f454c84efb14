import type { Child } from 'hono/jsx';
import type { PersonWithRoles } from '../../db/repositories/person.repository.js';
import { AFFILIATIONS, ROLES } from '../../domain/values.js';
import type { Translate } from '../../i18n/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import type { UnitPickNode } from '../../services/unit.service.js';
import { CheckboxGroup, CsrfField, ErrorSummary, SelectField, TextField } from '../views/components.js';

/** A person's form: new (with the choice to invite at once) or edit (with `extra`: status and actions). */
export function PersonFormView(p: { t: Translate; csrf: string; id: number | null; values: Partial<Record<string, unknown>>; errors: FieldErrors | null; units: readonly UnitPickNode[]; extra: Child }) {
  const { t, values, errors, id } = p;
  const roles = Array.isArray(values.roles) ? (values.roles as string[]) : values.roles ? [String(values.roles)] : ['staff'];
  return (
    <>
      <ErrorSummary t={t} errors={errors} />
      <form method="post" action={id ? `/admin/people/${id}` : '/admin/people'} novalidate>
        <CsrfField token={p.csrf} />
        <TextField t={t} name="name" label={t('field.name')} value={String(values.name ?? '')} errors={errors} required maxlength={100} />
        <TextField t={t} name="kana" label={t('field.kana')} value={String(values.kana ?? '')} errors={errors} required maxlength={100} />
        <TextField t={t} name="email" type="email" label={t('field.email')} value={String(values.email ?? '')} errors={errors} required />
        <TextField t={t} name="staffNumber" label={t('field.staffNumber')} value={String(values.staffNumber ?? '')} errors={errors} maxlength={20} />
        <TextField t={t} name="jobTitle" label={t('field.jobTitle')} value={String(values.jobTitle ?? '')} errors={errors} maxlength={100} hint={t('people.jobTitleHint')} />
        <SelectField t={t} name="unitId" label={t('field.unitId')} value={values.unitId as string} errors={errors} blank="—" options={p.units.map((u) => ({ value: u.id, label: `${'　'.repeat(u.depth)}${u.name}` }))} />
        <SelectField t={t} name="affiliation" label={t('field.affiliation')} value={(values.affiliation as string) ?? 'prefecture'} errors={errors} required options={AFFILIATIONS.map((a) => ({ value: a, label: t(`affiliation.${a}`) }))} />
        <CheckboxGroup t={t} name="roles" label={t('field.roles')} values={roles} errors={errors} options={ROLES.map((x) => ({ value: x, label: t(`role.${x}`) }))} />
        {id ? null : <CheckboxGroup t={t} name="invite" label={t('people.invite')} values={values.invite ? ['on'] : []} options={[{ value: 'on', label: t('people.inviteOnCreate') }]} />}
        <button type="submit" class="button">{id ? t('common.save') : t('common.create')}</button>
      </form>
      {p.extra}
    </>
  );
}

/** The edit page also carries the person's status and actions. */
export function PersonActions({ t, csrf, p, anonymised, mayAnonymise }: { t: Translate; csrf: string; p: PersonWithRoles; anonymised: boolean; mayAnonymise: boolean }) {
  return (
    <section class="person-actions">
      <p>
        {t('field.active')}: {t(p.active ? 'common.active' : 'common.inactive')}
      </p>
      {p.active ? (
        // Deactivating ends the person's logins (which cannot be given back): a confirmation page first.
        <form method="get" action={`/admin/people/${p.id}/deactivate`} class="inline-form">
          <button type="submit" class="button button--secondary button--danger">{t('personDeactivate.start')}</button>
        </form>
      ) : (
        <form method="post" action={`/admin/people/${p.id}/activate`} class="inline-form">
          <CsrfField token={csrf} />
          <button type="submit" class="button button--secondary">{t('common.activate')}</button>
        </form>
      )}{' '}
      {p.active ? (
        <form method="post" action={`/admin/people/${p.id}/invite`} class="inline-form">
          <CsrfField token={csrf} />
          <button type="submit" class="button button--secondary">{t('people.invite')}</button>
        </form>
      ) : null}
      <p>
        <a href={`/admin/people/${p.id}/history`}>{t('history.title')}</a> ・ <a href={`/admin/audit?entity=person&entityId=${p.id}`}>{t('audit.title')}</a>
      </p>
      {anonymised ? (
        <p>
          <strong>{t('anonymise.status')}</strong>
        </p>
      ) : mayAnonymise ? (
        <p>
          <a href={`/admin/people/${p.id}/anonymise`}>{t('anonymise.link')}</a>
        </p>
      ) : null}
    </section>
  );
}

/** Deactivating: what it does, then POST with the checkbox ticked. */
export function DeactivateView({ t, csrf, p, live, errors }: { t: Translate; csrf: string; p: PersonWithRoles; live: number; errors: FieldErrors | null }) {
  return (
    <>
      <p>
        <strong>{t('personDeactivate.lead', { name: p.name, email: p.email })}</strong>
      </p>
      {!p.active ? (
        <p>{t('common.inactive')}</p>
      ) : (
        <>
          <ul>
            <li>{t('personDeactivate.what1')}</li>
            <li>{t('personDeactivate.what2')}</li>
            <li>{t('personDeactivate.what3')}</li>
            {live ? <li>{t('personDeactivate.live', { count: live })}</li> : null}
          </ul>
          <ErrorSummary t={t} errors={errors} />
          <form method="post" action={`/admin/people/${p.id}/deactivate`} novalidate>
            <CsrfField token={csrf} />
            <CheckboxGroup t={t} name="confirmDeactivate" label={t('field.confirmDeactivate')} values={[]} errors={errors} options={[{ value: 'yes', label: t('personDeactivate.confirmLabel') }]} />
            <div class="actions">
              <button type="submit" class="button button--danger">{t('common.deactivate')}</button>{' '}
              <a class="button button--secondary" href={`/admin/people/${p.id}`}>{t('common.back')}</a>
            </div>
          </form>
        </>
      )}
    </>
  );
}
