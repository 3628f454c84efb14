import { en } from './en.js';
import { ja, type MessageKey } from './ja.js';

export type Lang = 'ja' | 'en';
export type { MessageKey };
export const LANGS: readonly Lang[] = ['ja', 'en'];

const catalogues: Record<Lang, Record<MessageKey, string>> = { ja, en };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function isMessageKey(key: string): key is MessageKey {
  return key in ja;
}

export function translator(lang: Lang): Translate {
  const cat = catalogues[lang];
  return (key, params) => {
    const text = cat[key] ?? ja[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

/** The field's label in the user's language (its name when the catalogue has none). */
export function fieldLabel(t: Translate, field: string): string {
  const key = `field.${field}`;
  return isMessageKey(key) ? t(key) : field;
}

/** Translate a field error: the message key gets the field's own label as {field}. */
export function fieldMessage(t: Translate, field: string, messageKey: string, params: Params = {}): string {
  return isMessageKey(messageKey) ? t(messageKey, { field: fieldLabel(t, field), ...params }) : messageKey;
}
