import { resolve } from 'node:path';
import { parseTrustedProxies } from '../lib/client-address.js';
import { PASSWORD_HASH_N } from '../lib/crypto.js';

/**
 * The only module that reads environment variables. Everything else receives
 * a Config object.
 */
export interface Config {
  port: number;
  host: string;
  baseUrl: string;
  /** Kyodo's data directory: PGlite files (pg/), lock file, uploads. */
  dataDir: string;
  /** When set, PostgreSQL via `pg` instead of the embedded PGlite. */
  databaseUrl: string | null;
  /** PostgreSQL: send the marked hot-path statements as named prepared statements (db/prepared.ts, decision 0029). Off for a pooler that cannot keep them. */
  databasePreparedStatements: boolean;
  /** PGlite: where the migrated template of a fresh data directory is kept (db/pglite-template.ts); null: node_modules/.cache/kyodo; 'off': none. */
  pgliteTemplateDir?: string | null;
  /** When unset, mail stays in the outbox and is shown at /admin/outbox. */
  smtpUrl: string | null;
  mailFrom: string;
  /** Secure cookies (set when served over https). */
  secureCookies: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  outboxIntervalMs: number;
  analyzeIntervalMinutes: number;
  prefectureName: string;
  /** 全国地方公共団体コード of the prefecture (6 digits with check digit), for open data. */
  prefectureCode: string;
  /** Years a coordinator certification is valid; renewed by completing a follow-up training. 0: no end. */
  coordinatorValidYears: number;
  /** Largest assignment upload, in bytes. */
  uploadMaxBytes: number;
  logLevel: LogLevel;
  /** On SIGTERM/SIGINT, how long in-flight requests may take to finish before their connections are closed. */
  shutdownTimeoutMs: number;
  /** Where pg_dump and pg_restore are (backups on PostgreSQL); null: look in the usual places. */
  pgBinDir: string | null;
  /** Reverse proxies / load balancers (addresses or CIDRs) whose X-Forwarded-For is believed. */
  trustedProxies: string[];
  /** scrypt cost for new password hashes: always PASSWORD_HASH_N (no variable sets it); the test suite's configuration lowers it. */
  passwordHashN: number;
  /** Base64 of 32 bytes: seals anonymous answers waiting for their batch (decision 0018); null: a key file in the data directory. */
  answerKey: string | null;
  /** An anonymous survey shows per-answer data only from this many answers on, and writes answers in batches of at least this many. */
  surveyMinAnswers: number;
  /** The sender printed on notices and certificates (e.g. 滋賀県知事 or 滋賀県総務部長). */
  issuerName: string;
  /** The office that sends notices (e.g. 総務部 政策研修センター). */
  issuerOffice: string;
  /** 問い合わせ先 on notices: telephone, mail address (one line). */
  issuerContact: string;
  /** The 文書番号's prefix: 協働 gives 「協働第123号」. */
  documentPrefix: string;
  /** Single sign-on with the prefecture's OpenID Connect provider (Entra ID, AD FS, Keycloak); null: off. */
  oidc: OidcConfig | null;
  /** Who may sign in with a password: everyone, or only partners (staff then sign in through the provider). */
  passwordSignIn: 'everyone' | 'partners';
  /** How administrators sign in: a password alone, a password and a TOTP code, or only through the provider. */
  adminSignIn: 'password' | 'totp' | 'sso';
}

export interface OidcConfig {
  /** The provider's issuer URL; its /.well-known/openid-configuration is read at first use. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Scopes asked for (openid always among them). */
  scopes: string[];
  /** The claim that carries the 職員番号 (e.g. employeeId); null: people are matched by email alone. */
  staffNumberClaim: string | null;
  /** The claim that carries the mail address (default email). */
  emailClaim: string;
  /** Create a person at the first sign-in of somebody unknown (default false: refused). */
  createPeople: boolean;
  /** The claim that lists the person's groups (e.g. groups); null: roles are not taken from the provider. */
  groupsClaim: string | null;
  /** Group → Kyodo role, from KYODO_OIDC_ROLE_GROUPS (admin=<group>,approver=<group>,…). */
  roleGroups: { role: SsoRole; group: string }[];
}

export const SSO_ROLES = ['admin', 'approver', 'staff', 'coordinator'] as const;
export type SsoRole = (typeof SSO_ROLES)[number];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Every problem found in the environment, each naming its variable. */
export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment and checks all of it; throws a ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const set = (name: string) => env[name] !== undefined && env[name] !== '';

  const int = (name: string, fallback: number, opts: { min?: number; max?: number } = {}): number => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const n = Number(value.trim());
    const min = opts.min ?? 0;
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || (opts.max !== undefined && n > opts.max)) {
      problems.push(`${name} must be a whole number${opts.max !== undefined ? ` from ${min} to ${opts.max}` : min > 0 ? ` of at least ${min}` : ' (0 or more)'}, got "${value}"`);
      return fallback;
    }
    return n;
  };
  const url = (name: string, protocols: string[], what: string): string | null => {
    if (!set(name)) return null;
    const value = env[name]!.trim();
    let u: URL;
    try {
      u = new URL(value);
    } catch {
      problems.push(`${name} must be ${what}, got "${redactUrl(value)}" (not a URL)`);
      return null;
    }
    if (!protocols.includes(u.protocol)) {
      problems.push(`${name} must be ${what} (${protocols.map((p) => `${p}//`).join(' or ')}), got "${redactUrl(value)}"`);
      return null;
    }
    if (!u.hostname && !(u.protocol.startsWith('postgres') && u.searchParams.get('host'))) {
      problems.push(`${name} must name a host, got "${redactUrl(value)}"`);
      return null;
    }
    return value;
  };

  const port = int('PORT', 3000, { max: 65535 });
  const host = env.HOST?.trim() || '127.0.0.1';
  if (/\s|\//.test(host)) problems.push(`HOST must be an address or host name to listen on, got "${env.HOST}"`);
  const baseUrl = (url('KYODO_BASE_URL', ['http:', 'https:'], 'an http or https URL') ?? `http://localhost:${port}`).replace(/\/$/, '');
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:'], 'a PostgreSQL URL such as postgres://user:password@host/db');
  const smtpUrl = url('SMTP_URL', ['smtp:', 'smtps:'], 'an SMTP URL such as smtp://user:password@mail.example.jp:587');
  const mailFrom = env.MAIL_FROM?.trim() || 'Kyodo <kyodo@localhost>';
  if (!/^[^<>]*<[^<>@\s]+@[^<>@\s]+>$|^[^<>@\s]+@[^<>@\s]+$/.test(mailFrom)) problems.push(`MAIL_FROM must be an address such as "Kyodo <kyodo@pref.example.jp>", got "${mailFrom}"`);
  let secureCookies = baseUrl.startsWith('https:');
  if (set('KYODO_SECURE_COOKIES')) {
    const v = env.KYODO_SECURE_COOKIES!.trim();
    if (v !== 'true' && v !== 'false') problems.push(`KYODO_SECURE_COOKIES must be true or false, got "${v}"`);
    secureCookies = v === 'true';
  }
  let logLevel: LogLevel = 'info';
  if (set('LOG_LEVEL')) {
    const v = env.LOG_LEVEL!.trim().toLowerCase();
    if ((LOG_LEVELS as readonly string[]).includes(v)) logLevel = v as LogLevel;
    else problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const proxies = parseTrustedProxies(env.KYODO_TRUSTED_PROXIES ?? '');
  for (const p of proxies.problems) problems.push(`KYODO_TRUSTED_PROXIES: ${p}`);
  const answerKey = env.KYODO_ANSWER_KEY?.trim() || null;
  if (answerKey && !(/^[A-Za-z0-9+/]{43}=$/.test(answerKey) && Buffer.from(answerKey, 'base64').length === 32))
    problems.push('KYODO_ANSWER_KEY must be 32 random bytes in base64 (e.g. the output of `openssl rand -base64 32`)');
  const prefectureCode = env.KYODO_PREFECTURE_CODE?.trim() || '250007';
  const prefectureName = env.KYODO_PREFECTURE_NAME || '滋賀県';
  const line = (name: string, fallback: string, max: number): string => {
    const value = env[name]?.trim();
    if (!value) return fallback;
    if (value.length > max || /[\u0000-\u001f\u007f]/.test(value)) {
      problems.push(`${name} must be one line of at most ${max} characters, got "${value.slice(0, 40)}"`);
      return fallback;
    }
    return value;
  };
  const issuerName = line('KYODO_ISSUER_NAME', `${prefectureName}知事`, 100);
  const issuerOffice = line('KYODO_ISSUER_OFFICE', '総務部 政策研修センター', 100);
  const issuerContact = line('KYODO_ISSUER_CONTACT', /<([^<>]+)>/.exec(mailFrom)?.[1] ?? mailFrom, 200);
  const documentPrefix = line('KYODO_DOCUMENT_PREFIX', '協働', 20);
  if (/[\s\d０-９第号]/.test(documentPrefix)) problems.push(`KYODO_DOCUMENT_PREFIX must be the prefix alone, without spaces, digits, 第 or 号 (e.g. 協働 for 「協働第123号」), got "${documentPrefix}"`);
  const oidc = oidcConfig(env, problems);
  const choice = <T extends string>(name: string, options: readonly T[], fallback: T): T => {
    const value = env[name]?.trim();
    if (!value) return fallback;
    if ((options as readonly string[]).includes(value)) return value as T;
    problems.push(`${name} must be one of ${options.join(', ')}, got "${value}"`);
    return fallback;
  };
  const databasePreparedStatements = choice('KYODO_DB_PREPARED_STATEMENTS', ['on', 'off'] as const, 'on') === 'on';
  const passwordSignIn = choice('KYODO_PASSWORD_SIGN_IN', ['everyone', 'partners'] as const, 'everyone');
  const adminSignIn = choice('KYODO_ADMIN_SIGN_IN', ['password', 'totp', 'sso'] as const, 'password');
  if (!oidc && passwordSignIn === 'partners') problems.push('KYODO_PASSWORD_SIGN_IN=partners needs single sign-on: set KYODO_OIDC_ISSUER, KYODO_OIDC_CLIENT_ID and KYODO_OIDC_CLIENT_SECRET');
  if (!oidc && adminSignIn === 'sso') problems.push('KYODO_ADMIN_SIGN_IN=sso needs single sign-on: set KYODO_OIDC_ISSUER, KYODO_OIDC_CLIENT_ID and KYODO_OIDC_CLIENT_SECRET');
  if (!/^\d{6}$/.test(prefectureCode)) problems.push(`KYODO_PREFECTURE_CODE must be a 6-digit 全国地方公共団体コード, got "${prefectureCode}"`);

  const config: Config = {
    port,
    host,
    baseUrl,
    dataDir: resolve(env.KYODO_DATA_DIR || './data'),
    databaseUrl,
    databasePreparedStatements,
    pgliteTemplateDir: env.KYODO_PGLITE_TEMPLATE_DIR?.trim() === 'off' ? 'off' : env.KYODO_PGLITE_TEMPLATE_DIR?.trim() ? resolve(env.KYODO_PGLITE_TEMPLATE_DIR.trim()) : null,
    smtpUrl,
    mailFrom,
    secureCookies,
    sessionIdleMinutes: int('KYODO_SESSION_IDLE_MINUTES', 120, { min: 1 }),
    sessionAbsoluteHours: int('KYODO_SESSION_ABSOLUTE_HOURS', 12, { min: 1 }),
    loginMaxFailures: int('KYODO_LOGIN_MAX_FAILURES', 5, { min: 1 }),
    loginLockMinutes: int('KYODO_LOGIN_LOCK_MINUTES', 15),
    outboxIntervalMs: int('KYODO_OUTBOX_INTERVAL_MS', 5000, { min: 1 }),
    analyzeIntervalMinutes: int('KYODO_ANALYZE_INTERVAL_MINUTES', 60, { min: 1 }),
    prefectureName,
    prefectureCode,
    coordinatorValidYears: int('KYODO_COORDINATOR_VALID_YEARS', 3),
    uploadMaxBytes: int('KYODO_UPLOAD_MAX_BYTES', 10 * 1024 * 1024, { min: 1 }),
    logLevel,
    shutdownTimeoutMs: int('KYODO_SHUTDOWN_TIMEOUT_MS', 10_000),
    pgBinDir: env.KYODO_PG_BIN_DIR?.trim() || null,
    trustedProxies: proxies.entries,
    passwordHashN: PASSWORD_HASH_N,
    answerKey,
    surveyMinAnswers: int('KYODO_SURVEY_MIN_ANSWERS', 5, { min: 2, max: 100 }),
    issuerName,
    issuerOffice,
    issuerContact,
    documentPrefix,
    oidc,
    passwordSignIn,
    adminSignIn,
    ...overrides,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** KYODO_OIDC_*: all three of issuer, client id and secret, or none. */
function oidcConfig(env: NodeJS.ProcessEnv, problems: string[]): OidcConfig | null {
  const get = (name: string) => env[name]?.trim() || null;
  const issuer = get('KYODO_OIDC_ISSUER');
  const clientId = get('KYODO_OIDC_CLIENT_ID');
  const clientSecret = get('KYODO_OIDC_CLIENT_SECRET');
  if (!issuer && !clientId && !clientSecret) return null;
  const missing = [['KYODO_OIDC_ISSUER', issuer], ['KYODO_OIDC_CLIENT_ID', clientId], ['KYODO_OIDC_CLIENT_SECRET', clientSecret]].filter(([, v]) => !v).map(([n]) => n);
  if (missing.length) {
    problems.push(`single sign-on needs KYODO_OIDC_ISSUER, KYODO_OIDC_CLIENT_ID and KYODO_OIDC_CLIENT_SECRET together; missing ${missing.join(', ')}`);
    return null;
  }
  let u: URL | null = null;
  try {
    u = new URL(issuer!);
  } catch {
    problems.push(`KYODO_OIDC_ISSUER must be the provider's issuer URL, got "${issuer}"`);
  }
  // http only to a provider on this machine (tests, a local Keycloak); anything else must be https.
  if (u && !(u.protocol === 'https:' || (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname))))
    problems.push(`KYODO_OIDC_ISSUER must be an https URL (http only for localhost), got "${issuer}"`);
  const claim = (name: string, fallback: string | null) => {
    const v = get(name);
    if (v && !/^[\w.:/-]{1,100}$/.test(v)) {
      problems.push(`${name} must be a claim name such as employeeId, got "${v}"`);
      return fallback;
    }
    return v ?? fallback;
  };
  const createRaw = get('KYODO_OIDC_CREATE_PEOPLE') ?? 'false';
  if (createRaw !== 'true' && createRaw !== 'false') problems.push(`KYODO_OIDC_CREATE_PEOPLE must be true or false, got "${createRaw}"`);
  const roleGroups: OidcConfig['roleGroups'] = [];
  for (const entry of (get('KYODO_OIDC_ROLE_GROUPS') ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const m = /^(\w+)=(.+)$/.exec(entry);
    if (!m || !(SSO_ROLES as readonly string[]).includes(m[1]!)) {
      problems.push(`KYODO_OIDC_ROLE_GROUPS must be role=group pairs separated by commas, roles among ${SSO_ROLES.join(', ')}; got "${entry}"`);
      continue;
    }
    roleGroups.push({ role: m[1] as SsoRole, group: m[2]!.trim() });
  }
  const groupsClaim = claim('KYODO_OIDC_GROUPS_CLAIM', roleGroups.length ? 'groups' : null);
  const scopes = (get('KYODO_OIDC_SCOPES') ?? 'openid email profile').split(/[\s,]+/).filter(Boolean);
  if (!scopes.includes('openid')) scopes.unshift('openid');
  return {
    issuer: issuer!, // as given: the id_token's iss must match it exactly
    clientId: clientId!,
    clientSecret: clientSecret!,
    scopes,
    staffNumberClaim: claim('KYODO_OIDC_STAFF_NUMBER_CLAIM', null),
    emailClaim: claim('KYODO_OIDC_EMAIL_CLAIM', 'email')!,
    createPeople: createRaw === 'true',
    groupsClaim,
    roleGroups,
  };
}

/** A URL with its password hidden, for messages and logs. */
export function redactUrl(value: string): string {
  try {
    const u = new URL(value);
    if (!u.password) return value;
    u.password = '***';
    return u.toString();
  } catch {
    return value.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
  }
}

/** Is the process running under CI (CI=true)? Read here so tests need not touch process.env. */
export const isCI = process.env.CI === 'true';
