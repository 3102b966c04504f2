import { Spin, TreeSelect, Typography } from 'antd';
import { useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { useCurrentUser } from '../api/auth';
import { useOrg, useOrgSearch } from '../api/orgs';
import type { Org } from '../api/types';
import { useT } from '../i18n';
import { useDebouncedValue } from '../utils/hooks';
import { useLazyOrgTree, type OrgTreeNode } from './orgTree';

export interface OrgSelectProps {
  value?: string | null;
  onChange?: (code: string | undefined, org?: Org) => void;
  /** Root of the tree; defaults to the signed-in user's org. */
  rootCode?: string;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  id?: string;
  status?: 'error' | 'warning' | '';
  size?: 'small' | 'middle' | 'large';
  style?: CSSProperties;
  className?: string;
  'data-testid'?: string;
}

interface LabeledValue {
  value: string;
  label: ReactNode;
}

/**
 * Org picker: a TreeSelect whose children load lazily from /orgs/{code}/children (rooted at the user's org);
 * typing searches /orgs?q= (debounced) and lists the matches flat, each with its ancestry.
 */
export function OrgSelect({
  value,
  onChange,
  rootCode,
  placeholder,
  allowClear = true,
  disabled,
  id,
  status,
  size,
  style,
  className,
  ...rest
}: OrgSelectProps) {
  const t = useT();
  const me = useCurrentUser();
  const root = rootCode ?? me.orgCode;
  const tree = useLazyOrgTree(root);
  const [search, setSearch] = useState('');
  const debounced = useDebouncedValue(search, 300);
  const searching = search.trim().length > 0;
  const results = useOrgSearch(searching ? debounced : '');
  const selected = useOrg(value || undefined);

  const searchNodes = useMemo<OrgTreeNode[]>(
    () =>
      (results.data?.items ?? []).map((org) => ({
        key: org.code,
        value: org.code,
        isLeaf: true,
        org,
        title: (
          <span>
            {org.name}
            {org.path.length > 0 && (
              <Typography.Text type="secondary" style={{ marginInlineStart: 6, fontSize: 12 }}>
                {org.path
                  .slice(-2)
                  .map((p) => p.name)
                  .join(' / ')}
              </Typography.Text>
            )}
          </span>
        ),
      })),
    [results.data],
  );

  const labeled: LabeledValue | undefined = value ? { value, label: selected.data?.name ?? value } : undefined;
  const pending = searching && (search !== debounced || results.isFetching);

  return (
    <TreeSelect<LabeledValue | undefined, OrgTreeNode>
      id={id}
      className={className}
      style={{ minWidth: 200, ...style }}
      size={size}
      status={status}
      disabled={disabled}
      allowClear={allowClear}
      placeholder={placeholder ?? t('org.select.placeholder')}
      labelInValue
      value={labeled}
      treeData={searching ? searchNodes : tree.treeData}
      treeDefaultExpandedKeys={[root]}
      loadData={searching ? undefined : (node) => tree.load(String(node.value))}
      showSearch={{ searchValue: search, onSearch: setSearch, filterTreeNode: false }}
      notFoundContent={pending ? <Spin size="small" /> : t('common.noData')}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { minWidth: 280, maxWidth: '90vw' } } }}
      listHeight={320}
      onChange={(next) => {
        setSearch('');
        const code = next ? String(next.value) : undefined;
        const org = code ? (searchNodes.find((n) => n.value === code)?.org ?? findInTree(tree.treeData, code)) : undefined;
        onChange?.(code, org);
      }}
      data-testid={rest['data-testid']}
    />
  );
}

function findInTree(nodes: OrgTreeNode[], code: string): Org | undefined {
  for (const n of nodes) {
    if (n.value === code) return n.org;
    if (n.children) {
      const hit = findInTree(n.children, code);
      if (hit) return hit;
    }
  }
  return undefined;
}
