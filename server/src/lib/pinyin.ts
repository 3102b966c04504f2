import { pinyin } from 'pinyin-pro';

/**
 * Pinyin initials of a Chinese name, lower-case, so `zs` finds 张三. Surnames use their surname
 * readings (单 → s, 曾 → z). Non-Chinese characters are kept as typed (letters lower-cased).
 */
export function nameInitials(name: string): string {
  const initials = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', surname: 'head' });
  return initials
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
