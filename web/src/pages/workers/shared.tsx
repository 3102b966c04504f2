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
  'posts',
  'status',
  'phone',
  'education',
  'politicalStatus',
  'workStartDate',
  'gender',
  'birthDate',
  'formerName',
  'ethnicity',
  'partyJoinDate',
  'educationMode',
  'school',
  'major',
  'address',
  'hukou',
  'emergencyContactName',
  'emergencyContactPhone',
  'joinCommunityDate',
  'qualificationLevel',
  'certificateNo',
  'certificateDate',
] as const;

/** Status moves the status endpoint accepts from each status (besides reinstatement of an exited worker). */
export const STATUS_TRANSITIONS: Record<string, readonly string[]> = {
  probation: ['active', 'on_leave', 'exited'],
  active: ['on_leave', 'exited'],
  on_leave: ['active', 'exited'],
  exited: [],
};

/** Statuses an exited worker may be reinstated to (`reinstate: true`, street HR only). */
export const REINSTATE_TARGETS: readonly string[] = ['probation', 'active'];

/** 一肩挑: party secretary and committee director at once. */
export function isConcurrentPosts(posts: readonly string[] | undefined): boolean {
  return !!posts && posts.includes('party_secretary') && posts.includes('committee_director');
}

export function ConcurrentTag() {
  const t = useT();
  return (
    <Tag color="red" style={{ marginInlineStart: 6 }} data-testid="worker-concurrent">
      {t('worker.concurrent')}
    </Tag>
  );
}
