import type { jaPhone } from './ja-phone.js';

/** English messages for narrow screens (issue 16 §4; spread into en.ts). */
export const enPhone: Record<keyof typeof jaPhone, string> = {
  'phone.menu': 'Menu',
};
