import type { jaSecurity } from './ja-security.js';

/** English messages for security (spread into en.ts): the same keys as ja-security.ts. */
export const enSecurity: Record<keyof typeof jaSecurity, string> = {
  'error.resetThrottled': 'Too many password reset requests came from here. Please try again in about {minutes} minutes.',
};
