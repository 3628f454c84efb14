/**
 * A certificate's verification code (issue 17): 24 hexadecimal digits (96 random bits), printed on the
 * certificate and in its QR code, and the only key to the public verification. Certificate numbers are
 * sequential and can be guessed; codes cannot. Pure: the random bytes are made by the caller.
 */
export const CODE_DIGITS = 24;

/** As printed and typed: six groups of four, e.g. 3F9A-0C1D-…. */
export function formatCode(stored: string): string {
  return stored.match(/.{1,4}/g)?.join('-') ?? stored;
}

/** What a person typed or a QR code carried, as stored: NFKC, upper case, dashes and spaces gone; null if it cannot be a code. */
export function normaliseCode(input: string): string | null {
  const s = input.normalize('NFKC').toUpperCase().replace(/[\s\-‐－―ー]/g, '');
  return new RegExp(`^[0-9A-F]{${CODE_DIGITS}}$`).test(s) ? s : null;
}

/** The code from random bytes (at least CODE_DIGITS / 2 of them). */
export function codeFromBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(0, CODE_DIGITS / 2)).toString('hex').toUpperCase();
}
