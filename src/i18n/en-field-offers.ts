import type { jaFieldOffers } from './ja-field-offers.js';

/** English messages for field-offers (spread into en.ts): the same keys as ja-field-offers.ts. */
export const enFieldOffers: Record<keyof typeof jaFieldOffers, string> = {
};
