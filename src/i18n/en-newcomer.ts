import type { jaNewcomer } from './ja-newcomer.js';

/** English messages for trying every role with the sample data (spread into en.ts): the same keys as ja-newcomer.ts. */
export const enNewcomer: Record<keyof typeof jaNewcomer, string> = {
  'newcomer.title': 'Sample data loaded',
  'newcomer.lead': 'There is a sign-in to try for each role. Log out, then log in with one of these email addresses and the password below to see Kyodo as that role.',
  'newcomer.once': 'This password is shown on this page once only: note it before you continue. If it is lost, run kyodo user set-password --email ADDRESS on the server to set a new one.',
  'newcomer.password': 'Password (the same for every sign-in)',
  'newcomer.caption': 'Sign-ins to try',
  'newcomer.col.role': 'Role',
  'newcomer.col.email': 'Email address',
  'newcomer.col.name': 'Name',
  'newcomer.continue': 'Continue to the home page',
  'newcomer.role.admin': 'Training office (administrator)',
  'newcomer.role.approver': 'Head of unit (endorses applications)',
  'newcomer.role.staff': 'Prefecture staff (participant)',
  'newcomer.role.municipalStaff': 'Municipal staff (participant)',
  'newcomer.role.coordinator': 'Collaboration coordinator',
  'newcomer.role.partner': 'Member of a partner organisation',
  'newcomer.error.noPerson': 'Nobody is registered with this email address.',
  'auditAction.sample_sign_ins': 'Sample sign-ins prepared',
};
