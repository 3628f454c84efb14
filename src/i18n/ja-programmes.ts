/** Japanese messages for programmes (spread into ja.ts). */
export const jaProgrammes = {
} as const;
