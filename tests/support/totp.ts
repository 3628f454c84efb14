import { createHmac } from 'node:crypto';

/**
 * RFC 6238 TOTP computed here from the RFC itself with node:crypto (HMAC-SHA-1, 30-second steps,
 * 6 digits, dynamic truncation of RFC 4226 §5.3), independently of the otpauth package Kyodo uses, so
 * that the tests check Kyodo against what an authenticator app computes.
 */
export function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/[\s=]/g, '').toUpperCase()) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totpCode(secretBase32: string, at: Date, offsetSteps = 0): string {
  const counter = Math.floor(at.getTime() / 1000 / 30) + offsetSteps;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 1_000_000).padStart(6, '0');
}

/** The setup key shown on an enrolment page (grouped by four with spaces). */
export function secretFrom(html: string): string {
  const m = /<code class="second-factor-secret">([A-Z2-7 ]+)<\/code>/.exec(html);
  if (!m) throw new Error('no setup key on the page');
  return m[1]!.replace(/ /g, '');
}

/** The recovery codes shown once after enrolment. */
export function recoveryCodesFrom(html: string): string[] {
  return [...html.matchAll(/<code class="recovery-code">([a-z2-7-]+)<\/code>/g)].map((m) => m[1]!);
}
