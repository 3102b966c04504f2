import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, Modal, Select, Table, Tag, type TableProps } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useCurrentUser, usePermission } from '../../api/auth';
import { SANCTION_KINDS, useSanctions, type SanctionKind, type SanctionListItem, type SanctionStatus } from '../../api/sanctions';
import { OrgSelect } from '../../components/OrgSelect';
import { PageTitle } from '../../components/PageTitle';
import { ErrorResult } from '../../components/status';
import { useT } from '../../i18n';
import { formatDate } from '../../utils/format';
import { useSearchState } from '../../utils/hooks';
import { WorkerPickSelect } from '../payroll/WorkerPickSelect';
import { kindLabel, RevokeModal, SanctionForm } from '../workers/WorkerSanctionsTab';

const FILTER_KEYS = ['org', 'year', 'kind', 'status', 'page', 'size'] as const;
const STATUSES: readonly SanctionStatus[] = ['in_force', 'revoked'];
const DEFAULT_PAGE_SIZE = 20;
const YEARS_BACK = 10;

const isKind = (v: string | undefined): v is SanctionKind => !!v && (SANCTION_KINDS as readonly string[]).includes(v);
const isStatus = (v: string | undefined): v is SanctionStatus => !!v && (STATUSES as readonly string[]).includes(v);

/** 处分登记: the sanction register in the caller's scope, with filters; street HR records and revokes. */
export default function SanctionsPage() {
  const t = useT();
  const me = useCurrentUser();
  const can = usePermission();
  const canWrite = can('sanctions:write');
  const [f, setF] = useSearchState(FILTER_KEYS);
  const orgCode = f.org ?? me.orgCode;
  const year = f.year && /^\d{4}$/.test(f.year) ? Number(f.year) : undefined;
  const kind = isKind(f.kind) ? f.kind : undefined;
  const status = isStatus(f.status) ? f.status : undefined;
  const page = Math.max(1, Number(f.page) || 1);
  const pageSize = Number(f.size) || DEFAULT_PAGE_SIZE;
  const q = useSanctions({ orgCode, year, kind, status, page, pageSize });
  const [recording, setRecording] = useState(false);
  const [revoking, setRevoking] = useState<SanctionListItem | null>(null);

  const thisYear = dayjs().year();
  const years = Array.from({ length: YEARS_BACK + 1 }, (_, i) => thisYear - i);

  const columns: TableProps<SanctionListItem>['columns'] = [
    {
      title: t('sanction.worker'),
      dataIndex: 'workerName',
      key: 'worker',
      width: 110,
      fixed: 'left',
      render: (v: string, s) => <Link to={`/workers/${s.workerId}`}>{v}</Link>,
    },
    { title: t('sanction.org'), key: 'org', ellipsis: true, render: (_, s) => s.orgName ?? s.orgCode },
    { title: t('sanction.kind'), dataIndex: 'kind', key: 'kind', width: 130, render: (_: string, s) => kindLabel(t, s) },
    { title: t('sanction.decidedOn'), dataIndex: 'decidedOn', key: 'decidedOn', width: 110, render: (v: string) => formatDate(v) },
    {
      title: t('sanction.endsOn'),
      dataIndex: 'endsOn',
      key: 'endsOn',
      width: 170,
      render: (v: string | null, s) => (
        <Flex gap={4} wrap align="center">
          <span>{formatDate(v)}</span>
          {s.isInInfluencePeriod && <Tag color="orange">{t('sanction.inInfluence')}</Tag>}
        </Flex>
      ),
    },
    { title: t('sanction.authority'), dataIndex: 'authority', key: 'authority', ellipsis: true },
    {
      title: t('sanction.documentNo'),
      dataIndex: 'documentNo',
      key: 'documentNo',
      width: 150,
      render: (v: string | null) => (v ? <span className="sg-mono">{v}</span> : '—'),
    },
    {
      title: t('sanction.status'),
      dataIndex: 'status',
      key: 'status',
      width: 90,
      render: (v: SanctionStatus) => <Tag color={v === 'revoked' ? 'default' : 'red'}>{t(`sanction.status.${v}`)}</Tag>,
    },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 80,
            render: (_: unknown, s: SanctionListItem) =>
              s.status === 'in_force' ? (
                <Button size="small" type="link" danger onClick={() => setRevoking(s)} data-testid="sanction-revoke">
                  {t('sanction.revoke')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <>
      <PageTitle
        title={t('sanction.register.title')}
        subtitle={t('sanction.register.subtitle')}
        extra={
          canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="sanctions-record">
              {t('sanction.record')}
            </Button>
          )
        }
      />
      <Card size="small">
        <Flex vertical gap={12}>
          <Flex gap={8} wrap>
            <OrgSelect
              value={orgCode}
              onChange={(c) => setF({ org: c && c !== me.orgCode ? c : undefined, page: undefined })}
              allowClear={false}
              style={{ width: 240, maxWidth: '100%' }}
              data-testid="sanctions-org"
            />
            <Select<number>
              allowClear
              placeholder={t('sanction.year')}
              value={year}
              onChange={(v) => setF({ year: v, page: undefined })}
              options={years.map((y) => ({ value: y, label: t('sanction.yearOption', { y }) }))}
              style={{ width: 120 }}
              data-testid="sanctions-year"
            />
            <Select<SanctionKind>
              allowClear
              placeholder={t('sanction.kind')}
              value={kind}
              onChange={(v) => setF({ kind: v, page: undefined })}
              options={SANCTION_KINDS.map((k) => ({ value: k, label: t(`sanction.kind.${k}`) }))}
              style={{ width: 180, maxWidth: '100%' }}
              data-testid="sanctions-kind"
            />
            <Select<SanctionStatus>
              allowClear
              placeholder={t('sanction.status')}
              value={status}
              onChange={(v) => setF({ status: v, page: undefined })}
              options={STATUSES.map((s) => ({ value: s, label: t(`sanction.status.${s}`) }))}
              style={{ width: 120 }}
              data-testid="sanctions-status"
            />
          </Flex>
          {q.isError ? (
            <ErrorResult error={q.error} onRetry={() => void q.refetch()} />
          ) : (
            <Table<SanctionListItem>
              rowKey="id"
              size="small"
              loading={q.isFetching}
              dataSource={q.data?.items ?? []}
              columns={columns}
              scroll={{ x: 1040 }}
              pagination={{
                current: page,
                pageSize,
                total: q.data?.total ?? 0,
                showSizeChanger: true,
                showTotal: (n) => t('common.total', { n }),
                onChange: (p, size) => setF({ page: p > 1 ? p : undefined, size: size !== DEFAULT_PAGE_SIZE ? size : undefined }),
              }}
              locale={{ emptyText: t('sanction.none') }}
              data-testid="sanctions-table"
            />
          )}
        </Flex>
      </Card>
      <RecordModal open={recording} orgCode={orgCode} onClose={() => setRecording(false)} />
      <RevokeModal workerId={revoking ? String(revoking.workerId) : ''} sanction={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}

/** 登记处分 from the register: pick the worker by name, then the worker tab's record form. */
function RecordModal({ open, orgCode, onClose }: { open: boolean; orgCode: string; onClose: () => void }) {
  const t = useT();
  const [workerId, setWorkerId] = useState<number | undefined>();
  const close = () => {
    setWorkerId(undefined);
    onClose();
  };
  return (
    <Modal open={open} onCancel={close} title={t('sanction.record')} footer={null} destroyOnHidden mask={{ closable: false }}>
      {open && (
        <>
          <Form layout="vertical">
            <Form.Item label={t('sanction.pickWorker')} required extra={workerId === undefined ? t('sanction.pickWorkerHint') : undefined}>
              <WorkerPickSelect orgCode={orgCode} value={workerId} onChange={setWorkerId} data-testid="sanctions-worker" />
            </Form.Item>
          </Form>
          {workerId === undefined ? (
            <Flex justify="flex-end">
              <Button onClick={close}>{t('common.cancel')}</Button>
            </Flex>
          ) : (
            <SanctionForm key={workerId} workerId={String(workerId)} onClose={close} />
          )}
        </>
      )}
    </Modal>
  );
}
