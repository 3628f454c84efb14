/** Japanese messages for security (spread into ja.ts). */
export const jaSecurity = {
  'error.resetThrottled': 'パスワード再設定の申込みが続いたため、一時的に受け付けを停止しています。{minutes}分ほど後に再度お試しください。',
} as const;
