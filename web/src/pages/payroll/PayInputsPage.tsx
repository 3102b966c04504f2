import { DeleteOutlined, EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Alert,
  Button,
  Card,
  DatePicker,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
  type TableProps,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useCurrentUser, usePermission } from '../../api/auth';
import { showServerError } from '../../api/client';
import { formatFen } from '../../api/payroll';
import {
  PAY_INPUT_KINDS,
  uploadPayInputs,
  useDeletePayInput,
  usePayInputs,
  usePayrollRunsOfMonth,
  useSavePayInput,
  type ImportResult,
  type PayInput,
  type PayInputKind,
} from '../../api/payroll-inputs';
import { OrgSelect } from '../../components/OrgSelect';
import { PageTitle } from '../../components/PageTitle';
import { ErrorResult } from '../../components/status';
import { useT, type TFunction } from '../../i18n';
import { fenToYuanInput, parseYuanToFen } from '../../utils/money';
import { TaxOpeningsCard } from './TaxOpeningsCard';
import { WorkerPickSelect } from './WorkerPickSelect';

type MessageKey = Parameters<TFunction>[0];

/** The default code of an input of a kind (editable): one input per worker, month, kind and code. */
const DEFAULT_CODES: Record<PayInputKind, string> = {
  allowance: 'allowance',
  tax_free_allowance: 'tax_free_allowance',
  pre_tax_deduction: 'pre_tax_deduction',
  post_tax_deduction: 'post_tax_deduction',
  special_deduction: 'special_deduction',
  other_tax_deduction: 'other_deduction',
};

const KIND_COLORS: Record<PayInputKind, string> = {
  allowance: 'green',
  tax_free_allowance: 'cyan',
  pre_tax_deduction: 'orange',
  post_tax_deduction: 'red',
  special_deduction: 'blue',
  other_tax_deduction: 'purple',
};

/** Whether a run of `runOrg` covers workers of `orgCode` or below it (either lies under the other). */
const overlaps = (runOrg: string, orgCode: string) => runOrg === 'CN' || orgCode.startsWith(runOrg) || runOrg.startsWith(orgCode);

/** 月度录入: a month's allowances, deductions and special additional deductions of the workers under an org node. */
export default function PayInputsPage() {
  const t = useT();
  const me = useCurrentUser();
  const can = usePermission();
  const { message } = App.useApp();
  const [orgCode, setOrgCode] = useState<string>(me.orgCode);
  const [month, setMonth] = useState<Dayjs>(dayjs());
  const monthText = month.format('YYYY-MM');
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [search, setSearch] = useState('');
  // Another org, month or name starts again at the first page.
  const inputs = usePayInputs({ orgCode, month: monthText, q: search, ...paging });
  const firstPage = () => setPaging((p) => ({ ...p, page: 1 }));
  const runs = usePayrollRunsOfMonth(monthText);
  const remove = useDeletePayInput();
  const [editing, setEditing] = useState<PayInput | 'new' | undefined>();
  const [importResult, setImportResult] = useState<ImportResult | undefined>();
  const [isUploading, setIsUploading] = useState(false);
  const canWrite = can('payroll:write');

  const computedRuns = (runs.data?.items ?? []).filter((r) => r.status === 'computed' && overlaps(r.orgCode, orgCode));

  const onDelete = async (id: number) => {
    try {
      await remove.mutateAsync(id);
      void message.success(t('payInputs.deleted'));
    } catch (err) {
      void message.error((err as Error).message);
    }
  };

  const onUpload = async (file: File) => {
    setIsUploading(true);
    try {
      const result = await uploadPayInputs(file, monthText, false);
      setImportResult(result);
      if (result.errors.length === 0) void message.success(t('payInputs.importDone', { n: result.saved }));
      await inputs.refetch();
    } catch (err) {
      void message.error((err as Error).message);
    } finally {
      setIsUploading(false);
    }
  };

  const columns: TableProps<PayInput>['columns'] = [
    { title: t('payInputs.worker'), dataIndex: 'workerName', key: 'worker' },
    {
      title: t('payInputs.kind'),
      dataIndex: 'kind',
      key: 'kind',
      render: (v: PayInputKind) => <Tag color={KIND_COLORS[v]}>{t(`payInputs.kind.${v}` as MessageKey)}</Tag>,
    },
    { title: t('payInputs.name'), dataIndex: 'name', key: 'name' },
    { title: t('payInputs.code'), dataIndex: 'code', key: 'code', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: t('payInputs.amount'), dataIndex: 'amountFen', key: 'amount', align: 'right', render: (v: number) => formatFen(v) },
    { title: t('payInputs.note'), dataIndex: 'note', key: 'note', render: (v: string | null) => v ?? '' },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, r: PayInput) => (
              <Space size="small">
                <Button
                  size="small"
                  type="link"
                  icon={<EditOutlined />}
                  onClick={() => setEditing(r)}
                  data-testid={`pay-input-edit-${r.id}`}
                >
                  {t('payInputs.edit')}
                </Button>
                <Popconfirm title={t('payInputs.deleteConfirm')} onConfirm={() => void onDelete(r.id)}>
                  <Button size="small" type="link" danger icon={<DeleteOutlined />} data-testid={`pay-input-delete-${r.id}`}>
                    {t('payInputs.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageTitle
        title={t('payInputs.title')}
        subtitle={t('payInputs.subtitle')}
        extra={
          <Space wrap>
            <OrgSelect
              value={orgCode}
              onChange={(code) => {
                setOrgCode(code ?? me.orgCode);
                firstPage();
              }}
              allowClear={false}
              style={{ width: 260, maxWidth: '100%' }}
              data-testid="pay-inputs-org"
            />
            <DatePicker
              picker="month"
              value={month}
              allowClear={false}
              onChange={(v) => {
                if (!v) return;
                setMonth(v);
                firstPage();
              }}
              aria-label={t('payInputs.month')}
              data-testid="pay-inputs-month"
            />
            <Input.Search
              allowClear
              placeholder={t('payInputs.search')}
              aria-label={t('payInputs.search')}
              onSearch={(v) => {
                setSearch(v.trim());
                firstPage();
              }}
              style={{ width: 200, maxWidth: '100%' }}
              data-testid="pay-inputs-search"
            />
          </Space>
        }
      />
      <Tabs
        items={[
          {
            key: 'inputs',
            label: t('payInputs.tab.inputs'),
            children: (
              <Flex vertical gap={16}>
                {computedRuns.length > 0 ? (
                  <Alert
                    type="warning"
                    showIcon
                    title={t('payInputs.recomputeWarning', { runs: computedRuns.map((r) => `${r.orgName} #${r.id}`).join('、') })}
                    data-testid="pay-inputs-recompute-warning"
                  />
                ) : (
                  <Alert type="info" showIcon title={t('payInputs.recomputeHint')} />
                )}
                <Card
                  title={`${monthText} ${t('payInputs.title')}`}
                  extra={
                    canWrite && (
                      <Space wrap>
                        <Upload
                          accept=".xlsx,.csv"
                          showUploadList={false}
                          beforeUpload={(file) => {
                            void onUpload(file);
                            return false;
                          }}
                        >
                          <Button icon={<UploadOutlined />} loading={isUploading} data-testid="pay-inputs-import">
                            {t('payInputs.import')}
                          </Button>
                        </Upload>
                        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="pay-inputs-add">
                          {t('payInputs.add')}
                        </Button>
                      </Space>
                    )
                  }
                >
                  {importResult && importResult.errors.length > 0 && (
                    <Alert
                      type="error"
                      showIcon
                      closable={{ onClose: () => setImportResult(undefined) }}
                      style={{ marginBottom: 12 }}
                      title={t('payInputs.importErrors', { n: importResult.errors.length })}
                      description={
                        <ul style={{ margin: 0, paddingInlineStart: 18, maxHeight: 200, overflow: 'auto' }}>
                          {importResult.errors.map((e, i) => (
                            <li key={i}>{e.message}</li>
                          ))}
                        </ul>
                      }
                      data-testid="pay-inputs-import-errors"
                    />
                  )}
                  {canWrite && <Typography.Paragraph type="secondary">{t('payInputs.importHint')}</Typography.Paragraph>}
                  {inputs.isError ? (
                    <ErrorResult error={inputs.error} onRetry={() => void inputs.refetch()} />
                  ) : (
                    <Table<PayInput>
                      rowKey="id"
                      size="small"
                      loading={inputs.isFetching}
                      columns={columns}
                      dataSource={inputs.data?.items ?? []}
                      scroll={{ x: 800 }}
                      pagination={{
                        current: paging.page,
                        pageSize: paging.pageSize,
                        total: inputs.data?.total ?? 0,
                        pageSizeOptions: [20, 50, 100, 200],
                        showSizeChanger: true,
                        showTotal: (n) => t('payInputs.total', { n }),
                        onChange: (page, pageSize) => setPaging({ page: pageSize === paging.pageSize ? page : 1, pageSize }),
                      }}
                      data-testid="pay-inputs-table"
                    />
                  )}
                </Card>
              </Flex>
            ),
          },
          {
            key: 'openings',
            label: t('payInputs.tab.openings'),
            children: <TaxOpeningsCard orgCode={orgCode} year={month.year()} />,
          },
        ]}
        data-testid="pay-inputs-tabs"
      />
      {editing && (
        <InputModal
          orgCode={orgCode}
          month={monthText}
          input={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
        />
      )}
    </>
  );
}

interface InputForm {
  workerId: number;
  kind: PayInputKind;
  code: string;
  name: string;
  amount: string;
  note?: string;
}

const FORM_FIELDS = ['workerId', 'kind', 'code', 'name', 'amount', 'note'] as const;
/** The largest single input the API accepts (1,000,000 yuan). */
const MAX_INPUT_FEN = 100_000_000;

/** Adds an input, or edits one's name, amount and note (worker, kind and code identify it). */
function InputModal({ orgCode, month, input, onClose }: { orgCode: string; month: string; input?: PayInput; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const save = useSavePayInput();
  const [form] = Form.useForm<InputForm>();
  const isNew = !input;

  const submit = async (values: InputForm) => {
    const amount = parseYuanToFen(values.amount);
    if (!amount.ok) return;
    try {
      await save.mutateAsync({
        workerId: values.workerId,
        month,
        kind: values.kind,
        code: values.code.trim(),
        name: values.name.trim(),
        amountFen: amount.fen,
        ...(values.note?.trim() ? { note: values.note.trim() } : {}),
      });
      void message.success(t('payInputs.saved'));
      onClose();
    } catch (err) {
      showServerError(form, err as Error, FORM_FIELDS, (text) => void message.error(text));
    }
  };

  return (
    <Modal
      open
      title={`${month} ${isNew ? t('payInputs.add') : t('payInputs.edit')}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'pay-input-submit' }}
      destroyOnHidden
    >
      <Form<InputForm>
        form={form}
        layout="vertical"
        initialValues={
          input
            ? {
                workerId: input.workerId,
                kind: input.kind,
                code: input.code,
                name: input.name,
                amount: fenToYuanInput(input.amountFen),
                note: input.note ?? '',
              }
            : { kind: 'allowance', code: DEFAULT_CODES.allowance }
        }
        onValuesChange={(changed: Partial<InputForm>) => {
          if (isNew && changed.kind) form.setFieldsValue({ code: DEFAULT_CODES[changed.kind] });
        }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="workerId" label={t('payInputs.worker')} rules={[{ required: true }]}>
          <WorkerPickSelect orgCode={orgCode} currentLabel={input?.workerName} disabled={!isNew} data-testid="pay-input-worker" />
        </Form.Item>
        <Form.Item name="kind" label={t('payInputs.kind')} rules={[{ required: true }]}>
          <Select
            disabled={!isNew}
            options={PAY_INPUT_KINDS.map((k) => ({ value: k, label: t(`payInputs.kind.${k}` as MessageKey) }))}
            data-testid="pay-input-kind"
          />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('payInputs.code')}
          extra={t('payInputs.codeHint')}
          rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{0,39}$/, message: t('payInputs.codeInvalid') }]}
        >
          <Input disabled={!isNew} maxLength={40} data-testid="pay-input-code" />
        </Form.Item>
        <Form.Item name="name" label={t('payInputs.name')} rules={[{ required: true, whitespace: true, max: 40 }]}>
          <Input maxLength={40} data-testid="pay-input-name" />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('payInputs.amount')}
          rules={[
            {
              validator: async (_rule, value: string | undefined) => {
                const r = parseYuanToFen(value ?? '');
                if (!r.ok) throw new Error(t(`payInputs.amount.${r.problem}` as MessageKey));
                if (r.fen > MAX_INPUT_FEN) throw new Error(t('payInputs.amount.too_large'));
              },
            },
          ]}
        >
          <Input inputMode="decimal" placeholder="0.00" data-testid="pay-input-amount" />
        </Form.Item>
        <Form.Item name="note" label={t('payInputs.note')} rules={[{ max: 200 }]}>
          <Input maxLength={200} data-testid="pay-input-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
