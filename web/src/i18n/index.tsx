import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { currentLang, setCurrentLang, translate, type Lang, type MessageKey, type MessageParams } from './core';

export type { Lang, MessageKey, MessageParams } from './core';
export { isMessageKey } from './core';

export type TFunction = (key: MessageKey, params?: MessageParams) => string;

interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: TFunction;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(currentLang);
  const setLang = useCallback((next: Lang) => {
    setCurrentLang(next);
    setLangState(next);
  }, []);
  const t = useCallback<TFunction>((key, params) => translate(lang, key, params), [lang]);
  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('I18nProvider is missing');
  return value;
}

/** The translate function for the current language. */
export function useT(): TFunction {
  return useI18n().t;
}

export function useLang(): { lang: Lang; setLang: (lang: Lang) => void } {
  const { lang, setLang } = useI18n();
  return { lang, setLang };
}
