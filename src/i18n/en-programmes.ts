import type { jaProgrammes } from './ja-programmes.js';

/** English messages for programmes (spread into en.ts): the same keys as ja-programmes.ts. */
export const enProgrammes: Record<keyof typeof jaProgrammes, string> = {
};
