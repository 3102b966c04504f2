import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';

export type { MessageKey } from './zh-CN';
export type Lang = 'zh-CN' | 'en';
export type MessageParams = Record<string, string | number>;

export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'shegong.lang';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

function readStoredLang(): Lang {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    // storage unavailable (private mode); fall back to the default
  }
  return 'zh-CN';
}

function applyLang(next: Lang): void {
  dayjs.locale(next === 'en' ? 'en' : 'zh-cn');
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

let lang: Lang = readStoredLang();
applyLang(lang);

/** The language used by the UI and sent to the API as Accept-Language. */
export function currentLang(): Lang {
  return lang;
}

export function setCurrentLang(next: Lang): void {
  lang = next;
  try {
    window.localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // ignore
  }
  applyLang(next);
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zhCN, key);
}

export function translate(l: Lang, key: MessageKey, params?: MessageParams): string {
  const text = dictionaries[l][key] ?? zhCN[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : match,
  );
}
