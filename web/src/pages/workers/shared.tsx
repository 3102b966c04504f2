import { Tag, type SelectProps } from 'antd';
import { useMemo } from 'react';
import { useEnumLabels } from '../../api/meta';
import { useT } from '../../i18n';

/** Colour of a worker status tag; the codes come from /meta/enums, so this only recognises common words. */
export function statusColor(code: string): string {
  const c = code.toLowerCase();
  if (/(active|on_duty|employed|serving|in_post|onduty)/.test(c)) return 'green';
  if (/(probation|trial)/.test(c)) return 'blue';
  if (/(leave|suspend|pause)/.test(c)) return 'orange';
  if (/(left|resign|dismiss|terminat|retire|exit|quit)/.test(c)) return 'default';
  return 'geekblue';
}

export function WorkerStatusTag({ code }: { code: string }) {
  const { label } = useEnumLabels();
  return <Tag color={statusColor(code)}>{label('statuses', code)}</Tag>;
}

/** Post options grouped by post category when categories are present. */
type SelectOptions = NonNullable<SelectProps['options']>;

export function usePostOptions(): SelectOptions {
  const { options } = useEnumLabels();
  const t = useT();
  return useMemo<SelectOptions>(() => {
    const posts = options('posts');
    const categories = options('postCategories');
    if (!categories.length || !posts.some((p) => p.category)) return posts;
    const groups = categories
      .map((c) => ({
        label: c.label,
        title: c.label,
        options: posts.filter((p) => p.category === c.value).map((p) => ({ value: p.value, label: p.label })),
      }))
      .filter((g) => g.options.length > 0);
    const known = new Set(categories.map((c) => c.value));
    const rest = posts.filter((p) => !p.category || !known.has(p.category));
    if (rest.length) {
      groups.push({
        label: t('workers.postOther'),
        title: t('workers.postOther'),
        options: rest.map((p) => ({ value: p.value, label: p.label })),
      });
    }
    return groups;
  }, [options, t]);
}

export const WORKER_FIELDS = [
  'name',
  'idNumber',
  'orgCode',
  'post',
  'status',
  'phone',
  'education',
  'politicalStatus',
  'workStartDate',
] as const;
