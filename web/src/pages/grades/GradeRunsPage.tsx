import { UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  type ButtonProps,
  Card,
  DatePicker,
  Drawer,
  Flex,
  Form,
  InputNumber,
  Popconfirm,
  Radio,
  Segmented,
  Space,
  Table,
  Typography,
  type TableProps,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useCurrentUser, usePermission } from '../../api/auth';
import { showServerError } from '../../api/client';
import {
  useCreateGradeRun,
  useGradeRun,
  useGradeRunAction,
  useGradeRunItems,
  useGradeRuns,
  type GradeChange,
  type GradeRun,
  type GradeRunItem,
  type GradeRunKind,
} from '../../api/grades';
import { OrgSelect } from '../../components/OrgSelect';
import { PageTitle } from '../../components/PageTitle';
import { ErrorResult } from '../../components/status';
import { useT } from '../../i18n';
import { DATE_FORMAT, formatDate, formatDateTime } from '../../utils/format';
import { AssessmentImportModal } from './AssessmentImportModal';
import { GradeSchemeCard } from './GradeSchemeCard';
import { ChangeTag, CHANGES, gradeText, keyLabel, RunStatusTag } from './shared';

interface RunForm {
  orgCode: string;
  kind: GradeRunKind;
  runYear?: number;
  effectiveDate?: Dayjs;
}

/** 等级评定: the grade scheme in force, new grading / promotion runs (preview → approve), and past runs. */
export default function GradeRunsPage() {
  const t = useT();
  const me = useCurrentUser();
  const can = usePermission();
  const [orgCode, setOrgCode] = useState<string | undefined>(me.orgCode);
  const [page, setPage] = useState(1);
  const [openRunId, setOpenRunId] = useState<number | undefined>();
  const [isImporting, setIsImporting] = useState(false);
  const runs = useGradeRuns({ orgCode, page, pageSize: 10 });

  const columns: TableProps<GradeRun>['columns'] = [
    { title: '#', dataIndex: 'id', key: 'id', width: 70 },
    { title: t('grade.run.org'), key: 'org', render: (_, r) => r.orgName ?? r.orgCode },
    { title: t('grade.run.kind'), dataIndex: 'kind', key: 'kind', render: (v: string) => keyLabel(t, 'grade.run.kind', v) },
    { title: t('grade.effectiveDate'), dataIndex: 'effectiveDate', key: 'eff', render: (v: string | null) => formatDate(v) },
    { title: t('grade.run.status'), dataIndex: 'status', key: 'status', render: (v: string) => <RunStatusTag status={v} /> },
    { title: t('grade.run.counts'), key: 'counts', render: (_, r) => <CountsText run={r} /> },
    { title: t('grade.run.createdAt'), dataIndex: 'createdAt', key: 'at', render: (v: string) => formatDateTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, r) => (
        <Button size="small" type="link" onClick={() => setOpenRunId(r.id)} data-testid={`grade-run-view-${r.id}`}>
          {t('grade.run.view')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        title={t('grade.title')}
        subtitle={t('grade.subtitle')}
        extra={
          <Space wrap>
            {can('grades:write') && (
              <Button icon={<UploadOutlined />} onClick={() => setIsImporting(true)} data-testid="assessment-import-open">
                {t('grade.import.action')}
              </Button>
            )}
            <OrgSelect
              value={orgCode}
              onChange={(code) => {
                setOrgCode(code ?? me.orgCode);
                setPage(1);
              }}
              allowClear={false}
              style={{ width: 260, maxWidth: '100%' }}
              data-testid="grades-org-select"
            />
          </Space>
        }
      />
      <Flex vertical gap={16}>
        {can('grades:write') && <NewRunCard orgCode={orgCode ?? me.orgCode} onCreated={(id) => setOpenRunId(id)} />}
        <Card title={t('grade.run.list')}>
          {runs.isError ? (
            <ErrorResult error={runs.error} onRetry={() => void runs.refetch()} />
          ) : (
            <Table<GradeRun>
              rowKey="id"
              size="small"
              loading={runs.isFetching}
              columns={columns}
              dataSource={runs.data?.items ?? []}
              scroll={{ x: 800 }}
              pagination={{ current: page, pageSize: 10, total: runs.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
              data-testid="grade-runs-table"
            />
          )}
        </Card>
        <GradeSchemeCard orgCode={orgCode} />
      </Flex>
      <RunDrawer runId={openRunId} onClose={() => setOpenRunId(undefined)} />
      <AssessmentImportModal open={isImporting} onClose={() => setIsImporting(false)} />
    </>
  );
}

function CountsText({ run }: { run: GradeRun }) {
  const t = useT();
  const c = run.counts;
  const parts = CHANGES.filter((k) => c[k] > 0).map((k) => `${keyLabel(t, 'grade.change', k)} ${c[k]}`);
  return (
    <Typography.Text>
      {c.total}
      {parts.length > 0 && <Typography.Text type="secondary">（{parts.join('，')}）</Typography.Text>}
    </Typography.Text>
  );
}

function NewRunCard({ orgCode, onCreated }: { orgCode: string; onCreated: (id: number) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const create = useCreateGradeRun();
  const [form] = Form.useForm<RunForm>();
  const kind = Form.useWatch('kind', form) ?? 'promotion';

  const submit = async (values: RunForm) => {
    try {
      const run = await create.mutateAsync({
        orgCode: values.orgCode,
        kind: values.kind,
        ...(values.kind === 'promotion' ? { runYear: values.runYear } : {}),
        ...(values.kind === 'initial' && values.effectiveDate ? { effectiveDate: values.effectiveDate.format(DATE_FORMAT) } : {}),
      });
      void message.success(t('grade.run.created', { n: run.counts.total }));
      onCreated(run.id);
    } catch (err) {
      showServerError(form, err as Error, ['orgCode', 'kind', 'runYear', 'effectiveDate'] as const, (m) => void message.error(m));
    }
  };

  return (
    <Card title={t('grade.run.new')}>
      <Form<RunForm>
        key={orgCode}
        form={form}
        layout="inline"
        style={{ rowGap: 12 }}
        initialValues={{ orgCode, kind: 'promotion', runYear: dayjs().year(), effectiveDate: dayjs() }}
        onFinish={submit}
        data-testid="grade-run-form"
      >
        <Form.Item name="orgCode" label={t('grade.run.org')} rules={[{ required: true }]}>
          <OrgSelect allowClear={false} style={{ width: 240 }} data-testid="grade-run-org" />
        </Form.Item>
        <Form.Item name="kind" label={t('grade.run.kind')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'promotion', label: t('grade.run.kind.promotion') },
              { value: 'initial', label: t('grade.run.kind.initial') },
            ]}
            data-testid="grade-run-kind"
          />
        </Form.Item>
        {kind === 'promotion' ? (
          <Form.Item name="runYear" label={t('grade.run.year')} rules={[{ required: true }]}>
            <InputNumber min={2000} max={2100} style={{ width: 110 }} data-testid="grade-run-year" />
          </Form.Item>
        ) : (
          <Form.Item name="effectiveDate" label={t('grade.run.effectiveDate')}>
            <DatePicker format={DATE_FORMAT} />
          </Form.Item>
        )}
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="grade-run-preview">
            {t('grade.run.preview')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

function RunDrawer({ runId, onClose }: { runId: number | undefined; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const can = usePermission();
  const run = useGradeRun(runId);
  const [change, setChange] = useState<GradeChange | 'all'>('all');
  const [page, setPage] = useState(1);
  const items = useGradeRunItems(runId, { ...(change === 'all' ? {} : { change }), page, pageSize: 50 });
  const action = useGradeRunAction();
  const r = run.data;

  const act = async (kind: 'approve' | 'cancel') => {
    if (!runId) return;
    try {
      await action.mutateAsync({ id: runId, action: kind });
      void message.success(t(kind === 'approve' ? 'grade.run.approved' : 'grade.run.cancelled'));
    } catch (err) {
      void message.error((err as Error).message);
    }
  };

  const columns: TableProps<GradeRunItem>['columns'] = [
    {
      title: t('grade.item.worker'),
      key: 'worker',
      width: 110,
      render: (_, i) => <Link to={`/workers/${i.workerId}`}>{i.workerName}</Link>,
    },
    { title: t('grade.item.org'), key: 'org', width: 130, render: (_, i) => i.orgName ?? i.orgCode },
    { title: t('grade.item.from'), key: 'from', width: 110, render: (_, i) => gradeText(t, i.fromBand, i.fromBandName, i.fromLevel) },
    { title: t('grade.item.to'), key: 'to', width: 110, render: (_, i) => gradeText(t, i.toBand, i.toBandName, i.toLevel) },
    { title: t('grade.change'), dataIndex: 'change', key: 'change', width: 100, render: (v: string) => <ChangeTag change={v} /> },
    {
      title: t('grade.explanation'),
      dataIndex: 'textZh',
      key: 'text',
      render: (v: string, i) => (
        <Typography.Paragraph
          type={i.change === 'error' ? 'danger' : undefined}
          style={{ marginBottom: 0 }}
          ellipsis={{ rows: 2, expandable: true, symbol: '…' }}
        >
          {v}
        </Typography.Paragraph>
      ),
    },
  ];

  return (
    <Drawer
      open={!!runId}
      onClose={onClose}
      size={1040}
      destroyOnHidden
      title={r ? t('grade.run.detail', { id: r.id, org: r.orgName ?? r.orgCode, kind: keyLabel(t, 'grade.run.kind', r.kind) }) : ''}
      extra={
        r?.status === 'previewed' && can('grades:approve') ? (
          <Space>
            <Popconfirm title={t('grade.run.cancelConfirm')} onConfirm={() => act('cancel')}>
              <Button danger loading={action.isPending} data-testid="grade-run-cancel">
                {t('grade.run.cancel')}
              </Button>
            </Popconfirm>
            <Popconfirm
              title={t('grade.run.approveConfirm')}
              onConfirm={() => act('approve')}
              okButtonProps={{ 'data-testid': 'grade-run-approve-ok' } as ButtonProps}
            >
              <Button type="primary" loading={action.isPending} data-testid="grade-run-approve">
                {t('grade.run.approve')}
              </Button>
            </Popconfirm>
          </Space>
        ) : r?.status === 'applying' && can('grades:approve') ? (
          // An approval interrupted by a restart: approving again resumes it.
          <Button type="primary" loading={action.isPending} onClick={() => void act('approve')} data-testid="grade-run-resume">
            {t('grade.run.approve')}
          </Button>
        ) : r?.status === 'failed' && can('grades:approve') ? (
          <Button danger loading={action.isPending} onClick={() => void act('cancel')} data-testid="grade-run-cancel">
            {t('grade.run.cancel')}
          </Button>
        ) : null
      }
      data-testid="grade-run-drawer"
    >
      {run.isError ? (
        <ErrorResult error={run.error} onRetry={() => void run.refetch()} />
      ) : r ? (
        <Flex vertical gap={12}>
          <Flex gap={12} wrap align="center">
            <RunStatusTag status={r.status} />
            <Typography.Text>
              {t('grade.effectiveDate')}：{formatDate(r.effectiveDate)}
            </Typography.Text>
            <CountsText run={r} />
            {r.error && (
              <Typography.Text type="danger">
                {t('grade.run.error')}：{r.error}
              </Typography.Text>
            )}
          </Flex>
          <Segmented
            value={change}
            onChange={(v) => {
              setChange(v as GradeChange | 'all');
              setPage(1);
            }}
            options={[
              { value: 'all', label: `${t('grade.change.all')} ${r.counts.total}` },
              ...CHANGES.map((c) => ({ value: c, label: `${keyLabel(t, 'grade.change', c)} ${r.counts[c]}` })),
            ]}
            data-testid="grade-run-change-filter"
          />
          <Table<GradeRunItem>
            rowKey="id"
            size="small"
            loading={items.isFetching}
            columns={columns}
            dataSource={items.data?.items ?? []}
            scroll={{ x: 900 }}
            pagination={{ current: page, pageSize: 50, total: items.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
            data-testid="grade-run-items"
          />
        </Flex>
      ) : null}
    </Drawer>
  );
}
