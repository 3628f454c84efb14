/**
 * Kana rules: フリガナ is the sorting key (50音順), and search is kana-, case- and width-insensitive.
 * Names themselves are never changed (異体字 such as 髙 and 﨑 stay as entered).
 */

/** Katakana → hiragana (after NFKC, so half-width ｶﾀｶﾅ works too). */
export function toHiragana(s: string): string {
  return s.normalize('NFKC').replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

/** Hiragana → katakana (after NFKC): the stored form of フリガナ. */
export function toKatakana(s: string): string {
  return s.normalize('NFKC').replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

/**
 * The normalised copy that search runs on: NFKC (full-width ＡＢＣ and half-width ｶﾅ folded),
 * lower case, katakana as hiragana, no spaces. U+FA11 﨑 and 髙 are not changed by NFKC.
 */
export function searchKey(s: string): string {
  return toHiragana(s).toLowerCase().replace(/[\s\u3000]+/g, '');
}

const KANA_RE = /^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\u309b\u309c\u30fd\u30fe\u309d\u309e\s\u3000・]+$/;

/** A valid フリガナ: hiragana or katakana (either width), prolonged sound mark, middle dot, spaces. */
export function isKana(s: string): boolean {
  const n = s.normalize('NFKC').trim();
  return n.length > 0 && KANA_RE.test(n);
}

const collator = new Intl.Collator('ja');

/** Compares two フリガナ in 50音順 with the Japanese collator. */
export function compareKana(a: string, b: string): number {
  return collator.compare(toKatakana(a), toKatakana(b));
}

/** A stable sort by フリガナ. */
export function sortByKana<T>(items: readonly T[], key: (t: T) => string): T[] {
  return items
    .map((item, i) => ({ item, i, k: key(item) }))
    .sort((x, y) => compareKana(x.k, y.k) || x.i - y.i)
    .map((x) => x.item);
}
