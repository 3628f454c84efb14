import { randomInt } from 'node:crypto';
import { personRepository } from '../../db/repositories/person.repository.js';
import { sampleSignInRepository } from '../../db/repositories/sample-sign-in.repository.js';
import { fiscalYearOf } from '../../domain/calendar.js';
import { hashPassword } from '../../lib/crypto.js';
import { audit } from '../audit.service.js';
import type { Actor, AppContext } from '../context.js';
import { normaliseKana, personSearchKey } from '../person.service.js';

/** The roles a newcomer can try with the sample data, in the order they are shown. */
export const SIGN_IN_ROLES = ['admin', 'approver', 'staff', 'municipalStaff', 'coordinator', 'partner'] as const;
export type SignInRole = (typeof SIGN_IN_ROLES)[number];

export interface SampleSignIn {
  role: SignInRole;
  email: string;
  name: string;
}

export interface SampleSignIns {
  /** One password for every sign-in, made up at random for this load (never stored in clear). */
  password: string;
  accounts: SampleSignIn[];
}

/** The e-mail address of the sample administrator (a person of its own; the other sign-ins are sample people). */
export const SAMPLE_ADMIN_EMAIL = 'kenshu.admin@pref.example.jp';

/**
 * A password that meets the policy (12+ characters, letters and digits) and is easy to type:
 * three groups of four, e.g. `kume-4827-tasa`.
 */
export function samplePassword(): string {
  const consonants = 'bdfghjkmnprstz';
  const vowels = 'aeiou';
  const word = () => Array.from({ length: 2 }, () => consonants[randomInt(consonants.length)] + vowels[randomInt(vowels.length)]).join('');
  const digits = String(randomInt(10000)).padStart(4, '0');
  return `${word()}-${digits}-${word()}`;
}

/**
 * After the sample data is loaded: one sign-in per role, all with one password. The administrator is a
 * new person; the others are sample people chosen for what they have to show (an approver whose unit has
 * people in this year's trainings, staff with trainings and a certificate, a 市町 participant, the
 * coordinator with the most open cases, the member of the partner hosting the next field training).
 * Partners that host field trainings, and the named ones, get a member account (no password) when they
 * have none. Nothing else of the sample data changes.
 */
export async function sampleSignIns(ctx: AppContext, actor: Actor): Promise<SampleSignIns> {
  const now = ctx.now();
  const fy = fiscalYearOf(now);
  const db = ctx.db;
  const accounts: SampleSignIn[] = [];
  const taken = new Set<number>(actor ? [actor.id] : []);
  const add = (role: SignInRole, p: { id: number; email: string; name: string } | undefined) => {
    if (!p) return;
    taken.add(p.id);
    accounts.push({ role, email: p.email, name: p.name });
  };

  // Partner members: hosts of field trainings and the first ten partners, one 事務局 account each.
  for (const partner of await sampleSignInRepository.partnersToStaff(db, 10)) {
    if (partner.hasMember) continue;
    const email = `member${partner.id}@partner.example.jp`;
    const name = `${partner.name} 事務局`;
    const kana = normaliseKana(`${partner.kana} ジムキョク`);
    const p = await personRepository.insert(db, { name, kana, email, staff_number: null, unit_id: null, affiliation: 'partner', partner_id: partner.id, search_key: personSearchKey({ name, kana, email }), created_at: now, updated_at: now });
    await personRepository.setRoles(db, p.id, ['partner']);
  }

  // 研修担当: a person of its own, so that the sample staff keep their roles.
  let admin = await personRepository.findByEmail(db, SAMPLE_ADMIN_EMAIL);
  if (!admin) {
    const name = '研修 担当';
    const kana = 'ケンシュウ タントウ';
    admin = await personRepository.insert(db, { name, kana, email: SAMPLE_ADMIN_EMAIL, staff_number: null, unit_id: null, affiliation: 'prefecture', search_key: personSearchKey({ name, kana, email: SAMPLE_ADMIN_EMAIL }), created_at: now, updated_at: now });
    await personRepository.setRoles(db, admin.id, ['admin', 'staff']);
  }
  add('admin', admin);

  // 所属長: an approver of the prefecture unit with the most people in this year's trainings.
  let approver: { id: number; email: string; name: string; unit_id: number | null } | undefined;
  for (const unitId of await sampleSignInRepository.unitsByTrainees(db, fy)) {
    approver = (await personRepository.approversOf(db, [unitId], 1)).find((p) => !taken.has(p.id));
    if (approver) break;
  }
  approver ??= await sampleSignInRepository.firstWithRole(db, 'approver');
  add('approver', approver);

  // Staff: in this year's trainings, with a certificate if anyone has one, in the approver's unit if possible.
  const prefStaff = (await sampleSignInRepository.participants(db, 'prefecture', fy)).filter((p) => !taken.has(p.id));
  const rank = (p: { certified: unknown; unit_id: number | null }) => (p.certified ? 2 : 0) + (approver && p.unit_id === approver.unit_id ? 1 : 0);
  add('staff', [...prefStaff].sort((a, b) => rank(b) - rank(a))[0]);
  add('municipalStaff', (await sampleSignInRepository.participants(db, 'municipality', fy)).filter((p) => !taken.has(p.id))[0]);

  // Coordinator: the one with the most cases still open.
  add('coordinator', (await sampleSignInRepository.busiestCoordinator(db)) ?? (await sampleSignInRepository.firstWithRole(db, 'coordinator')));

  // Partner member: of the partner hosting the next field training (or the first partner with a member).
  add('partner', await sampleSignInRepository.nextHostMember(db, now));

  const password = samplePassword();
  for (const a of accounts) {
    const p = (await personRepository.findByEmail(db, a.email))!;
    await personRepository.update(db, p.id, { password_hash: await hashPassword(password, ctx.config.passwordHashN), updated_at: now });
  }
  await audit(db, ctx, actor, 'sample_sign_ins', 'system', null, undefined, { accounts: accounts.map((a) => `${a.role}: ${a.email}`) });
  return { password, accounts };
}
