import type { FieldErrors } from '../../lib/validation.js';
import { discardImport, getImportJob, type ImportKind, importProgress, previewImport, recentImports, startImport } from '../../services/import.service.js';
import { invalid } from '../../services/context.js';
import { formAction, toId } from '../forms.js';
import { noticeFrom, page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { ImportJobView, ImportRunningView } from './import-job.views.js';
import { ImportsListView, UploadView } from './import.views.js';

export function registerImportPages(r: Router) {
  r.get('/admin/imports', ['admin'], async (c) => {
    const t = c.get('t');
    const jobs = await recentImports(c.get('ctx'));
    return page(c, t('imports.title'), <ImportsListView t={t} lang={c.get('lang')} jobs={jobs} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('imports.title') }],
      notice: noticeFrom(c),
    });
  });

  const uploadForm = (c: Ctx, kind: ImportKind, errors: FieldErrors | null = null) => {
    const t = c.get('t');
    const title = t('imports.newTitle', { kind: t(`imports.kind.${kind}`) });
    return page(c, title, <UploadView t={t} csrf={c.get('csrf')} kind={kind} errors={errors} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('imports.title'), href: '/admin/imports' }, { label: title }],
      status: errors ? 422 : 200,
    });
  };
  const kindOf = (c: Ctx): ImportKind => (['units', 'history', 'partners'] as const).find((k) => k === c.req.query('kind')) ?? 'people';
  r.get('/admin/imports/new', ['admin'], (c) => uploadForm(c, kindOf(c)));
  r.post('/admin/imports', ['admin'], (c) => {
    const kind = kindOf(c);
    return formAction(c, {
      run: async (body) => {
        const file = body.file;
        if (!(file instanceof File) || file.size === 0) throw invalid({ file: { key: 'error.importFile' } });
        return previewImport(c.get('ctx'), c.get('user')!, kind, file.name, new Uint8Array(await file.arrayBuffer()));
      },
      invalid: (_body, errors) => uploadForm(c, kind, errors),
      done: (job) => `/admin/imports/${job.id}`,
    });
  });

  r.get('/admin/imports/:id', ['admin'], async (c) => {
    const t = c.get('t');
    const job = await getImportJob(c.get('ctx'), toId(c.req.param('id')));
    if (!job) return c.notFound();
    const crumbs = [{ label: t('nav.home'), href: '/' }, { label: t('imports.title'), href: '/admin/imports' }, { label: `#${job.id}` }];
    if (job.status === 'running') {
      c.header('Refresh', '1');
      return page(c, t('imports.previewTitle'), <ImportRunningView t={t} processed={importProgress(job)} total={job.total_rows} />, { crumbs });
    }
    return page(c, t('imports.previewTitle'), <ImportJobView t={t} csrf={c.get('csrf')} job={job} />, { crumbs });
  });
  r.post('/admin/imports/:id/apply', ['admin'], async (c) => {
    const id = toId(c.req.param('id'));
    const started = await startImport(c.get('ctx'), c.get('user')!, id);
    // Small files finish within the request; large ones continue and the page shows progress.
    await Promise.race([started.finished, new Promise((r) => setTimeout(r, 1500))]);
    return c.redirect(`/admin/imports/${id}`, 303);
  });
  r.post('/admin/imports/:id/discard', ['admin'], async (c) => {
    await discardImport(c.get('ctx'), toId(c.req.param('id')));
    return c.redirect('/admin/imports?notice=imports.discarded', 303);
  });
}
