import { Table, Tag, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { useEnumLabels } from '../../api/meta';
import type { EnumKind, WorkerAssignment, WorkerHistoryEntry } from '../../api/types';
import { useWorkerAssignments, useWorkerHistory } from '../../api/workers';
import { ErrorResult } from '../../components/status';
import { isMessageKey, useT } from '../../i18n';
import { formatDate, formatDateTime } from '../../utils/format';

/** 履历: the worker's placements, oldest first. */
export function WorkerAssignmentsTab({ id }: { id: string }) {
  const t = useT();
  const q = useWorkerAssignments(id);
  if (q.isError) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  const columns: TableProps<WorkerAssignment>['columns'] = [
    {
      title: t('assignment.org'),
      key: 'org',
      render: (_, a) => (
        <span>
          {a.orgName}
          <Typography.Text type="secondary" className="sg-mono" style={{ marginInlineStart: 6, fontSize: 12 }}>
            {a.orgCode}
          </Typography.Text>
        </span>
      ),
    },
    { title: t('assignment.from'), dataIndex: 'fromDate', key: 'from', render: (v: string) => formatDate(v), width: 120 },
    {
      title: t('assignment.to'),
      dataIndex: 'toDate',
      key: 'to',
      width: 120,
      render: (v: string | null) => (v ? formatDate(v) : <Tag color="green">{t('assignment.current')}</Tag>),
    },
    { title: t('assignment.reason'), dataIndex: 'reason', key: 'reason', render: (v: string | null) => v || '—' },
  ];
  return (
    <Table<WorkerAssignment>
      rowKey={(a) => `${a.orgCode}-${a.fromDate}`}
      size="small"
      loading={q.isPending}
      dataSource={q.data?.items ?? []}
      columns={columns}
      pagination={false}
      scroll={{ x: 560 }}
      data-testid="worker-assignments"
    />
  );
}

/** Fields whose history values are codes of a reference table. */
const ENUM_FIELDS: Record<string, EnumKind> = {
  status: 'statuses',
  post: 'posts',
  posts: 'posts',
  education: 'educations',
  politicalStatus: 'politicalStatuses',
  gender: 'genders',
  ethnicity: 'ethnicities',
  educationMode: 'educationModes',
  qualificationLevel: 'qualificationLevels',
  leaveType: 'leaveTypes',
  exitReason: 'exitReasons',
};

const PAGE_SIZE = 20;

/** 变更记录: the field-level change history, newest first. */
export function WorkerHistoryTab({ id }: { id: string }) {
  const t = useT();
  const { label } = useEnumLabels();
  const [page, setPage] = useState(1);
  const q = useWorkerHistory(id, page, PAGE_SIZE);
  if (q.isError) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;

  const fieldLabel = (field: string) => {
    const key = `worker.${field}`;
    return isMessageKey(key) ? t(key) : field;
  };
  const value = (field: string, v: string | null) => {
    if (v === null || v === '') return <Typography.Text type="secondary">{t('history.empty')}</Typography.Text>;
    const kind = ENUM_FIELDS[field];
    if (!kind) return v;
    return v
      .split(',')
      .map((c) => label(kind, c))
      .join('、');
  };
  const actionLabel = (a: string) => {
    const key = `history.action.${a}`;
    return isMessageKey(key) ? t(key) : a;
  };

  const columns: TableProps<WorkerHistoryEntry>['columns'] = [
    { title: t('history.ts'), dataIndex: 'ts', key: 'ts', width: 170, render: (v: string) => formatDateTime(v) },
    { title: t('history.actor'), dataIndex: 'actorName', key: 'actor', width: 120, render: (v: string | null) => v || t('history.system') },
    { title: t('history.action'), dataIndex: 'action', key: 'action', width: 100, render: (v: string) => <Tag>{actionLabel(v)}</Tag> },
    { title: t('history.field'), dataIndex: 'field', key: 'field', width: 140, render: (v: string) => fieldLabel(v) },
    {
      title: t('history.change'),
      key: 'change',
      render: (_, e) => (
        <span data-testid="worker-history-change">
          {value(e.field, e.oldValue)} → {value(e.field, e.newValue)}
        </span>
      ),
    },
  ];
  return (
    <Table<WorkerHistoryEntry>
      rowKey="id"
      size="small"
      loading={q.isFetching}
      dataSource={q.data?.items ?? []}
      columns={columns}
      scroll={{ x: 720 }}
      pagination={{
        current: page,
        pageSize: PAGE_SIZE,
        total: q.data?.total ?? 0,
        showSizeChanger: false,
        onChange: setPage,
        showTotal: (n) => t('common.total', { n }),
      }}
      data-testid="worker-history"
    />
  );
}
