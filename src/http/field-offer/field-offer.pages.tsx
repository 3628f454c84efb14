import type { FieldErrors } from '../../lib/validation.js';
import { sessionWarnings } from '../../services/offering.service.js';
import { acceptOffer, declineOffer, listOffers, offeringChoices, previewAcceptOffer, previewDeclineOffer } from '../../services/partner.service.js';
import { type FormBody, formAction, readForm, submit, toId } from '../forms.js';
import { page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { AcceptConfirmView, DeclineConfirmView, OffersView } from './field-offer.views.js';

/** The admin's field-training offers: each is accepted as a field session of an offering, or declined. */
export function registerFieldOfferPages(r: Router) {
  const crumbs = (c: Ctx, last: string) => [{ label: c.get('t')('nav.home'), href: '/' }, { label: c.get('t')('nav.fieldOffers'), href: '/admin/field-offers' }, { label: last }];

  /** `failed`: the offer whose form was refused, with what was sent, so that its errors show at its own fields. */
  const offersPage = async (c: Ctx, errors: FieldErrors | null = null, notice: string | null = null, failed: { id: number; values: FormBody } | null = null) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const offers = await listOffers(ctx);
    const choices = await offeringChoices(ctx, offers);
    return page(c, t('nav.fieldOffers'), <OffersView t={t} lang={c.get('lang')} csrf={c.get('csrf')} offers={offers} choices={choices} errors={errors} failed={failed} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('partners.title'), href: '/admin/partners' }, { label: t('nav.fieldOffers') }],
      notice,
      status: errors ? 422 : 200,
    });
  };
  const offersNotice = (c: Ctx) => {
    const n = c.req.query('notice');
    return n === 'scheduled' ? c.get('t')('offer.scheduled') : n === 'declined' ? c.get('t')('offer.declined') : null;
  };
  r.get('/admin/field-offers', ['admin'], (c) => offersPage(c, null, offersNotice(c)));

  /** Accepting asks first: what is scheduled, who is mailed, whether it is published, who the roster lists. */
  const acceptConfirm = async (c: Ctx, offerId: number, form: FormBody) => {
    const t = c.get('t');
    const p = await previewAcceptOffer(c.get('ctx'), offerId, form);
    const warnings = sessionWarnings({ starts_at: p.starts, ends_at: p.endsAt }, c.get('lang'));
    return page(c, t('offer.confirmTitle'), <AcceptConfirmView t={t} lang={c.get('lang')} csrf={c.get('csrf')} offerId={offerId} p={p} warnings={warnings} />, { crumbs: crumbs(c, t('offer.confirmTitle')) });
  };
  /** Declining mails the partner and cannot be undone: it asks first. */
  const declineConfirm = async (c: Ctx, offerId: number, form: FormBody) => {
    const t = c.get('t');
    const p = await previewDeclineOffer(c.get('ctx'), offerId, form);
    return page(c, t('offer.declineConfirmTitle'), <DeclineConfirmView t={t} csrf={c.get('csrf')} offerId={offerId} p={p} />, { crumbs: crumbs(c, t('offer.declineConfirmTitle')) });
  };

  /** The first post only asks (nothing is written); the one with confirm=yes acts and redirects. */
  const confirmThenAct = async <T,>(c: Ctx, ask: (c: Ctx, id: number, form: FormBody) => Promise<Response>, act: (id: number, form: FormBody) => Promise<T>, done: string) => {
    const id = toId(c.req.param('id'));
    const failed = (form: FormBody) => (errors: FieldErrors) => offersPage(c, errors, null, { id, values: form });
    const form = await readForm(c);
    if (form.confirm !== 'yes') {
      const res = await submit(() => ask(c, id, form), failed(form));
      return res.ok ? res.value : res.response;
    }
    return formAction(c, { run: (body) => act(id, body), invalid: (body, errors) => failed(body)(errors), done: () => done });
  };
  r.post('/admin/field-offers/:id/accept', ['admin'], (c) => confirmThenAct(c, acceptConfirm, (id, form) => acceptOffer(c.get('ctx'), c.get('user'), id, form), '/admin/field-offers?notice=scheduled'));
  r.post('/admin/field-offers/:id/decline', ['admin'], (c) => confirmThenAct(c, declineConfirm, (id, form) => declineOffer(c.get('ctx'), c.get('user'), id, form), '/admin/field-offers?notice=declined'));
}
