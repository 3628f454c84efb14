// A fresh PGlite data directory starts as a copy of a migrated template (issue 18 §5).
//
// Creating a PGlite data directory runs PostgreSQL's initdb in WebAssembly and then every migration:
// 5–6 s of a first start on a quiet machine. Both give the same files on every machine for the same
// PGlite build and the same migrations, so the first fresh start on a machine builds them once into
// node_modules/.cache/kyodo/ (beside the installed packages, like other tools' caches), and every fresh
// data directory after that is a file copy of it, which PGlite then opens as it opens a restart.
//
// The template is keyed by PGlite's version, the extensions and every migration's name and code: a
// changed migration list never meets an old template. It holds only what the migrations write on an
// empty database (no migration generates per-installation secrets; one that did would have to run
// after the copy instead). Anything that goes wrong here (no cache directory, a read-only
// installation, a copy that fails) falls back to creating the data directory as before.
import { createHash } from 'node:crypto';
import { constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';

const require = createRequire(import.meta.url);

/** PGlite's package directory and version, found from where Node resolves it. */
function pgliteInstall(): { nodeModules: string; version: string } | null {
  try {
    const entry = require.resolve('@electric-sql/pglite');
    const marker = `${sep}node_modules${sep}`;
    const i = entry.lastIndexOf(marker);
    if (i < 0) return null;
    const nodeModules = entry.slice(0, i + marker.length - 1);
    const { version } = JSON.parse(readFileSync(join(nodeModules, '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string };
    return { nodeModules, version };
  } catch {
    return null;
  }
}

/** Where templates are kept (node_modules/.cache/kyodo), or null when PGlite's installation is not found. */
export function templateCacheDir(): string | null {
  const install = pgliteInstall();
  return install ? join(install.nodeModules, '.cache', 'kyodo') : null;
}

/** The template's name for this PGlite build, these extensions and these migrations (their names and code). */
export function templateKey(parts: { extensions: string[]; migrations: string }): string | null {
  const install = pgliteInstall();
  if (!install) return null;
  const h = createHash('sha256').update(`kyodo-pglite-template 1\n${install.version}\n${parts.extensions.join(',')}\n${parts.migrations}`).digest('hex');
  return `pglite-${install.version}-${h.slice(0, 16)}`;
}

/** Whether a PGlite data directory is still to be created (absent or empty). */
export function isFreshDataDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}

/** Templates of other keys left by earlier versions: removed when a new one is kept (after an hour, so that none in use goes). */
function pruneOthers(cache: string, keep: string): void {
  for (const name of readdirSync(cache)) {
    if (name === keep || !name.startsWith('pglite-')) continue;
    try {
      if (Date.now() - statSync(join(cache, name)).mtimeMs > 3_600_000) rmSync(join(cache, name), { recursive: true, force: true });
    } catch {
      /* another process removed it */
    }
  }
}

/**
 * Copies a data directory (about 1,300 files, 40 MB): asynchronously (`cpSync` held the event loop for
 * 2 s under load), and as a copy-on-write clone where the file system offers one.
 */
function copyDir(from: string, to: string): Promise<void> {
  return cp(from, to, { recursive: true, mode: constants.COPYFILE_FICLONE });
}

export type TemplateOutcome = 'copied' | 'built' | 'none';

/**
 * Fills the fresh data directory `pgDir` from the template `key`, building the template first when this
 * installation has none: `build(dir)` must create a PGlite data directory in `dir`, migrate it and
 * close it. `where`: the configured template directory (KYODO_PGLITE_TEMPLATE_DIR; null: the default, 'off':
 * none). Returns how `pgDir` was filled, or 'none' (and `pgDir` left as it was) when no template
 * could be used; the caller then creates the data directory itself.
 */
export async function fillFromTemplate(
  pgDir: string,
  key: string | null,
  build: (dir: string) => Promise<void>,
  where: string | null = null,
): Promise<TemplateOutcome> {
  const cache = where === 'off' ? null : (where ?? templateCacheDir());
  if (!cache || !key) return 'none';
  const template = join(cache, key);
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const copy = `${pgDir}.copy-${tag}`;
  try {
    if (!existsSync(join(template, 'PG_VERSION'))) {
      mkdirSync(cache, { recursive: true });
      // Built beside the data directory (same file system: the data directory is then a rename away),
      // then copied into the cache under a temporary name and renamed there: a template is complete or absent.
      const staging = `${pgDir}.build-${tag}`;
      rmSync(staging, { recursive: true, force: true });
      try {
        await build(staging);
        const pending = `${template}.pending-${tag}`;
        await copyDir(staging, pending);
        try {
          renameSync(pending, template);
          pruneOthers(cache, key);
        } catch {
          rmSync(pending, { recursive: true, force: true }); // another process kept the same template first
        }
        if (existsSync(pgDir)) rmSync(pgDir, { recursive: true }); // empty (checked by the caller)
        renameSync(staging, pgDir);
        return 'built';
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    }
    await copyDir(template, copy);
    if (existsSync(pgDir)) rmSync(pgDir, { recursive: true }); // empty (checked by the caller)
    renameSync(copy, pgDir);
    return 'copied';
  } catch {
    return 'none';
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
