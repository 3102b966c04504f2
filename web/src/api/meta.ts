import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { isMessageKey, useLang, useT } from '../i18n';
import { api } from './client';
import type { EnumItem, EnumKind, Enums } from './types';

export const enumsKey = ['meta', 'enums'] as const;

export function useEnums() {
  return useQuery({
    queryKey: enumsKey,
    queryFn: () => api.get<Enums>('/meta/enums'),
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

export interface EnumOption {
  value: string;
  label: string;
  category?: string;
}

/** Labels and select options for the reference enums, in the current language. */
export function useEnumLabels() {
  const { data } = useEnums();
  const { lang } = useLang();
  const pick = useCallback((item: EnumItem) => (lang === 'en' ? item.labelEn || item.label : item.label), [lang]);

  const maps = useMemo(() => {
    const m = new Map<EnumKind, Map<string, EnumItem>>();
    if (data) {
      for (const kind of Object.keys(data) as EnumKind[]) {
        const list = Array.isArray(data[kind]) ? data[kind] : [];
        m.set(kind, new Map(list.map((i) => [String(i.code), i])));
      }
    }
    return m;
  }, [data]);

  const label = useCallback(
    (kind: EnumKind, code: string | number | null | undefined): string => {
      if (code === null || code === undefined || code === '') return '';
      const item = maps.get(kind)?.get(String(code));
      return item ? pick(item) : String(code);
    },
    [maps, pick],
  );

  const options = useCallback(
    (kind: EnumKind): EnumOption[] => (data?.[kind] ?? []).map((i) => ({ value: String(i.code), label: pick(i), category: i.category })),
    [data, pick],
  );

  return { label, options, loaded: !!data };
}

/** Role label from /meta/enums, falling back to the built-in dictionary before the enums are loaded. */
export function useRoleLabel(): (role: string) => string {
  const { label, loaded } = useEnumLabels();
  const t = useT();
  return useCallback(
    (role: string) => {
      if (loaded) return label('roles', role);
      const key = `role.${role}`;
      return isMessageKey(key) ? t(key) : role;
    },
    [label, loaded, t],
  );
}
