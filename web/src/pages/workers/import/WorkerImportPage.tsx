import { CloudUploadOutlined, DownloadOutlined, FileExcelOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Flex,
  Form,
  Progress,
  Result,
  Select,
  Space,
  Statistic,
  Steps,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useCurrentUser } from '../../../api/auth';
import {
  importMarkedUrl,
  importTemplateUrl,
  isBusy,
  useCancelImport,
  useCommitImport,
  useImportIssues,
  useImportJob,
  useImportJobs,
  useImportPreview,
  useRevalidateImport,
  useUploadImport,
  type ImportIssue,
  type ImportJob,
  type ImportPreviewRow,
} from '../../../api/imports';
import { OrgSelect } from '../../../components/OrgSelect';
import { PageTitle } from '../../../components/PageTitle';
import { useT } from '../../../i18n';

const STATUS_COLORS: Record<ImportJob['status'], string> = {
  validating: 'processing',
  validated: 'blue',
  invalid: 'error',
  committing: 'processing',
  committed: 'success',
  failed: 'error',
  cancelled: 'default',
};

function stepOf(job: ImportJob | undefined): number {
  if (!job) return 0;
  if (job.status === 'committed') return 3;
  if (job.status === 'committing') return 2;
  return 1;
}

/** 批量导入: upload → dry run with row-level errors → preview → commit, with live progress. */
export default function WorkerImportPage() {
  const t = useT();
  const me = useCurrentUser();
  const { message } = AntApp.useApp();
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job') ? Number(params.get('job')) : undefined;
  const [orgCode, setOrgCode] = useState<string | undefined>(me.orgCode);
  const [updateExisting, setUpdateExisting] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const upload = useUploadImport();
  const { data: job } = useImportJob(jobId);

  const start = (file: File) => {
    if (!orgCode) {
      setUploadError(t('import.orgRequired'));
      return;
    }
    setUploadError(null);
    upload.mutate(
      { file, orgCode, updateExisting },
      {
        onSuccess: (j) => setParams({ job: String(j.id) }),
        onError: (err) => setUploadError(err.message),
      },
    );
  };
  const reset = () => {
    setParams({});
    setUploadError(null);
  };

  return (
    <>
      <PageTitle
        title={t('import.title')}
        subtitle={t('import.subtitle')}
        extra={
          <Button icon={<DownloadOutlined />} href={importTemplateUrl()} data-testid="import-template">
            {t('import.template')}
          </Button>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Steps
          size="small"
          current={stepOf(job)}
          items={[
            { title: t('import.step.upload') },
            { title: t('import.step.check') },
            { title: t('import.step.commit') },
            { title: t('import.step.done') },
          ]}
        />
      </Card>
      {!job ? (
        <Card size="small">
          <Form layout="vertical" style={{ maxWidth: 640 }}>
            <Form.Item label={t('import.org')} help={t('import.orgHelp')} required>
              <OrgSelect value={orgCode} onChange={(c) => setOrgCode(c)} allowClear={false} data-testid="import-org" />
            </Form.Item>
            <Form.Item>
              <Checkbox checked={updateExisting} onChange={(e) => setUpdateExisting(e.target.checked)} data-testid="import-update-existing">
                {t('import.updateExisting')}
              </Checkbox>
            </Form.Item>
            <Upload.Dragger
              accept=".xlsx,.csv"
              showUploadList={false}
              disabled={upload.isPending}
              beforeUpload={(file) => {
                start(file);
                return false;
              }}
              data-testid="import-upload"
            >
              <p className="ant-upload-drag-icon">
                <CloudUploadOutlined />
              </p>
              <p className="ant-upload-text">{upload.isPending ? t('import.uploading') : t('import.drop')}</p>
              <p className="ant-upload-hint">{t('import.dropHint')}</p>
            </Upload.Dragger>
            {uploadError && (
              <Alert style={{ marginTop: 16 }} type="error" showIcon message={uploadError} data-testid="import-upload-error" />
            )}
          </Form>
        </Card>
      ) : (
        <JobPanel
          job={job}
          onReset={reset}
          onCommitted={() => message.success(t('import.committed', { n: job.counts.create + job.counts.update }))}
        />
      )}
      <RecentImports onOpen={(id) => setParams({ job: String(id) })} />
    </>
  );
}

function JobPanel({ job, onReset, onCommitted }: { job: ImportJob; onReset: () => void; onCommitted: () => void }) {
  const t = useT();
  const revalidate = useRevalidateImport();
  const commit = useCommitImport();
  const cancel = useCancelImport();
  const busy = isBusy(job);
  const c = job.counts;
  const visibleSheets = job.sheets.filter((s) => !s.isHidden);

  if (busy) {
    const p = job.progress;
    const percent = p?.total ? Math.round((p.done / p.total) * 100) : undefined;
    return (
      <Card size="small" data-testid="import-progress">
        <Typography.Paragraph>
          <FileExcelOutlined /> {job.fileName}
        </Typography.Paragraph>
        <Typography.Text>{job.status === 'committing' ? t('import.committing') : t('import.checking')}</Typography.Text>
        {percent !== undefined ? <Progress percent={percent} /> : <Progress percent={100} status="active" showInfo={false} />}
        {p && (
          <Typography.Text type="secondary">
            {p.total ? t('import.progressOf', { done: p.done, total: p.total }) : t('import.progressRows', { done: p.done })}
          </Typography.Text>
        )}
      </Card>
    );
  }

  if (job.status === 'committed') {
    return (
      <Card size="small">
        <Result
          status="success"
          title={t('import.doneTitle')}
          subTitle={t('import.doneSummary', { create: c.create, update: c.update, skip: c.skip, unchanged: c.unchanged })}
          extra={[
            <Link key="list" to="/workers">
              <Button type="primary">{t('import.toList')}</Button>
            </Link>,
            <Button key="again" onClick={onReset}>
              {t('import.another')}
            </Button>,
          ]}
          data-testid="import-done"
        />
      </Card>
    );
  }

  return (
    <Card
      size="small"
      title={
        <Space>
          <FileExcelOutlined />
          {job.fileName}
          <Tag color={STATUS_COLORS[job.status]}>{t(`import.status.${job.status}` as const)}</Tag>
        </Space>
      }
      extra={
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={onReset} data-testid="import-restart">
            {t('import.reupload')}
          </Button>
          {job.status !== 'cancelled' && (
            <Button danger onClick={() => cancel.mutate(job.id, { onSuccess: onReset })} loading={cancel.isPending}>
              {t('common.cancel')}
            </Button>
          )}
        </Space>
      }
      data-testid="import-job"
    >
      {job.error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={job.status === 'failed' ? t('import.failed') : t('import.invalid')}
          description={job.error.message}
          data-testid="import-error"
        />
      )}
      {visibleSheets.length > 1 && (
        <Flex gap={8} align="center" style={{ marginBottom: 16 }} wrap>
          <Typography.Text>{t('import.sheet')}</Typography.Text>
          <Select
            style={{ minWidth: 200 }}
            value={job.sheetName ?? undefined}
            placeholder={t('import.sheetPick')}
            options={visibleSheets.map((s) => ({ value: s.name, label: s.rowCount >= 0 ? `${s.name}（${s.rowCount}）` : s.name }))}
            onChange={(sheet: string) => revalidate.mutate({ id: job.id, sheet })}
            data-testid="import-sheet"
          />
        </Flex>
      )}
      {job.status === 'validated' && (
        <>
          <Flex gap={32} wrap style={{ marginBottom: 16 }}>
            <Statistic title={t('import.count.total')} value={c.totalRows} />
            <Statistic title={t('import.count.create')} value={c.create} valueStyle={{ color: '#389e0d' }} />
            <Statistic title={t('import.count.update')} value={c.update} />
            <Statistic title={t('import.count.unchanged')} value={c.unchanged} />
            <Statistic title={t('import.count.skip')} value={c.skip} />
            <Statistic
              title={t('import.count.errorRows')}
              value={c.errorRows}
              valueStyle={c.errorRows ? { color: '#cf1322' } : undefined}
              data-testid="import-error-rows"
            />
          </Flex>
          {job.unknownColumns.length > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              message={t('import.unknownColumns', { list: job.unknownColumns.join('、') })}
            />
          )}
          <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('import.columnsFound')}>{job.columns.map((col) => col.label).join('、')}</Descriptions.Item>
          </Descriptions>
          <Flex gap={8} wrap style={{ marginBottom: 16 }}>
            <Checkbox
              checked={job.updateExisting}
              onChange={(e) => revalidate.mutate({ id: job.id, updateExisting: e.target.checked })}
              disabled={revalidate.isPending}
            >
              {t('import.updateExisting')}
            </Checkbox>
          </Flex>
          {c.errors > 0 ? (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              message={t('import.hasErrors', { errors: c.errors, rows: c.errorRows })}
              action={
                <Button icon={<DownloadOutlined />} href={importMarkedUrl(job.id)} data-testid="import-marked">
                  {t('import.downloadMarked')}
                </Button>
              }
            />
          ) : (
            <Flex gap={8} align="center" style={{ marginBottom: 16 }} wrap>
              <Button
                type="primary"
                disabled={!job.canCommit}
                loading={commit.isPending}
                onClick={() => commit.mutate(job.id, { onSuccess: onCommitted })}
                data-testid="import-commit"
              >
                {t('import.commit', { n: c.create + c.update })}
              </Button>
              {!job.canCommit && <Typography.Text type="secondary">{t('import.nothingToDo')}</Typography.Text>}
              {commit.error && <Typography.Text type="danger">{commit.error.message}</Typography.Text>}
            </Flex>
          )}
          <Tabs
            items={[
              ...(c.errors > 0
                ? [{ key: 'errors', label: t('import.tab.errors', { n: c.errors }), children: <IssueTable job={job} severity="error" /> }]
                : []),
              ...(c.create > 0
                ? [{ key: 'create', label: t('import.tab.create', { n: c.create }), children: <PreviewTable job={job} action="create" /> }]
                : []),
              ...(c.update > 0
                ? [{ key: 'update', label: t('import.tab.update', { n: c.update }), children: <PreviewTable job={job} action="update" /> }]
                : []),
              ...(c.warnings > 0
                ? [
                    {
                      key: 'warnings',
                      label: t('import.tab.warnings', { n: c.warnings }),
                      children: <IssueTable job={job} severity="warning" />,
                    },
                  ]
                : []),
            ]}
          />
        </>
      )}
    </Card>
  );
}

function IssueTable({ job, severity }: { job: ImportJob; severity: 'error' | 'warning' }) {
  const t = useT();
  const [page, setPage] = useState(1);
  const { data, isFetching } = useImportIssues(job.id, severity, page, true);
  const columns: TableColumnsType<ImportIssue> = [
    { title: t('import.row'), dataIndex: 'rowNumber', width: 90, render: (n: number) => t('import.rowN', { n }) },
    { title: t('import.column'), dataIndex: 'column', width: 160, render: (v: string | null) => v ?? '—' },
    { title: t('import.message'), dataIndex: 'message' },
  ];
  return (
    <Table<ImportIssue>
      size="small"
      rowKey={(r) => `${r.rowNumber}-${r.field}-${r.message}`}
      columns={columns}
      dataSource={data?.items}
      loading={isFetching}
      pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
      scroll={{ x: 600 }}
      data-testid={`import-${severity}s`}
    />
  );
}

function PreviewTable({ job, action }: { job: ImportJob; action: 'create' | 'update' }) {
  const t = useT();
  const [page, setPage] = useState(1);
  const { data, isFetching } = useImportPreview(job.id, action, page, true);
  const columns: TableColumnsType<ImportPreviewRow> = [
    { title: t('import.row'), dataIndex: 'rowNumber', width: 80 },
    { title: t('worker.name'), dataIndex: 'name', width: 100 },
    { title: t('worker.idNumber'), dataIndex: 'idNumberMasked', width: 190 },
    { title: t('import.placement'), dataIndex: 'orgCode', width: 140 },
    action === 'create'
      ? { title: t('worker.posts'), render: (_: unknown, r) => r.view.posts ?? r.view.post }
      : {
          title: t('import.changes'),
          render: (_: unknown, r) => r.changes.map((ch) => `${ch.field}: ${String(ch.old ?? '—')} → ${String(ch.new ?? '—')}`).join('；'),
        },
  ];
  return (
    <Table<ImportPreviewRow>
      size="small"
      rowKey="rowNumber"
      columns={columns}
      dataSource={data?.items}
      loading={isFetching}
      pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
      scroll={{ x: 700 }}
    />
  );
}

function RecentImports({ onOpen }: { onOpen: (id: number) => void }) {
  const t = useT();
  const [page, setPage] = useState(1);
  const { data } = useImportJobs(page);
  if (!data || data.total === 0) return null;
  const columns: TableColumnsType<ImportJob> = [
    { title: t('import.file'), dataIndex: 'fileName', render: (v: string, r) => <a onClick={() => onOpen(r.id)}>{v}</a> },
    {
      title: t('import.statusCol'),
      dataIndex: 'status',
      width: 120,
      render: (s: ImportJob['status']) => <Tag color={STATUS_COLORS[s]}>{t(`import.status.${s}` as const)}</Tag>,
    },
    { title: t('import.count.total'), render: (_: unknown, r) => r.counts.totalRows, width: 90 },
    { title: t('import.count.create'), render: (_: unknown, r) => r.counts.create, width: 90 },
    { title: t('import.by'), dataIndex: 'createdByName', width: 120 },
    { title: t('common.createdAt'), dataIndex: 'createdAt', width: 180, render: (v: string) => new Date(v).toLocaleString() },
  ];
  return (
    <Card size="small" title={t('import.recent')} style={{ marginTop: 16 }}>
      <Table<ImportJob>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={data.items}
        pagination={{ current: page, pageSize: 10, total: data.total, onChange: setPage, showSizeChanger: false }}
        scroll={{ x: 700 }}
      />
    </Card>
  );
}
