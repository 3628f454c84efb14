import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { LogLevel } from '../config/index.js';

export type { Logger };

/**
 * Structured logs: one JSON object a line on stdout (pino), with an ISO time, the level as a word,
 * and `reqId` on everything logged while serving a request. The level comes from LOG_LEVEL
 * (tests use 'silent'). Secrets are never logged: authorisation headers and cookies are redacted.
 */
export function createLogger(opts: { logLevel: LogLevel }, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: opts.logLevel,
      base: { app: 'kyodo', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', 'password', '*.password'], censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    // Synchronous writes: nothing is lost on process.exit, a crash or kill -9 (a line costs microseconds).
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A logger that writes nothing (for code paths given no logger). */
export const silentLogger: Logger = pino({ level: 'silent' });

/**
 * The request id to use: the incoming X-Request-Id when it is sane (1–128 characters of letters,
 * digits and - _ . : /), else a new UUID. Anything else is replaced, so that a client cannot inject
 * text into the logs.
 */
export function requestIdFrom(incoming: string | null | undefined): string {
  const v = incoming?.trim();
  if (v && /^[\w.:/-]{1,128}$/.test(v)) return v;
  return randomUUID();
}
