import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { answerPoolKey } from '../../src/lib/answer-key.js';
import { open, seal } from '../../src/lib/sealed-box.js';

describe('sealed answers (decision 0018)', () => {
  it('open with their key only, and not at all once tampered with', () => {
    const key = randomBytes(32);
    const box = seal(key, { comments: '感想' });
    expect(box).not.toContain('感想');
    expect(open(key, box)).toEqual({ comments: '感想' });
    expect(open(randomBytes(32), box)).toBeNull();
    const raw = Buffer.from(box, 'base64');
    raw[raw.length - 1] ^= 1;
    expect(open(key, raw.toString('base64'))).toBeNull();
  });

  it('take the key from KYODO_ANSWER_KEY, else a 0600 key file in the data directory, made once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyodo-key-'));
    try {
      const a = answerPoolKey({ answerKey: null, dataDir: dir });
      expect(a).toHaveLength(32);
      expect(statSync(join(dir, 'answer-pool.key')).mode & 0o777).toBe(0o600);
      expect(Buffer.from(readFileSync(join(dir, 'answer-pool.key'), 'utf8').trim(), 'base64').equals(a)).toBe(true);
      expect(answerPoolKey({ answerKey: null, dataDir: dir }).equals(a)).toBe(true);
      const env = randomBytes(32).toString('base64');
      expect(answerPoolKey({ answerKey: env, dataDir: dir }).toString('base64')).toBe(env);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad KYODO_ANSWER_KEY or KYODO_SURVEY_MIN_ANSWERS stops the start naming the variable', () => {
    expect(() => loadConfig({ KYODO_ANSWER_KEY: 'short' })).toThrow(/KYODO_ANSWER_KEY/);
    expect(() => loadConfig({ KYODO_SURVEY_MIN_ANSWERS: '1' })).toThrow(/KYODO_SURVEY_MIN_ANSWERS/);
    expect(loadConfig({}).surveyMinAnswers).toBe(5);
  });
});
