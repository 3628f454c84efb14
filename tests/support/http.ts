import { createApp } from '../../src/http/app.js';
import { TEST_PASSWORD_HASH_N } from './db.js';
import { hashPassword } from '../../src/lib/crypto.js';
import { personRepository } from '../../src/db/repositories/person.repository.js';
import { personSearchKey } from '../../src/services/person.service.js';
import type { AppContext } from '../../src/services/context.js';
import { type Role } from '../../src/domain/values.js';

export const PASSWORD = 'correct horse 42 battery';

/** A browser-like client for in-process requests: keeps cookies and fills in the CSRF field. */
export class Agent {
  cookies = new Map<string, string>();
  constructor(
    readonly app: ReturnType<typeof createApp>['app'],
    readonly ip = '127.0.0.1',
  ) {}

  private store(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get csrf(): string {
    return this.cookies.get('kyodo_csrf') ?? '';
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await this.app.request(`http://kyodo.test${path}`, { ...init, headers, redirect: 'manual' }, {
      incoming: { socket: { remoteAddress: this.ip } },
    });
    this.store(res);
    return res;
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers });
  }

  /** Posts a form as a browser would, with the CSRF token unless `csrf: false`. */
  async post(path: string, form: Record<string, string | string[]> = {}, opts: { csrf?: boolean } = {}) {
    if (!this.csrf) await this.get('/login');
    const body = new URLSearchParams();
    if (opts.csrf !== false) body.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    return this.request(path, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  }

  async postMultipart(path: string, form: FormData) {
    if (!this.csrf) await this.get('/login');
    form.append('_csrf', this.csrf);
    return this.request(path, { method: 'POST', body: form });
  }

  async login(email: string, password = PASSWORD) {
    const res = await this.post('/login', { email, password });
    if (res.status !== 303) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    return res;
  }
}

let seq = 0;

/** Creates a person who can log in, with the given roles. */
export async function makeUser(
  ctx: AppContext,
  roles: Role[] = ['staff'],
  extra: { unitId?: number | null; email?: string; name?: string; kana?: string; affiliation?: 'prefecture' | 'municipality' | 'agency' | 'partner' } = {},
) {
  const n = ++seq;
  const email = extra.email ?? `user${n}.${roles.join('-')}@pref.example.jp`;
  const name = extra.name ?? `試験 太郎${n}`;
  const kana = extra.kana ?? `シケン タロウ`;
  const now = ctx.now();
  const p = await personRepository.insert(ctx.db, {
    name,
    kana,
    email,
    staff_number: null,
    unit_id: extra.unitId ?? null,
    affiliation: extra.affiliation ?? 'prefecture',
    search_key: personSearchKey({ name, kana, email }),
    password_hash: await cachedHash(),
    created_at: now,
    updated_at: now,
  });
  await personRepository.setRoles(ctx.db, p.id, roles);
  return p;
}

let hash: Promise<string> | null = null;
function cachedHash() {
  return (hash ??= hashPassword(PASSWORD, TEST_PASSWORD_HASH_N));
}

export function appFor(ctx: AppContext) {
  return createApp(ctx);
}
