import { randomUUID } from 'node:crypto';
import { tokyoDateOf } from '../../domain/calendar.js';
import type { Answers, SurveyQuestion } from '../../domain/survey.js';
import { checkAnswers } from '../../domain/survey.js';
import { sampleDataRepository } from '../../db/repositories/sample-data.repository.js';
import { surveyRepository } from '../../db/repositories/survey.repository.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import type { AppContext } from '../context.js';
import { personSearchKey } from '../person.service.js';
import { seededRandom } from './random.js';
import { type SurveyKind } from '../../domain/values.js';

const DAY = 86_400_000;
// Comments go with the scores they sit beside: every scale stores 5 for its most positive words
// (5：満足, 5：そう思う), so a glowing comment comes with a 4 or a 5, a critical one with a 1 or a 2.
export const SAMPLE_COMMENTS: Record<'high' | 'middle' | 'low', string[]> = {
  high: [
    '現場で活動されている方の話を直接聞けて、協働の意味が具体的にわかりました。',
    'グループワークで他部局の職員と意見交換できたのがよかったです。',
    '自分の業務でどの団体と連携できるか、考えるきっかけになりました。',
    '市町の職員の方と話せて参考になりました。',
    '',
    '',
  ],
  middle: ['時間がもう少し長いとよかったです。', '事例をもう少し詳しく聞きたかったです。', ''],
  low: ['内容が自分の業務とあまり結び付かず、活かし方がわかりませんでした。', '説明が駆け足で、理解が追い付きませんでした。'],
};
export const SAMPLE_HOST_COMMENTS: Record<'high' | 'middle' | 'low', string[]> = {
  high: ['職員の皆さんが熱心に質問してくださり、私たちにとっても活動を振り返る機会になりました。', '行政の方と顔の見える関係ができたことが一番の収穫です。', ''],
  middle: ['受入れの準備に思ったより手間がかかりました。次は事前の打合せを増やしたいです。', ''],
  low: ['事前の連絡が少なく、受入れの準備に苦労しました。'],
};
/** Which comments fit a score on a 5-point scale (5 = the most positive words). */
export const toneOf = (score: number): 'high' | 'middle' | 'low' => (score >= 4 ? 'high' : score === 3 ? 'middle' : 'low');

/**
 * Answers for the sample's past cohorts, so that the results and impact pages show real-looking
 * figures: questionnaires after each past session (anonymous), the hosts' questionnaires, and the
 * coordinator courses' pre and post self-assessments (named), with scores that mostly rise.
 */
export async function sampleSurveys(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const rand = seededRandom(20_261_125);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const scale = (centre: number) => Math.max(1, Math.min(5, Math.round(centre + (rand() - 0.5) * 2.2)));
  const templates = new Map((await surveyRepository.templates(ctx.db)).filter((t) => t.code).map((t) => [t.code!, t]));
  let answered = 0;

  async function survey(kind: SurveyKind, templateCode: string, o: { offeringId: number; sessionId: number | null; title: string; opensAt: Date; closesAt: Date }, people: number[], answer: (i: number) => Answers | null) {
    const t = templates.get(templateCode)!;
    const s = await surveyRepository.insert(ctx.db, {
      template_id: t.id,
      kind,
      title: o.title,
      anonymous: t.anonymous,
      offering_id: o.offeringId,
      session_id: o.sessionId,
      questions: JSON.stringify(t.questions),
      opens_at: o.opensAt,
      closes_at: o.closesAt,
      auto_reminded_at: o.closesAt,
      created_by: null,
      created_at: o.opensAt,
    });
    if (!s) return;
    await surveyRepository.invite(ctx.db, s.id, people, o.opensAt);
    for (const [i, personId] of people.entries()) {
      const raw = answer(i);
      if (!raw) continue;
      const checked = checkAnswers(t.questions as SurveyQuestion[], raw);
      if (!checked.ok) throw new Error(`sample answer does not fit ${templateCode}: ${JSON.stringify(checked.problems)}`);
      const on = tokyoDateOf(new Date(o.opensAt.getTime() + Math.floor(rand() * 5) * DAY));
      await surveyRepository.saveResponse(
        ctx.db,
        {
          id: randomUUID(),
          survey_id: s.id,
          person_id: t.anonymous ? null : personId,
          edit_key_hash: t.anonymous ? sha256(randomToken(16)) : null,
          answers: JSON.stringify(checked.answers),
          // An anonymous answer carries no day (decision 0011).
          submitted_on: t.anonymous ? null : on,
          updated_on: t.anonymous ? null : on,
        },
        checked.scores.map((x) => ({ question_id: x.questionId, item: x.item, score: x.score })),
        false,
      );
      await surveyRepository.markResponded(ctx.db, s.id, personId, on);
      answered++;
    }
  }

  // Every past session of the sample's offerings, with the people confirmed for it.
  const sessions = await sampleDataRepository.sessionsEndedBefore(ctx.db, new Date(now.getTime() - 15 * DAY));
  const confirmed = (offeringId: number) => sampleDataRepository.confirmedPersonIds(ctx.db, offeringId);
  const intents = ['取り組みたい', '取り組みたい', '機会があれば取り組みたい', '機会があれば取り組みたい', 'わからない'];
  const parts = ['講義', 'グループワーク', '現地での見学', '相手方との意見交換', '事例紹介'];
  for (const s of sessions) {
    const people = await confirmed(s.offering_id);
    const field = s.format === 'field';
    await survey('post_session', 'post-seminar', { offeringId: s.offering_id, sessionId: s.id, title: `${s.offering_title}：${s.title}`, opensAt: s.ends_at, closesAt: new Date(s.ends_at.getTime() + 14 * DAY) }, people, () =>
    {
      if (rand() < 0.2) return null;
      const satisfaction = scale(field ? 4.4 : 4);
      return {
        satisfaction,
        understanding: scale(field ? 4.2 : 3.8),
        usefulness: scale(3.9),
        intent: pick(satisfaction >= 4 ? intents : intents.slice(2)),
        useful_parts: parts.filter((p) => (field ? p !== '講義' : p === '講義' || p === 'グループワーク') && rand() < 0.6),
        comments: pick(SAMPLE_COMMENTS[toneOf(satisfaction)]),
      };
    });
    if (s.host_partner_id) {
      const partner = await sampleDataRepository.partner(ctx.db, s.host_partner_id);
      let member = await sampleDataRepository.partnerMember(ctx.db, partner.id);
      if (!member) {
        const email = `host${partner.id}@partner.example.jp`;
        member = await sampleDataRepository.addPartnerMember(ctx.db, { name: `${partner.name} 事務局`, kana: partner.kana, email, staff_number: null, unit_id: null, affiliation: 'partner', partner_id: partner.id, search_key: personSearchKey({ name: partner.name, kana: partner.kana, email }), password_hash: null, created_at: now, updated_at: now });
      }
      await survey('host', 'host', { offeringId: s.offering_id, sessionId: s.id, title: `${s.offering_title}：${s.title}（受入れ団体）`, opensAt: s.ends_at, closesAt: new Date(s.ends_at.getTime() + 14 * DAY) }, [member.id], () => {
        const gained = scale(4.3);
        return {
          gained,
          gained_what: gained >= 3 ? ['活動を知ってもらえた', '今後の連携のきっかけができた'].filter(() => rand() < 0.8) : ['特になし'],
          host_again: gained >= 4 ? pick(['ぜひ受け入れたい', 'ぜひ受け入れたい', '条件が合えば受け入れたい']) : pick(['条件が合えば受け入れたい', '受入れは難しい']),
          comments: pick(SAMPLE_HOST_COMMENTS[toneOf(gained)]),
        };
      });
    }
  }

  // Pre and post self-assessments of the past coordinator courses: most people grow, a few do not.
  const courses = await sampleDataRepository.coursesClosedBefore(ctx.db, now);
  for (const o of courses) {
    const ss = await sampleDataRepository.sessionTimes(ctx.db, o.id);
    if (!ss.length || ss[ss.length - 1].ends_at.getTime() > now.getTime() - 15 * DAY) continue;
    const people = await confirmed(o.id);
    const base = new Map(people.map((p) => [p, [2.2, 1.8, 2.4, 2.0, 1.9].map((m) => m + (rand() - 0.5))]));
    const gain = [1.1, 1.4, 0.8, 1.0, 0.9];
    const ids = ['roles', 'sites', 'consensus', 'facilitation', 'evaluation'];
    const matrix = (v: number[]) => Object.fromEntries(ids.map((id, k) => [id, scale(v[k])]));
    const first = ss[0].starts_at;
    const last = ss[ss.length - 1].ends_at;
    await survey('pre', 'competency', { offeringId: o.id, sessionId: null, title: `${o.title}（受講前）`, opensAt: new Date(first.getTime() - 14 * DAY), closesAt: first }, people, (i) =>
      i % 9 === 8 ? null : { competency: matrix(base.get(people[i])!), goal: pick(['相手方との合意形成の進め方を学びたい。', '協働事業の評価の方法を身に付けたい。', '']) },
    );
    await survey('post', 'competency', { offeringId: o.id, sessionId: null, title: `${o.title}（受講後）`, opensAt: last, closesAt: new Date(last.getTime() + 21 * DAY) }, people, (i) =>
      i % 7 === 6 ? null : { competency: matrix(base.get(people[i])!.map((m, k) => m + gain[k] * (i % 5 === 4 ? 0.2 : 1))), goal: pick(['現場を訪ねることの大切さがわかった。', 'ファシリテーションの手法を業務の会議で使っている。', '']) },
    );
  }
  return answered;
}
