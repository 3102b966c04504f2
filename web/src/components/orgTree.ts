import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { loadChildren, useOrg } from '../api/orgs';
import type { Org } from '../api/types';

export interface OrgTreeNode {
  key: string;
  value: string;
  title: ReactNode;
  isLeaf: boolean;
  children?: OrgTreeNode[];
  org: Org;
}

/**
 * Lazily loaded org tree rooted at `rootCode`: children are fetched from /orgs/{code}/children when a node
 * is expanded (`load`). The result is shaped for antd Tree (key) and TreeSelect (value).
 */
export function useLazyOrgTree(rootCode: string | undefined) {
  const qc = useQueryClient();
  const root = useOrg(rootCode);
  const [loaded, setLoaded] = useState<Record<string, Org[]>>({});

  const load = useCallback(
    async (code: string): Promise<Org[]> => {
      const items = await loadChildren(qc, code);
      setLoaded((prev) => (prev[code] === items ? prev : { ...prev, [code]: items }));
      return items;
    },
    [qc],
  );

  /** Replaces an org already in the tree (after an edit). */
  const replace = useCallback((org: Org) => {
    setLoaded((prev) => {
      if (!org.parentCode || !prev[org.parentCode]) return prev;
      return { ...prev, [org.parentCode]: prev[org.parentCode].map((o) => (o.code === org.code ? org : o)) };
    });
  }, []);

  const treeData = useMemo<OrgTreeNode[]>(() => {
    const build = (org: Org, depth: number): OrgTreeNode => {
      const kids = loaded[org.code];
      return {
        key: org.code,
        value: org.code,
        title: org.name,
        org,
        isLeaf: !org.hasChildren || (kids !== undefined && kids.length === 0),
        children: kids && kids.length > 0 && depth < 8 ? kids.map((k) => build(k, depth + 1)) : undefined,
      };
    };
    return root.data ? [build(root.data, 0)] : [];
  }, [root.data, loaded]);

  const isLoaded = useCallback((code: string) => loaded[code] !== undefined, [loaded]);

  return { root, treeData, load, replace, isLoaded };
}
