/** Japanese messages for applications (spread into ja.ts). */
export const jaApplications = {
} as const;
