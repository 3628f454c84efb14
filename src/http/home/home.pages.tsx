import { homeTasks, publicHome } from '../../services/home.service.js';
import { noticeFrom, page } from '../page.js';
import type { Router } from '../router.js';
import { HomeView, PublicHomeView } from './home.views.js';

export function registerHomePages(r: Router) {
  // Public: a logged-out visitor sees the schedule, certificate verification and the login; a
  // signed-in person sees what to do now, per role held. (While nobody exists, app.tsx sends / to /setup.)
  r.get('/', 'public', async (c) => {
    const user = c.get('user');
    const t = c.get('t');
    const lang = c.get('lang');
    const ctx = c.get('ctx');
    if (!user) {
      const home = await publicHome(ctx);
      return page(c, t('home.public.title'), <PublicHomeView t={t} lang={lang} prefecture={ctx.config.prefectureName} home={home} />, { notice: noticeFrom(c) });
    }
    const task = await homeTasks(ctx, user);
    return page(c, t('home.title'), <HomeView t={t} lang={lang} user={user} task={task} />, { notice: noticeFrom(c) });
  });
}
