/**
 * 全国地方公共団体コード: 2-digit prefecture + 3 digits + a check digit.
 * Check digit: weights 6,5,4,3,2 on the first five digits; check = (11 − sum mod 11) mod 10.
 */
export function checkDigit(first5: string): number {
  if (!/^\d{5}$/.test(first5)) throw new RangeError(`need 5 digits: ${first5}`);
  const sum = [6, 5, 4, 3, 2].reduce((acc, w, i) => acc + w * Number(first5[i]), 0);
  return (11 - (sum % 11)) % 10;
}

export function isValidLocalGovCode(code: string): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const pref = Number(code.slice(0, 2));
  return pref >= 1 && pref <= 47 && checkDigit(code.slice(0, 5)) === Number(code[5]);
}

export function prefectureCodeOf(code: string): string {
  return code.slice(0, 2);
}
