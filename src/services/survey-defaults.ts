import { SATISFACTION_ANCHORS, type SurveyQuestion } from '../domain/survey.js';

export type TemplatePurpose = 'post_session' | 'host' | 'competency' | 'feedback' | 'general';

export interface DefaultTemplate {
  code: string;
  name: string;
  purpose: TemplatePurpose;
  anonymous: boolean;
  questions: SurveyQuestion[];
}

// Scale questions carry no legend in their text: every point of the scale shows its own words,
// highest first (domain/survey.ts SCALE_VALUES), so the text can never run against the options.

/** The competencies of the self-assessment (DOMAIN.md §3), worded for staff answering about themselves. */
export const COMPETENCY_ROWS = [
  { id: 'roles', label: '多様な主体（NPO・地域団体・企業等）が担う公共的な役割と、協働の意義を理解している', labelEn: 'I understand the public roles of diverse actors (NPOs, community groups, companies) and why we collaborate' },
  { id: 'sites', label: '協働の相手方の活動現場や実情を知っている', labelEn: "I know our partners' sites and circumstances" },
  { id: 'consensus', label: '立場の異なる人の間で合意を形成することができる', labelEn: 'I can build consensus between people who stand in different places' },
  { id: 'facilitation', label: '話し合いの場を進行（ファシリテーション）することができる', labelEn: 'I can facilitate a discussion' },
  { id: 'evaluation', label: '協働事業を振り返り、評価することができる', labelEn: 'I can review and evaluate a collaboration project' },
];

/**
 * The templates every installation starts with (seeded by the surveys migration). Wording is plain
 * 公用文: it is what staff and partner hosts read.
 */
export const DEFAULT_TEMPLATES: DefaultTemplate[] = [
  {
    code: 'post-seminar',
    name: '研修後アンケート（セミナー・現地研修）',
    purpose: 'post_session',
    anonymous: true,
    questions: [
      { id: 'satisfaction', type: 'scale5', label: '本日の研修の満足度を教えてください。', labelEn: 'How satisfied were you with the training?', required: true, anchors: [...SATISFACTION_ANCHORS] },
      { id: 'understanding', type: 'scale5', label: '協働の相手方の役割や協働の進め方について、理解が深まりましたか。', labelEn: 'Did you understand partners’ roles and how to collaborate better?', required: true },
      { id: 'usefulness', type: 'scale5', label: '本日の内容は、今後の業務に役立ちますか。', labelEn: 'Will what you learned be useful in your work?', required: true },
      { id: 'intent', type: 'single', label: '今後、業務で協働に取り組みたいと思いますか。', labelEn: 'Do you intend to collaborate in your work?', required: true, options: ['取り組みたい', '機会があれば取り組みたい', 'わからない', '取り組む予定はない'] },
      { id: 'useful_parts', type: 'multiple', label: '特に役に立った内容を選んでください（複数選択可）。', labelEn: 'Which parts were most useful? (choose any)', required: false, options: ['講義', 'グループワーク', '現地での見学', '相手方との意見交換', '事例紹介'] },
      { id: 'comments', type: 'text', label: 'ご意見・ご感想、今後取り上げてほしいテーマなどがあれば、自由にお書きください。', labelEn: 'Comments, and themes you would like us to take up', required: false },
    ],
  },
  {
    code: 'host',
    name: '受入れ団体アンケート（現地研修）',
    purpose: 'host',
    anonymous: false,
    questions: [
      { id: 'gained', type: 'scale5', label: '県職員との交流は、貴団体にとって有意義でしたか。', labelEn: 'Was the exchange with prefecture staff worthwhile for your organisation?', required: true },
      { id: 'gained_what', type: 'multiple', label: '交流によって貴団体が得たものを選んでください（複数選択可）。', labelEn: 'What did your organisation gain? (choose any)', required: false, options: ['活動を知ってもらえた', '行政の考え方がわかった', '今後の連携のきっかけができた', '活動の振り返りになった', '特になし'] },
      { id: 'host_again', type: 'single', label: '今後も現地研修の受入れにご協力いただけますか。', labelEn: 'Would you host a field training again?', required: true, options: ['ぜひ受け入れたい', '条件が合えば受け入れたい', '受入れは難しい'] },
      { id: 'comments', type: 'text', label: '研修の進め方や参加した職員へのご意見など、自由にお書きください。', labelEn: 'Comments on the training and on the staff who took part', required: false },
    ],
  },
  {
    code: 'competency',
    name: '協働に関する能力の自己評価（受講前・受講後）',
    purpose: 'competency',
    anonymous: false,
    questions: [
      { id: 'competency', type: 'matrix', label: '次のそれぞれについて、現在のご自身に最も近いものを選んでください。', labelEn: 'For each statement, choose what is closest to you now.', required: true, rows: COMPETENCY_ROWS },
      { id: 'goal', type: 'text', label: 'この研修を通じて身に付けたいこと（受講後は、身に付いたこと）をお書きください。', labelEn: 'What you want to gain from the course (after it: what you gained)', required: false },
    ],
  },
  {
    code: 'consultation-feedback',
    name: '相談対応についてのアンケート',
    purpose: 'feedback',
    anonymous: false,
    questions: [
      { id: 'helpful', type: 'scale5', label: 'コーディネーターの支援は役に立ちましたか。', labelEn: "Was the coordinator's support helpful?", required: true },
      { id: 'comments', type: 'text', label: 'ご意見があればお書きください。', labelEn: 'Comments', required: false },
    ],
  },
];
