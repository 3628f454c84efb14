/** Japanese messages for completion (spread into ja.ts). */
export const jaCompletion = {
} as const;
