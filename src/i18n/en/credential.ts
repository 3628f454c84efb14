import type { jaCredential } from '../ja/credential.js';

/** English messages: verifiable certificates (Open Badges 3.0). */
export const enCredential: Record<keyof typeof jaCredential, string> = {
  'credential.download': 'Digital credential (Open Badges)',
  'credential.coordinatorDownload': 'Digital credential of the coordinator certification (Open Badges)',
  'credential.hint': 'A signed credential: whoever receives it can check its content and status without asking the prefecture.',
  'credential.revoked': 'This certificate or certification has been revoked: no digital credential can be issued for it.',
};
