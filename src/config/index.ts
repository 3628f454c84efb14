import { resolve } from 'node:path';

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
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const port = int(env.PORT, 3000, 'PORT');
  const host = env.HOST || '127.0.0.1';
  const baseUrl = (env.KYODO_BASE_URL || `http://localhost:${port}`).replace(/\/$/, '');
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  return {
    port,
    host,
    baseUrl,
    dataDir: resolve(env.KYODO_DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || null,
    smtpUrl: env.SMTP_URL || null,
    mailFrom: env.MAIL_FROM || 'Kyodo <kyodo@localhost>',
    secureCookies: env.KYODO_SECURE_COOKIES ? env.KYODO_SECURE_COOKIES === 'true' : baseUrl.startsWith('https:'),
    sessionIdleMinutes: int(env.KYODO_SESSION_IDLE_MINUTES, 120, 'KYODO_SESSION_IDLE_MINUTES'),
    sessionAbsoluteHours: int(env.KYODO_SESSION_ABSOLUTE_HOURS, 12, 'KYODO_SESSION_ABSOLUTE_HOURS'),
    loginMaxFailures: int(env.KYODO_LOGIN_MAX_FAILURES, 5, 'KYODO_LOGIN_MAX_FAILURES'),
    loginLockMinutes: int(env.KYODO_LOGIN_LOCK_MINUTES, 15, 'KYODO_LOGIN_LOCK_MINUTES'),
    outboxIntervalMs: int(env.KYODO_OUTBOX_INTERVAL_MS, 5000, 'KYODO_OUTBOX_INTERVAL_MS'),
    analyzeIntervalMinutes: int(env.KYODO_ANALYZE_INTERVAL_MINUTES, 60, 'KYODO_ANALYZE_INTERVAL_MINUTES'),
    prefectureName: env.KYODO_PREFECTURE_NAME || '滋賀県',
    prefectureCode: env.KYODO_PREFECTURE_CODE || '250007',
    coordinatorValidYears: int(env.KYODO_COORDINATOR_VALID_YEARS, 3, 'KYODO_COORDINATOR_VALID_YEARS'),
    uploadMaxBytes: int(env.KYODO_UPLOAD_MAX_BYTES, 10 * 1024 * 1024, 'KYODO_UPLOAD_MAX_BYTES'),
    logLevel: ['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel) ? logLevel : 'info',
    ...overrides,
  };
}

/** Is the process running under CI (CI=true)? Read here so tests need not touch process.env. */
export const isCI = process.env.CI === 'true';
