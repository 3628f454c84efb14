import type { jaCompletion } from './ja-completion.js';

/** English messages for completion (spread into en.ts): the same keys as ja-completion.ts. */
export const enCompletion: Record<keyof typeof jaCompletion, string> = {
};
