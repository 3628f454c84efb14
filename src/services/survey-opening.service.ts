import { formatTokyo } from '../domain/calendar.js';
import { surveyCopyRepository } from '../db/repositories/survey-copy.repository.js';
import { surveyRepository } from '../db/repositories/survey.repository.js';
import { translator } from '../i18n/index.js';
import { audit } from './audit.service.js';
import type { AppContext } from './context.js';
import { enqueueMail } from './mail.service.js';

/**
 * A survey copied with its offering into another year (offering-copy.service.ts) is made before anyone
 * is confirmed, so it invites nobody when it is made. Once it opens, this invites its audience, the
 * offering's confirmed participants at that moment, and mails them, as a survey made on the day would.
 * Run on a schedule with the other survey jobs; each survey is invited once, whichever instance runs
 * first (an invitation already there is not made or mailed again).
 */
export async function inviteOpenedSurveys(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const due = await surveyCopyRepository.openedWithoutInvitations(ctx.db, now);
  let invited = 0;
  for (const s of due) {
    invited += await ctx.db.transaction().execute(async (trx) => {
      const audience = (await surveyRepository.confirmedParticipants(trx, s.offering_id!)).map((r) => r.person_id);
      const added = await surveyRepository.invite(trx, s.id, audience, now);
      if (!added.length) return 0;
      const people = await surveyRepository.activePeople(
        trx,
        added.map((a) => a.person_id),
      );
      for (const p of people) {
        const lang = p.locale === 'en' ? 'en' : 'ja';
        const t = translator(lang);
        await enqueueMail(trx, ctx, {
          to: p.email,
          subject: t('mail.surveySubject', { title: s.title }),
          body: t('mail.surveyBody', {
            name: p.name,
            title: s.title,
            closes: formatTokyo(s.closes_at, lang, 'datetime'),
            anonymity: t(s.anonymous ? 'survey.anonymousNote' : 'survey.namedNote'),
            url: `${ctx.config.baseUrl}/surveys/${s.id}`,
          }),
        });
      }
      await audit(trx, ctx, null, 'invite', 'survey', s.id, undefined, { invited: added.length });
      return added.length;
    });
  }
  if (invited) ctx.kickOutbox();
  return invited;
}
