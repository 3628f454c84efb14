/** Japanese messages for narrow screens (issue 16 §4; spread into ja.ts). */
export const jaPhone = {
  // The main menu folds into this button on narrow screens (a <details> disclosure: works without JavaScript).
  'phone.menu': 'メニュー',
} as const;
