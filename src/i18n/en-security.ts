import type { jaSecurity } from './ja-security.js';

/** English messages for security (spread into en.ts): the same keys as ja-security.ts. */
export const enSecurity: Record<keyof typeof jaSecurity, string> = {
  'error.passwordCommon': 'This password is one of the most common ones and is easy to guess. Please choose another.',
  'export.unencodableTitle': 'Some characters cannot be written in Shift_JIS',
  'export.unencodableLead': 'This data holds {count} kinds of character that Shift_JIS (CP932) cannot represent. Written as they are they would turn into "?", so nothing was downloaded.',
  'export.unencodableWhere': ' (row {row}, "{column}", and maybe elsewhere; {code})',
  'export.unencodableMore': '{count} more kinds.',
  'export.unencodableUtf8': 'Download CSV (UTF-8), which keeps every character',
  'export.unencodableGeta': 'Download Shift_JIS anyway, with 〓 in place of those characters',
  'error.resetThrottled': 'Too many password reset requests came from here. Please try again in about {minutes} minutes.',
  'field.tokenScope': 'Access',
  'field.tokenDays': 'Valid for',
  'tokens.scopeRead': 'Read only (lists and reports)',
  'tokens.scopeWrite': 'Read and change (applications, records and so on)',
  'tokens.scopeHint': 'Choose only the access you need. An integration that only reads data needs "Read only".',
  'tokens.days30': '30 days',
  'tokens.days90': '90 days',
  'tokens.days365': '1 year',
  'tokens.days1095': '3 years',
  'tokens.expires': 'Expires',
  'tokens.expired': 'Expired',
  'tokens.createdNote': 'Access: {scope}; expires on {date}.',
};
