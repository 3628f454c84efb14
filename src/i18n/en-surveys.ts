import type { jaSurveys } from './ja-surveys.js';

/** English messages for surveys (spread into en.ts): the same keys as ja-surveys.ts. */
export const enSurveys: Record<keyof typeof jaSurveys, string> = {
};
