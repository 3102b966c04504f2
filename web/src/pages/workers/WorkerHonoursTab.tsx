import { Empty, Table } from 'antd';
import { useWorkerHonours, type Honour } from '../../api/honours';
import { ErrorResult } from '../../components/status';
import { useT } from '../../i18n';

/** 荣誉 tab of the worker page: the honours decisions (表彰) that commend the worker. */
export function WorkerHonoursTab({ workerId }: { workerId: string }) {
  const t = useT();
  const q = useWorkerHonours(workerId);
  if (q.isError) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  if (q.data?.items.length === 0) return <Empty description={t('honours.workerNone')} />;
  return (
    <Table<Honour>
      rowKey="id"
      size="small"
      loading={q.isLoading}
      pagination={false}
      dataSource={q.data?.items}
      data-testid="worker-honours"
      columns={[
        { title: t('honours.title'), dataIndex: 'title', key: 'title' },
        { title: t('honours.cycle'), dataIndex: 'cycleName', key: 'cycle' },
        { title: t('honours.org'), key: 'org', render: (_, h) => h.orgName ?? h.orgCode },
        { title: t('honours.documentNo'), dataIndex: 'documentNo', key: 'doc', render: (v: string | null) => v ?? '—' },
        { title: t('honours.decidedOn'), dataIndex: 'decidedOn', key: 'date' },
      ]}
    />
  );
}
