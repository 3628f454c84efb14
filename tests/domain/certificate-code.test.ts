import { describe, expect, it } from 'vitest';
import { codeFromBytes, formatCode, normaliseCode } from '../../src/domain/certificate-code.js';

describe('certificate verification codes', () => {
  const stored = '3F9A0C1D7B2294E05A6C11D8';
  it('print in six groups of four', () => {
    expect(formatCode(stored)).toBe('3F9A-0C1D-7B22-94E0-5A6C-11D8');
  });
  it.each([
    ['3F9A-0C1D-7B22-94E0-5A6C-11D8', stored],
    ['3f9a 0c1d 7b22 94e0 5a6c 11d8', stored],
    ['３Ｆ９Ａ－０Ｃ１Ｄ－７Ｂ２２－９４Ｅ０－５Ａ６Ｃ－１１Ｄ８', stored],
    ['KYODO-2026-000001', null],
    ['3F9A-0C1D', null],
    ['3F9A0C1D7B2294E05A6C11D8FF', null],
    ['ZZZZ0C1D7B2294E05A6C11D8', null],
  ])('%s → %s', (typed, want) => {
    expect(normaliseCode(typed)).toBe(want);
  });
  it('come from 12 random bytes as 24 hex digits', () => {
    expect(codeFromBytes(new Uint8Array([0x3f, 0x9a, 0x0c, 0x1d, 0x7b, 0x22, 0x94, 0xe0, 0x5a, 0x6c, 0x11, 0xd8, 0xff]))).toBe(stored);
  });
});
