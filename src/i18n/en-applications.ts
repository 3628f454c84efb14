import type { jaApplications } from './ja-applications.js';

/** English messages for applications (spread into en.ts): the same keys as ja-applications.ts. */
export const enApplications: Record<keyof typeof jaApplications, string> = {
};
