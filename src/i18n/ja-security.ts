/** Japanese messages for security (spread into ja.ts). */
export const jaSecurity = {
  'error.passwordCommon': 'このパスワードはよく使われていて推測されやすいため、使えません。ほかの言葉を組み合わせてください。',
  'error.resetThrottled': 'パスワード再設定の申込みが続いたため、一時的に受け付けを停止しています。{minutes}分ほど後に再度お試しください。',
  'field.tokenScope': '権限',
  'field.tokenDays': '有効期間',
  'tokens.scopeRead': '読み取りのみ（一覧・報告の取得）',
  'tokens.scopeWrite': '読み取りと変更（申込み・登録なども）',
  'tokens.scopeHint': '必要な権限だけを選んでください。連携先がデータを読むだけなら「読み取りのみ」で足ります。',
  'tokens.days30': '30日',
  'tokens.days90': '90日',
  'tokens.days365': '1年',
  'tokens.days1095': '3年',
  'tokens.expires': '有効期限',
  'tokens.expired': '期限切れ',
  'tokens.createdNote': '権限は{scope}、有効期限は{date}です。',
} as const;
