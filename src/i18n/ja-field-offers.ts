/** Japanese messages for field-offers (spread into ja.ts). */
export const jaFieldOffers = {
} as const;
