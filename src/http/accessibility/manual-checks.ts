import { type ManualCheck, manualChecksSchema } from './schema.js';

/**
 * The checks done other than by axe: by a person reading the pages and their code, or by the keyboard-only
 * journeys of the browser tests (tests/e2e/keyboard.test.ts). Hand-written: when a check is redone, change its
 * result and date here. A criterion absent from this list and from the axe results reads as 未確認.
 */
export const MANUAL_CHECKS: readonly ManualCheck[] = manualChecksSchema.parse([
  {
    criteria: ['1.2.1', '1.2.2', '1.2.3', '1.2.4', '1.2.5', '1.4.2'],
    check: {
      ja: '音声及び映像のコンテンツ（video、audio、埋め込みの再生部品）がないことを、すべてのページの部品（src/http）を調べて確認しました。',
      en: 'No audio or video content (video, audio or embedded players) on any page, checked in every page component (src/http).',
    },
    by: 'hand',
    result: 'na',
    date: '2026-11-30',
  },
  {
    criteria: ['2.1.1', '2.1.2', '2.4.3', '2.4.7'],
    check: {
      ja: 'マウスを使わず、キーボード（Tab、Enter、スペース）だけで、研修に申し込む、申込みを推薦・承認する、アンケートに回答するの三つの操作を最後まで行えること、フォーカスが操作の順に移り、フォーカスのある部品に枠線が表示されることを、ブラウザ試験で確かめました。',
      en: 'With the keyboard alone (Tab, Enter, Space) and no mouse, applying for a training, endorsing an application and answering a survey can be done to the end; the focus moves in the order of the task and the focused control shows an outline (browser tests).',
    },
    by: 'browser-test',
    result: 'pass',
    date: '2026-11-30',
  },
  {
    criteria: ['3.3.1', '3.3.3'],
    check: {
      ja: '入力に誤りがあるとき、ページ上部のエラーの一覧と各欄に、誤りのある項目と直し方が文字で示されることを、ブラウザ試験（申込みの辞退、アンケートの回答）で確かめました。',
      en: 'When an entry is wrong, the list of errors at the top of the page and the field itself say in words which entry is wrong and how to correct it (browser tests: cancelling an application, answering a survey).',
    },
    by: 'browser-test',
    result: 'pass',
    date: '2026-11-30',
  },
  {
    criteria: ['3.2.3'],
    check: {
      ja: 'すべてのページが同じ枠組み（ヘッダー、メインメニュー、パンくずリスト、フッター）で表示され、メニューの並び順が同じであることを確認しました。',
      en: 'Every page uses the same frame (header, main menu, breadcrumbs, footer), and the menu is in the same order on each.',
    },
    by: 'hand',
    result: 'pass',
    date: '2026-11-30',
  },
  {
    criteria: ['2.1.4', '2.5.1', '2.5.2', '2.5.4'],
    check: {
      ja: '文字キーだけのショートカット、複数の指や軌跡を使う操作、押した瞬間に動く操作、端末の動きで動く操作がないことを、ページのスクリプト（app.js）と部品を調べて確認しました。操作はすべて標準のリンク、ボタン及び入力欄で行います。',
      en: 'No single-character shortcuts, no multipoint or path gestures, nothing activated on the down event and nothing operated by device motion (checked in the page script app.js and the page components). Every action uses standard links, buttons and fields.',
    },
    by: 'hand',
    result: 'pass',
    date: '2026-11-30',
  },
  {
    criteria: ['2.3.1'],
    check: {
      ja: '点滅する表示がないことを、スタイルシート（app.css）とスクリプトを調べて確認しました。動きはメニューの矢印の回転（0.1秒）だけです。',
      en: 'Nothing flashes (checked in the stylesheet app.css and the script). The only motion is the menu arrow turning (0.1 s).',
    },
    by: 'hand',
    result: 'pass',
    date: '2026-11-30',
  },
  {
    criteria: ['2.2.1'],
    check: {
      ja: '取込みの実行中のページは、数秒ごとに自動で再読み込みされます（HTTP の Refresh ヘッダー及び meta 要素）。ページの最初のリンク「自動更新を止める」で止められ、止めた後は「最新の状態を表示する」で利用者が好きなときに更新できます。',
      en: 'The page of an import in progress reloads itself every few seconds (HTTP Refresh header and meta element); the first link on the page stops that, and the reader then updates it when they choose.',
    },
    by: 'hand',
    result: 'pass',
    date: '2026-11-30',
  },
  {
    criteria: ['2.2.2'],
    check: {
      ja: 'アンケートの回答率は、表示中に30秒ごとに自動で更新されます。隣の「回答率の自動更新を止める」ボタンで止め、再開できます（JavaScript が無効なときは更新されません）。',
      en: "A survey's response rate updates itself every 30 seconds while shown; the button beside it pauses and resumes the updates (without JavaScript it does not update).",
    },
    by: 'hand',
    result: 'pass',
    date: '2026-11-30',
  },
]);
