import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The most common passwords (about 49,000, from @zxcvbn-ts/language-common, MIT; shipped with the
 * package, nothing fetched): a password is refused when it is one of them, or one of them with only
 * digits and symbols added before or after ("password2026!"), case ignored. Decision 0017.
 */
let common: Set<string> | null = null;

export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  const p = password.normalize('NFKC').toLowerCase();
  if (common.has(p)) return true;
  const base = p.replace(/^[\d\W_]+|[\d\W_]+$/g, '');
  return base.length >= 4 && base !== p && common.has(base);
}
