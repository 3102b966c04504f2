import { pinyin } from 'pinyin-pro';

/**
 * Pinyin initials of a Chinese name, lower-case, so `zs` finds 张三. Surnames use their surname
 * readings (单 → s, 曾 → z). Non-Chinese characters are kept as typed (letters lower-cased).
 */
export function nameInitials(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const initials = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', surname: 'head' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  // Names repeat a great deal (张伟, 王芳 …): an import of 100,000 rows converts each distinct name once.
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(name, initials);
  return initials;
}

const CACHE_SIZE = 20_000;
const cache = new Map<string, string>();
