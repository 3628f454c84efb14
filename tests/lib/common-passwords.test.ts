import { describe, expect, it } from 'vitest';
import { isCommonPassword } from '../../src/lib/common-passwords.js';
import { passwordSchema } from '../../src/services/account.service.js';

describe('common passwords (issue 17)', () => {
  it.each([
    ['qwerty123456', true],
    ['1qaz2wsx3edc', true],
    ['QWERTY123456', true],
    ['password2026!', true],
    ['2026sunshine', true],
    ['ｑｗｅｒｔｙ１２３４５６', true],
    ['correct horse 42 battery', false],
    ['biwako-kyodo-2026', false],
    ['ab12', false],
  ])('%s → %s', (pw, common) => {
    expect(isCommonPassword(pw)).toBe(common);
  });

  it('the password rule refuses them with their own message', () => {
    const r = passwordSchema.safeParse('qwerty123456');
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toContain('error.passwordCommon');
    expect(passwordSchema.safeParse('correct horse 42 battery').success).toBe(true);
  });
});
