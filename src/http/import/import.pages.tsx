import type { FieldErrors } from '../../lib/validation.js';
import {
  discardImport,
  getImportJob,
  getImportStatus,
  type ImportKind,
  importProgress,
  previewImport,
  previewRosterImport,
  recentImports,
  startImport,
} from '../../services/import.service.js';
import { rosterTarget } from '../../services/import-roster.service.js';
import { importTemplate } from '../../services/import-template.service.js';
import { IMPORT_KINDS } from '../../services/import-columns.js';
import { invalid } from '../../services/context.js';
import { formAction, toId } from '../forms.js';
import { noticeFrom, page } from '../page.js';
import type { Ctx, Router } from '../router.js';
import { ImportJobView, ImportRunningView } from './import-job.views.js';
import { ImportsListView, UploadView } from './import.views.js';

/** Seconds between refreshes of a running import's page. */
const REFRESH = 2;

export function registerImportPages(r: Router) {
  r.get('/admin/imports', ['admin'], async (c) => {
    const t = c.get('t');
    const jobs = await recentImports(c.get('ctx'));
    return page(c, t('imports.title'), <ImportsListView t={t} lang={c.get('lang')} jobs={jobs} />, {
      crumbs: [{ label: t('nav.home'), href: '/' }, { label: t('imports.title') }],
      notice: noticeFrom(c),
    });
  });

  // A template to fill in, per kind: /admin/imports/templates/people.xlsx or people.csv.
  r.get('/admin/imports/templates/:file', ['admin'], async (c) => {
    const m = /^([a-z]+)\.(xlsx|csv)$/.exec(c.req.param('file') ?? '');
    const kind = IMPORT_KINDS.find((k) => k === m?.[1]);
    if (!m || !kind) return c.notFound();
    const out = await importTemplate(kind, m[2] as 'xlsx' | 'csv', c.get('t'));
    return c.body(out.body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': out.contentType,
      'Content-Disposition': `attachment; filename="${out.filename}"`,
      'Cache-Control': 'no-store',
    });
  });

  const kindOf = (c: Ctx): ImportKind => IMPORT_KINDS.find((k) => k === c.req.query('kind')) ?? 'people';
  const uploadForm = async (c: Ctx, kind: ImportKind, errors: FieldErrors | null = null) => {
    const t = c.get('t');
    const offering = kind === 'roster' ? await rosterTarget(c.get('ctx'), toId(c.req.query('offering'))) : undefined;
    const title = kind === 'roster' ? t('imports.roster.title') : t('imports.newTitle', { kind: t(`imports.kind.${kind}`) });
    const crumbs = [
      { label: t('nav.home'), href: '/' },
      ...(offering ? [{ label: offering.title, href: `/admin/offerings/${offering.id}` }] : []),
      { label: t('imports.title'), href: '/admin/imports' },
      { label: title },
    ];
    return page(c, title, <UploadView t={t} csrf={c.get('csrf')} kind={kind} offering={offering ?? null} errors={errors} />, { crumbs, status: errors ? 422 : 200 });
  };
  r.get('/admin/imports/new', ['admin'], (c) => uploadForm(c, kindOf(c)));
  r.post('/admin/imports', ['admin'], (c) => {
    const kind = kindOf(c);
    return formAction(c, {
      run: async (body) => {
        const file = body.file;
        if (!(file instanceof File) || file.size === 0) throw invalid({ file: { key: 'error.importFile' } });
        const bytes = new Uint8Array(await file.arrayBuffer());
        const ctx = c.get('ctx');
        if (kind !== 'roster') return previewImport(ctx, c.get('user')!, kind, file.name, bytes);
        const offering = await rosterTarget(ctx, toId(c.req.query('offering')));
        if (!offering) throw invalid({ offering: { key: 'error.offeringNotFound' } });
        return previewRosterImport(ctx, c.get('user')!, offering.id, file.name, bytes);
      },
      invalid: (_body, errors) => uploadForm(c, kind, errors),
      done: (job) => `/admin/imports/${job.id}`,
    });
  });

  r.get('/admin/imports/:id', ['admin'], async (c) => {
    const t = c.get('t');
    const ctx = c.get('ctx');
    const id = toId(c.req.param('id'));
    const status = await getImportStatus(ctx, id);
    if (!status) return c.notFound();
    const offering = status.offering_id ? await rosterTarget(ctx, status.offering_id) : undefined;
    const crumbs = [
      { label: t('nav.home'), href: '/' },
      ...(offering ? [{ label: offering.title, href: `/admin/offerings/${offering.id}` }] : []),
      { label: t('imports.title'), href: '/admin/imports' },
      { label: `#${status.id}` },
    ];
    if (status.status === 'running') {
      // Refreshes itself without JavaScript (the header, and the page's own meta element), unless the
      // reader turned that off with the page's first link (?refresh=off).
      const refresh = c.req.query('refresh') === 'off' ? null : REFRESH;
      if (refresh) c.header('Refresh', String(refresh));
      c.header('Cache-Control', 'no-store');
      return page(c, t('imports.runningTitle'), <ImportRunningView t={t} id={status.id} filename={status.filename} processed={importProgress(status)} total={status.total_rows} refresh={refresh} />, { crumbs });
    }
    const job = await getImportJob(ctx, id);
    if (!job) return c.notFound();
    // A job no longer waiting for a decision is not a check: its page is the import's result.
    return page(c, t(job.status === 'preview' ? 'imports.previewTitle' : 'imports.resultTitle'), <ImportJobView t={t} csrf={c.get('csrf')} job={job} offering={offering ?? null} />, { crumbs });
  });
  r.post('/admin/imports/:id/apply', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: async () => {
        const started = await startImport(c.get('ctx'), c.get('user')!, id);
        // Small files finish within the request; large ones continue and the page shows progress.
        await Promise.race([started.finished, new Promise((r) => setTimeout(r, 1500))]);
      },
      // Already applied, running or discarded (another tab): the job's page says which.
      invalid: () => c.redirect(`/admin/imports/${id}`, 303),
      done: () => `/admin/imports/${id}`,
    });
  });
  r.post('/admin/imports/:id/discard', ['admin'], (c) => {
    const id = toId(c.req.param('id'));
    return formAction(c, {
      run: () => discardImport(c.get('ctx'), id),
      invalid: () => c.redirect(`/admin/imports/${id}`, 303),
      done: () => '/admin/imports?notice=imports.discarded',
    });
  });
}
