import { DownloadOutlined } from '@ant-design/icons';
import {
  App,
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Flex,
  Form,
  Popconfirm,
  Progress,
  Space,
  Table,
  Tabs,
  Tag,
  type TableProps,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useCurrentUser, usePermission } from '../../api/auth';
import {
  formatFen,
  payrollExportUrl,
  useCreatePayrollRun,
  usePayrollRun,
  usePayrollRunAction,
  usePayrollRunErrors,
  usePayrollRuns,
  usePayrollRunSlips,
  type PayrollRun,
  type PayrollRunError,
  type PayrollRunStatus,
  type PayslipSummary,
} from '../../api/payroll';
import { OrgSelect } from '../../components/OrgSelect';
import { PageTitle } from '../../components/PageTitle';
import { ErrorResult } from '../../components/status';
import { useT, type TFunction } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { PaySettingsCard } from './PaySettingsCard';
import { bandLabel, SlipDrawer } from './SlipDrawer';

const STATUS_COLORS: Record<PayrollRunStatus, string> = {
  draft: 'default',
  computing: 'processing',
  computed: 'blue',
  approved: 'green',
  paid: 'cyan',
  failed: 'red',
};

export function RunStatusTag({ status }: { status: PayrollRunStatus }) {
  const t = useT();
  return <Tag color={STATUS_COLORS[status]}>{t(`payroll.status.${status}` as Parameters<TFunction>[0])}</Tag>;
}

/** 薪酬发放: monthly payroll runs of the caller's org (create, compute with progress, approve, pay, download), and pay settings. */
export default function PayrollPage() {
  const t = useT();
  const me = useCurrentUser();
  const can = usePermission();
  const [orgCode, setOrgCode] = useState<string>(me.orgCode);
  const [page, setPage] = useState(1);
  const [openRunId, setOpenRunId] = useState<number | undefined>();
  const runs = usePayrollRuns({ orgCode, page, pageSize: 10 });

  const columns: TableProps<PayrollRun>['columns'] = [
    { title: '#', dataIndex: 'id', key: 'id', width: 70 },
    { title: t('payroll.org'), dataIndex: 'orgName', key: 'org' },
    { title: t('payroll.month'), dataIndex: 'month', key: 'month' },
    { title: t('payroll.statusLabel'), dataIndex: 'status', key: 'status', render: (v: PayrollRunStatus) => <RunStatusTag status={v} /> },
    { title: t('payroll.slips'), dataIndex: 'slipCount', key: 'slips' },
    { title: t('payroll.errors'), dataIndex: 'errorCount', key: 'errors' },
    { title: t('payroll.net'), key: 'net', align: 'right', render: (_, r) => formatFen(r.totals.netFen) },
    { title: t('payroll.createdAt'), dataIndex: 'createdAt', key: 'at', render: (v: string) => formatDateTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, r) => (
        <Button size="small" type="link" onClick={() => setOpenRunId(r.id)} data-testid={`payroll-run-view-${r.id}`}>
          {t('payroll.view')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        title={t('payroll.title')}
        subtitle={t('payroll.subtitle')}
        extra={
          <OrgSelect
            value={orgCode}
            onChange={(code) => {
              setOrgCode(code ?? me.orgCode);
              setPage(1);
            }}
            allowClear={false}
            style={{ width: 260, maxWidth: '100%' }}
            data-testid="payroll-org-select"
          />
        }
      />
      <Flex vertical gap={16}>
        {can('payroll:write') && <NewRunCard orgCode={orgCode} onCreated={setOpenRunId} />}
        <Card title={t('payroll.runs')}>
          {runs.isError ? (
            <ErrorResult error={runs.error} onRetry={() => void runs.refetch()} />
          ) : (
            <Table<PayrollRun>
              rowKey="id"
              size="small"
              loading={runs.isFetching}
              columns={columns}
              dataSource={runs.data?.items ?? []}
              scroll={{ x: 800 }}
              pagination={{ current: page, pageSize: 10, total: runs.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
              data-testid="payroll-runs-table"
            />
          )}
        </Card>
        {(can('rules:write') || can('payroll:read')) && <PaySettingsCard regionCode={orgCode} />}
      </Flex>
      <RunDrawer runId={openRunId} onClose={() => setOpenRunId(undefined)} />
    </>
  );
}

function NewRunCard({ orgCode, onCreated }: { orgCode: string; onCreated: (id: number) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const create = useCreatePayrollRun();
  const [form] = Form.useForm<{ orgCode: string; month: Dayjs }>();
  const submit = async (values: { orgCode: string; month: Dayjs }) => {
    try {
      const run = await create.mutateAsync({ orgCode: values.orgCode, month: values.month.format('YYYY-MM') });
      void message.success(t('payroll.created'));
      onCreated(run.id);
    } catch (err) {
      void message.error((err as Error).message);
    }
  };
  return (
    <Card title={t('payroll.newRun')}>
      <Form form={form} layout="inline" initialValues={{ orgCode, month: dayjs() }} onFinish={(v) => void submit(v)}>
        <Form.Item name="orgCode" label={t('payroll.org')} rules={[{ required: true }]}>
          <OrgSelect allowClear={false} style={{ width: 240 }} data-testid="payroll-new-org" />
        </Form.Item>
        <Form.Item name="month" label={t('payroll.month')} rules={[{ required: true }]}>
          <DatePicker picker="month" allowClear={false} data-testid="payroll-new-month" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="payroll-create">
          {t('payroll.create')}
        </Button>
      </Form>
    </Card>
  );
}

function RunDrawer({ runId, onClose }: { runId: number | undefined; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const can = usePermission();
  const run = usePayrollRun(runId);
  const action = usePayrollRunAction();
  const [slipPage, setSlipPage] = useState(1);
  const [errorPage, setErrorPage] = useState(1);
  const [slipId, setSlipId] = useState<number | undefined>();
  const r = run.data;
  const isComputedOrLater = !!r && ['computed', 'approved', 'paid'].includes(r.status);
  const slips = usePayrollRunSlips(isComputedOrLater ? runId : undefined, { page: slipPage, pageSize: 20 });
  const errors = usePayrollRunErrors(isComputedOrLater ? runId : undefined, { page: errorPage, pageSize: 20 });

  const act = async (kind: 'compute' | 'approve' | 'paid') => {
    if (!runId) return;
    try {
      await action.mutateAsync({ id: runId, action: kind });
      void message.success(t(`payroll.done.${kind}` as Parameters<TFunction>[0]));
    } catch (err) {
      void message.error((err as Error).message);
    }
  };

  const percent = r?.progress.total ? Math.floor((r.progress.done / r.progress.total) * 100) : r?.status === 'computed' ? 100 : 0;

  return (
    <Drawer open={!!runId} onClose={onClose} size="large" title={r ? `${r.orgName} ${r.month}` : ''} destroyOnHidden>
      {run.isError ? (
        <ErrorResult error={run.error} onRetry={() => void run.refetch()} />
      ) : r ? (
        <Flex vertical gap={16} data-testid="payroll-run-drawer">
          {r.isDemo && <Alert type="warning" showIcon title={t('payroll.demoWarning')} />}
          {r.error && <Alert type="error" showIcon title={r.error} />}
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('payroll.statusLabel')}>
              <span data-testid="payroll-run-status">
                <RunStatusTag status={r.status} />
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('payroll.progress')}>
              <Progress
                percent={percent}
                size="small"
                status={r.status === 'failed' ? 'exception' : r.status === 'computing' ? 'active' : undefined}
              />
              {r.progress.done}/{r.progress.total ?? '?'}
            </Descriptions.Item>
            <Descriptions.Item label={t('payroll.slips')}>
              <span data-testid="payroll-run-slip-count">{r.slipCount}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('payroll.errors')}>{r.errorCount}</Descriptions.Item>
            <Descriptions.Item label={t('payroll.gross')}>{formatFen(r.totals.grossFen)}</Descriptions.Item>
            <Descriptions.Item label={t('payroll.net')}>{formatFen(r.totals.netFen)}</Descriptions.Item>
            <Descriptions.Item label={t('payroll.employeeInsurance')}>{formatFen(r.totals.employeeInsuranceFen)}</Descriptions.Item>
            <Descriptions.Item label={t('payroll.tax')}>{formatFen(r.totals.taxFen)}</Descriptions.Item>
            <Descriptions.Item label={t('payroll.employerInsurance')}>{formatFen(r.totals.employerInsuranceFen)}</Descriptions.Item>
            <Descriptions.Item label={t('payroll.approvedBy')}>{r.approvedByName ?? '—'}</Descriptions.Item>
          </Descriptions>
          <Space wrap>
            {can('payroll:write') && ['draft', 'failed', 'computed'].includes(r.status) && (
              <Button type="primary" onClick={() => void act('compute')} loading={action.isPending} data-testid="payroll-compute">
                {r.status === 'computed' ? t('payroll.recompute') : t('payroll.compute')}
              </Button>
            )}
            {can('payroll:approve') && r.status === 'computed' && (
              <Popconfirm title={t('payroll.approveConfirm')} onConfirm={() => void act('approve')}>
                <Button data-testid="payroll-approve">{t('payroll.approve')}</Button>
              </Popconfirm>
            )}
            {can('payroll:approve') && r.status === 'approved' && (
              <Popconfirm title={t('payroll.paidConfirm')} onConfirm={() => void act('paid')}>
                <Button data-testid="payroll-paid">{t('payroll.markPaid')}</Button>
              </Popconfirm>
            )}
            {isComputedOrLater &&
              (['payroll', 'bank', 'summary'] as const).map((kind) => (
                <Button key={kind} icon={<DownloadOutlined />} href={payrollExportUrl(r.id, kind)} data-testid={`payroll-export-${kind}`}>
                  {t(`payroll.export.${kind}` as Parameters<TFunction>[0])}
                </Button>
              ))}
          </Space>
          {isComputedOrLater && (
            <Tabs
              items={[
                {
                  key: 'slips',
                  label: `${t('payroll.slips')} (${r.slipCount})`,
                  children: (
                    <Table<PayslipSummary>
                      rowKey="id"
                      size="small"
                      loading={slips.isFetching}
                      dataSource={slips.data?.items ?? []}
                      pagination={{
                        current: slipPage,
                        pageSize: 20,
                        total: slips.data?.total ?? 0,
                        showSizeChanger: false,
                        onChange: setSlipPage,
                      }}
                      data-testid="payroll-slips-table"
                      columns={[
                        {
                          title: t('payroll.slip.worker'),
                          key: 'name',
                          render: (_, s) => (
                            <Button type="link" size="small" onClick={() => setSlipId(s.id)} data-testid={`payroll-slip-${s.workerId}`}>
                              {s.workerName}
                            </Button>
                          ),
                        },
                        { title: t('payroll.slip.org'), dataIndex: 'orgName', key: 'org' },
                        {
                          title: t('payroll.slip.grade'),
                          key: 'grade',
                          render: (_, s) => `${bandLabel(s.band)} ${t('payroll.slip.level', { level: s.level })}`,
                        },
                        { title: t('payroll.gross'), key: 'gross', align: 'right', render: (_, s) => formatFen(s.grossFen) },
                        { title: t('payroll.tax'), key: 'tax', align: 'right', render: (_, s) => formatFen(s.taxFen) },
                        { title: t('payroll.net'), key: 'net', align: 'right', render: (_, s) => formatFen(s.netFen) },
                      ]}
                    />
                  ),
                },
                {
                  key: 'errors',
                  label: `${t('payroll.errors')} (${r.errorCount})`,
                  children: (
                    <Table<PayrollRunError>
                      rowKey="workerId"
                      size="small"
                      dataSource={errors.data?.items ?? []}
                      pagination={{
                        current: errorPage,
                        pageSize: 20,
                        total: errors.data?.total ?? 0,
                        showSizeChanger: false,
                        onChange: setErrorPage,
                      }}
                      data-testid="payroll-errors-table"
                      columns={[
                        { title: t('payroll.slip.worker'), dataIndex: 'workerName', key: 'name' },
                        { title: t('payroll.slip.org'), dataIndex: 'orgName', key: 'org' },
                        { title: t('payroll.reason'), dataIndex: 'message', key: 'message' },
                      ]}
                    />
                  ),
                },
              ]}
            />
          )}
        </Flex>
      ) : null}
      <SlipDrawer slipId={slipId} onClose={() => setSlipId(undefined)} />
    </Drawer>
  );
}
