import { tokyoDateOf, tokyoLocalToUtc } from '../../domain/calendar.js';
import type { ConsultationKind, ConsultationOutcome, ConsultationStatus } from '../../domain/matching.js';
import { consultationRepository } from '../../db/repositories/consultation.repository.js';
import { projectRepository } from '../../db/repositories/project.repository.js';
import { sampleDataRepository } from '../../db/repositories/sample-data.repository.js';
import { audit } from '../audit.service.js';
import type { Actor, AppContext } from '../context.js';

const DAY = 86_400_000;

interface SampleCase {
  kind: ConsultationKind;
  title: string;
  field: string;
  goal: string;
  status: ConsultationStatus;
  outcome?: ConsultationOutcome;
  /** Days before today on which it was filed. */
  ago: number;
  /** A project comes of it, with these scores (unit, partner) per default criterion. */
  project?: { title: string; unit: number[]; partner: number[] };
}

const CASES: SampleCase[] = [
  { kind: 'bridge', title: '子ども食堂と連携した見守り活動を始めたい', field: '子育て', goal: '地域の子ども食堂と連携し、支援が必要な家庭の見守りにつなげたい。連携先の候補を紹介してほしい。', status: 'closed', outcome: 'project_started', ago: 540, project: { title: '子ども食堂と連携した地域見守り事業', unit: [4, 5, 3, 4, 4, 5], partner: [3, 4, 1, 3, 4, 5] } },
  { kind: 'bridge', title: '里山保全活動への企業参加を進めたい', field: '環境', goal: '里山保全の活動に企業の社員ボランティアが参加できる仕組みをつくりたい。', status: 'closed', outcome: 'project_started', ago: 420, project: { title: '企業と地域団体による里山保全協働事業', unit: [5, 4, 4, 3, 4, 4], partner: [5, 4, 4, 5, 4, 5] } },
  { kind: 'planning', title: '外国人住民向け防災訓練の企画', field: '国際', goal: '外国人住民も参加できる防災訓練を、国際交流団体と一緒に企画したい。', status: 'closed', outcome: 'project_started', ago: 300, project: { title: '多文化共生の防災訓練', unit: [4, 4, 3, 4, 3, 4], partner: [2, 4, 3, 2, 3, 4] } },
  { kind: 'evaluation', title: 'まちなか再生事業の振り返り方法', field: 'まちづくり', goal: '協働で進めてきたまちなか再生事業を、相手方と一緒に振り返る方法について助言がほしい。', status: 'closed', outcome: 'advice_given', ago: 380 },
  { kind: 'planning', title: '障害者の就労支援でのNPOとの役割分担', field: '福祉', goal: 'NPOと協働で就労支援を行うにあたり、役割分担と費用負担の考え方を整理したい。', status: 'closed', outcome: 'advice_given', ago: 200 },
  { kind: 'bridge', title: '伝統文化の継承に取り組む団体を探している', field: '文化', goal: '小学校の授業で地域の伝統文化を紹介してくれる団体を探している。', status: 'closed', outcome: 'no_fit', ago: 150 },
  { kind: 'evaluation', title: '環境学習事業の成果指標', field: '環境', goal: '協働で実施している環境学習事業の成果指標を見直したい。', status: 'closed', outcome: 'referred', ago: 120 },
  { kind: 'bridge', title: '農業体験を通じた交流事業の相手方', field: '農業', goal: '都市部の住民と農村をつなぐ農業体験事業を、地域団体と協働で行いたい。', status: 'in_progress', ago: 40 },
  { kind: 'planning', title: '自主防災組織の連携強化', field: '防災', goal: '市内の自主防災組織の連携を強めるための協議の場を企画したい。', status: 'in_progress', ago: 25 },
  { kind: 'evaluation', title: '子育てひろば事業の中間評価', field: '子育て', goal: '子育てひろば事業の中間評価を、運営団体と一緒に行いたい。', status: 'assigned', ago: 6 },
  { kind: 'bridge', title: '観光ボランティアガイドの団体を紹介してほしい', field: '観光', goal: '観光客向けのまち歩きを、ボランティアガイドの団体と協働で行いたい。', status: 'new', ago: 2 },
  { kind: 'planning', title: '空き家活用の協働事業の検討', field: 'まちづくり', goal: '空き家を地域の居場所として活用する事業を、まちづくり団体と検討したい。', status: 'new', ago: 1 },
  { kind: 'bridge', title: '高齢者の買い物支援の相手方', field: '福祉', goal: '高齢者の買い物支援について、地域の団体につないでほしい。', status: 'withdrawn', ago: 90 },
];

const ACTIVITIES: [string, 'meeting' | 'contact' | 'research' | 'advice', number][] = [
  ['相談者と打合せを行い、目的と進め方を確認した。', 'meeting', 60],
  ['候補の団体に連絡し、意向を確認した。', 'contact', 30],
  ['団体の活動現場を訪問し、代表者と意見交換した。', 'meeting', 120],
  ['協働の進め方について助言した。', 'advice', 45],
];

/**
 * Consultations across kinds and statuses, with assignments and activity logs, two coordinators
 * on the desk, and the projects that came of them, evaluated by both sides (with gaps to see).
 */
export async function sampleConsultations(ctx: AppContext, actor: Actor): Promise<{ consultations: number; projects: number }> {
  const now = ctx.now();
  const today = tokyoDateOf(now);
  const coordinators = await sampleDataRepository.activeCoordinators(ctx.db, today);
  const requesters = await sampleDataRepository.requesters(ctx.db, actor?.id ?? 0);
  const partners = await sampleDataRepository.partners(ctx.db);
  const municipalities = await sampleDataRepository.municipalities(ctx.db);
  if (!coordinators.length || !requesters.length || !partners.length) return { consultations: 0, projects: 0 };
  const criteria = await projectRepository.criteria(ctx.db, { activeOnly: true });

  for (const c of coordinators.slice(0, 2)) await consultationRepository.setDesk(ctx.db, c.id, true, now);
  const members = await sampleDataRepository.partnerMembers(ctx.db);

  let projects = 0;
  for (const [i, s] of CASES.entries()) {
    const requester = requesters[(i * 7) % requesters.length];
    const coordinator = coordinators[(i * 3 + 2) % coordinators.length];
    const partner = partners.find((p) => (p.fields as string[]).includes(s.field)) ?? partners[i % partners.length];
    const filed = new Date(now.getTime() - s.ago * DAY);
    const closed = s.status === 'closed' || s.status === 'withdrawn' ? new Date(filed.getTime() + Math.min(60, Math.max(1, s.ago - 1)) * DAY) : null;
    const area = municipalities[i % municipalities.length];
    const row = await consultationRepository.insert(ctx.db, {
      kind: s.kind,
      title: s.title,
      fields: JSON.stringify([s.field]),
      area_unit_ids: JSON.stringify(area ? [area.id] : []),
      goal: s.goal,
      desired_from: tokyoDateOf(new Date(filed.getTime() + 30 * DAY)),
      desired_to: tokyoDateOf(new Date(filed.getTime() + 210 * DAY)),
      partner_in_mind: i % 3 === 0 ? '地域の団体' : '',
      partner_id: i % 4 === 1 ? partner.id : null,
      requester_id: requester.id,
      unit_id: requester.unit_id!,
      status: s.status,
      outcome: s.outcome ?? null,
      outcome_note: s.status === 'withdrawn' ? '所属内で対応することになったため。' : '',
      feedback_survey_id: null,
      created_at: filed,
      updated_at: closed ?? filed,
      closed_at: closed,
      closed_by: closed ? (s.status === 'withdrawn' ? requester.id : coordinator.id) : null,
    });
    if (s.status !== 'new' && s.status !== 'withdrawn') {
      await consultationRepository.upsertAssignment(ctx.db, { consultation_id: row.id, person_id: coordinator.id, assigned_by: actor?.id ?? null, assigned_at: new Date(filed.getTime() + DAY) });
      if (s.status !== 'assigned') await consultationRepository.respond(ctx.db, row.id, coordinator.id, 'accepted', null, new Date(filed.getTime() + 2 * DAY));
    }
    if (s.status === 'in_progress' || s.status === 'closed')
      for (const [k, [note, kind, minutes]] of ACTIVITIES.slice(0, s.status === 'closed' ? 4 : 2).entries())
        await consultationRepository.insertActivity(ctx.db, {
          consultation_id: row.id,
          person_id: coordinator.id,
          on_date: tokyoDateOf(new Date(filed.getTime() + (3 + k * 7) * DAY)),
          minutes,
          kind,
          note,
          partner_ids: JSON.stringify(kind === 'contact' || k === 2 ? [partner.id] : []),
          created_at: new Date(filed.getTime() + (3 + k * 7) * DAY),
        });
    if (s.project && criteria.length) {
      const starts = tokyoDateOf(new Date((closed ?? filed).getTime() + 14 * DAY));
      const p = await projectRepository.insert(ctx.db, {
        title: s.project.title,
        unit_id: requester.unit_id!,
        purpose: s.goal,
        starts_on: starts,
        ends_on: tokyoDateOf(new Date(tokyoLocalToUtc(starts, '12:00').getTime() + 365 * DAY)),
        coordinator_id: coordinator.id,
        created_by: coordinator.id,
        created_at: closed ?? filed,
        updated_at: closed ?? filed,
      });
      await projectRepository.setLinks(ctx.db, p.id, [partner.id], [row.id]);
      const at = new Date((closed ?? filed).getTime() + 30 * DAY);
      const scores = (xs: number[]) => criteria.map((c, k) => ({ criterion_id: c.id, score: xs[k % xs.length], comment: xs[k % xs.length] <= 2 ? '認識にずれがあったので、次回は早めに話し合いたい。' : '' }));
      await projectRepository.saveEvaluation(ctx.db, { project_id: p.id, side: 'unit', partner_id: null, submitted_by: requester.id, at }, scores(s.project.unit), null);
      const member = members.find((m) => m.partner_id === partner.id);
      await projectRepository.saveEvaluation(ctx.db, { project_id: p.id, side: 'partner', partner_id: partner.id, submitted_by: member?.id ?? null, at }, scores(s.project.partner), null);
      projects++;
    }
  }
  await audit(ctx.db, ctx, actor, 'sample_data', 'consultation', null, undefined, { consultations: CASES.length, projects });
  return { consultations: CASES.length, projects };
}
