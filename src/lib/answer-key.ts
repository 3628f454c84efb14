import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const cache = new Map<string, Buffer>();

/**
 * The key that seals anonymous answers waiting for their batch (decision 0018): KYODO_ANSWER_KEY when
 * set (the same on every instance of a PostgreSQL deployment), else `answer-pool.key` in the data
 * directory, made on first use (0600). Never stored in the database.
 */
export function answerPoolKey(config: { answerKey: string | null; dataDir: string }): Buffer {
  if (config.answerKey) return Buffer.from(config.answerKey, 'base64');
  const file = join(config.dataDir, 'answer-pool.key');
  let key = cache.get(file);
  if (key) return key;
  if (existsSync(file)) key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  else {
    mkdirSync(config.dataDir, { recursive: true });
    key = randomBytes(32);
    try {
      writeFileSync(file, `${key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
      chmodSync(file, 0o600);
    } catch {
      key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'); // another process made it first
    }
  }
  cache.set(file, key);
  return key;
}
