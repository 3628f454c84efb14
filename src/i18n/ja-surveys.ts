/** Japanese messages for surveys (spread into ja.ts). */
export const jaSurveys = {
} as const;
