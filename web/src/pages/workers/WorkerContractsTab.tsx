import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { usePermission } from '../../api/auth';
import { ApiError, showServerError } from '../../api/client';
import {
  useRenewContract,
  useReplaceInsurance,
  useSignContract,
  useTerminateContract,
  useWorkerContracts,
  useWorkerInsurance,
} from '../../api/contracts';
import type { Contract, Enrolment, Worker } from '../../api/types';
import { ErrorResult } from '../../components/status';
import { isMessageKey, useT, type TFunction } from '../../i18n';
import { DATE_FORMAT, formatDate, formatNumber } from '../../utils/format';

const CONTRACT_TYPES = ['fixed_term', 'open_ended', 'project'] as const;
const INSURANCE_KINDS = ['pension', 'medical', 'unemployment', 'injury', 'maternity', 'housing_fund'] as const;
const CONTRACT_FIELDS = ['contractType', 'startDate', 'endDate', 'probationEndDate', 'signedDate', 'contractNo', 'partyName'] as const;
const STATUS_COLOR: Record<string, string> = { active: 'green', renewed: 'blue', terminated: 'default', expired: 'orange' };

function keyLabel(t: TFunction, prefix: string, code: string | null | undefined): string {
  if (!code) return '—';
  const key = `${prefix}.${code}`;
  return isMessageKey(key) ? t(key) : code;
}

const fmt = (d: Dayjs | null | undefined) => (d ? d.format(DATE_FORMAT) : undefined);
const yuan = (fen: number) => formatNumber(fen / 100, 2);

/** 劳动合同 tab: the worker's contracts (sign / renew / terminate) and 五险一金 enrolments. */
export function WorkerContractsTab({ worker }: { worker: Worker }) {
  const t = useT();
  const can = usePermission();
  const id = String(worker.id);
  const contracts = useWorkerContracts(id);
  const canWrite = can('contracts:write');
  const [dialog, setDialog] = useState<{ kind: 'sign' } | { kind: 'renew' | 'terminate'; contract: Contract } | null>(null);

  if (contracts.isError) return <ErrorResult error={contracts.error} onRetry={() => void contracts.refetch()} />;
  const items = contracts.data?.items ?? [];
  const hasActive = items.some((c) => c.status === 'active');

  const columns: TableProps<Contract>['columns'] = [
    {
      title: t('contract.type'),
      dataIndex: 'contractType',
      key: 'type',
      render: (v: string, c) => (
        <Flex vertical>
          <span>{keyLabel(t, 'contract.type', v)}</span>
          {c.contractNo && (
            <Typography.Text type="secondary" className="sg-mono" style={{ fontSize: 12 }}>
              {c.contractNo}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('contract.term'),
      key: 'term',
      render: (_, c) => (
        <Flex vertical>
          <span>
            {formatDate(c.startDate)} ~ {c.endDate ? formatDate(c.endDate) : t('contract.openEnded')}
          </span>
          {c.probationEndDate && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('contract.probationEndDate')} {formatDate(c.probationEndDate)}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    { title: t('contract.party'), dataIndex: 'partyName', key: 'party', ellipsis: true },
    { title: t('contract.signedDate'), dataIndex: 'signedDate', key: 'signed', width: 110, render: (v: string) => formatDate(v) },
    {
      title: t('contract.status'),
      dataIndex: 'status',
      key: 'status',
      render: (v: string, c) => (
        <Flex vertical gap={2}>
          <span>
            <Tag color={STATUS_COLOR[v] ?? 'default'}>{keyLabel(t, 'contract.status', v)}</Tag>
          </span>
          {c.terminatedDate && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('contract.terminated', { date: formatDate(c.terminatedDate), reason: c.terminationReason ?? '' })}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 130,
            render: (_: unknown, c: Contract) =>
              c.status === 'active' ? (
                <Space size={0} wrap>
                  <Button size="small" type="link" onClick={() => setDialog({ kind: 'renew', contract: c })} data-testid="contract-renew">
                    {t('contract.renew')}
                  </Button>
                  <Button
                    size="small"
                    type="link"
                    danger
                    onClick={() => setDialog({ kind: 'terminate', contract: c })}
                    data-testid="contract-terminate"
                  >
                    {t('contract.terminate')}
                  </Button>
                </Space>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={24}>
      <div>
        {canWrite && !hasActive && worker.status !== 'exited' && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            style={{ marginBottom: 12 }}
            onClick={() => setDialog({ kind: 'sign' })}
            data-testid="contract-sign"
          >
            {t('contract.sign')}
          </Button>
        )}
        <Table<Contract>
          rowKey="id"
          size="small"
          loading={contracts.isPending}
          dataSource={items}
          columns={columns}
          pagination={false}
          scroll={{ x: 760 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contract.none')} /> }}
          data-testid="worker-contracts"
        />
      </div>
      <InsuranceSection workerId={id} canWrite={canWrite} />
      <ContractModal
        workerId={id}
        mode={dialog?.kind === 'renew' ? 'renew' : 'sign'}
        contract={dialog && dialog.kind !== 'sign' ? dialog.contract : undefined}
        open={dialog?.kind === 'sign' || dialog?.kind === 'renew'}
        onClose={() => setDialog(null)}
      />
      <TerminateModal workerId={id} contract={dialog?.kind === 'terminate' ? dialog.contract : undefined} onClose={() => setDialog(null)} />
    </Flex>
  );
}

interface ContractFormValues {
  contractType?: string;
  startDate?: Dayjs | null;
  endDate?: Dayjs | null;
  probationEndDate?: Dayjs | null;
  signedDate?: Dayjs | null;
  contractNo?: string;
  partyName?: string;
}

function ContractModal({
  workerId,
  mode,
  contract,
  open,
  onClose,
}: {
  workerId: string;
  mode: 'sign' | 'renew';
  contract?: Contract;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={mode === 'sign' ? t('contract.sign') : t('contract.renewTitle')}
      footer={null}
      destroyOnHidden
      mask={{ closable: false }}
    >
      {open && <ContractForm workerId={workerId} mode={mode} contract={contract} onClose={onClose} />}
    </Modal>
  );
}

function ContractForm({
  workerId,
  mode,
  contract,
  onClose,
}: {
  workerId: string;
  mode: 'sign' | 'renew';
  contract?: Contract;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const sign = useSignContract(workerId);
  const renew = useRenewContract(workerId);
  const [form] = Form.useForm<ContractFormValues>();
  const [formError, setFormError] = useState<string | null>(null);
  const type = Form.useWatch('contractType', form);
  const start = Form.useWatch('startDate', form);
  const openEnded = (type ?? (mode === 'renew' ? contract?.contractType : undefined)) === 'open_ended';

  const onError = (err: Error) => showServerError(form, err, CONTRACT_FIELDS, setFormError);

  const onFinish = (v: ContractFormValues) => {
    setFormError(null);
    const terms = {
      endDate: openEnded ? null : (fmt(v.endDate) ?? null),
      signedDate: fmt(v.signedDate),
      contractNo: v.contractNo?.trim() || null,
      partyName: v.partyName?.trim() || undefined,
    };
    if (mode === 'sign') {
      if (!v.contractType || !v.startDate) return;
      sign.mutate(
        {
          contractType: v.contractType,
          startDate: v.startDate.format(DATE_FORMAT),
          probationEndDate: fmt(v.probationEndDate) ?? null,
          ...terms,
        },
        {
          onSuccess: () => {
            message.success(t('contract.signed'));
            onClose();
          },
          onError,
        },
      );
      return;
    }
    if (!contract) return;
    renew.mutate(
      { id: contract.id, input: { contractType: v.contractType || undefined, startDate: fmt(v.startDate), ...terms } },
      {
        onSuccess: () => {
          message.success(t('contract.renewed'));
          onClose();
        },
        onError,
      },
    );
  };

  const half = { flex: '1 1 180px', minWidth: 0 } as const;
  return (
    <Form<ContractFormValues>
      form={form}
      layout="vertical"
      initialValues={mode === 'sign' ? { contractType: 'fixed_term' } : { contractType: contract?.contractType }}
      onFinish={onFinish}
      onValuesChange={() => formError && setFormError(null)}
      data-testid="contract-form"
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      {mode === 'renew' && <Alert type="info" showIcon title={t('contract.renewHint')} style={{ marginBottom: 16 }} />}
      <Form.Item name="contractType" label={t('contract.type')} rules={[{ required: mode === 'sign', message: t('validation.required') }]}>
        <Select options={CONTRACT_TYPES.map((c) => ({ value: c, label: keyLabel(t, 'contract.type', c) }))} />
      </Form.Item>
      <Flex gap={12} wrap>
        <Form.Item
          name="startDate"
          label={t('contract.startDate')}
          style={half}
          rules={[{ required: mode === 'sign', message: t('validation.required') }]}
        >
          <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} />
        </Form.Item>
        {!openEnded && (
          <Form.Item
            name="endDate"
            label={t('contract.endDate')}
            style={half}
            dependencies={['startDate']}
            rules={[
              { required: true, message: t('contract.endRequired') },
              {
                validator: (_, value: Dayjs | null | undefined) =>
                  !value || !start || value.isAfter(start, 'day')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('contract.endAfterStart'))),
              },
            ]}
          >
            <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} />
          </Form.Item>
        )}
      </Flex>
      {mode === 'sign' && type !== 'project' && (
        <Form.Item name="probationEndDate" label={t('contract.probationEndDate')} extra={t('contract.probationHint')}>
          <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} />
        </Form.Item>
      )}
      <Flex gap={12} wrap>
        <Form.Item name="signedDate" label={t('contract.signedDate')} extra={t('contract.signedHint')} style={half}>
          <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="contractNo" label={t('contract.no')} style={half} rules={[{ max: 50, message: t('validation.max', { n: 50 }) }]}>
          <Input maxLength={50} />
        </Form.Item>
      </Flex>
      <Form.Item
        name="partyName"
        label={t('contract.party')}
        extra={t('contract.partyHint')}
        rules={[{ max: 100, message: t('validation.max', { n: 100 }) }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Flex gap={8} justify="flex-end">
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={sign.isPending || renew.isPending} data-testid="contract-submit">
          {mode === 'sign' ? t('contract.sign') : t('contract.renew')}
        </Button>
      </Flex>
    </Form>
  );
}

function TerminateModal({ workerId, contract, onClose }: { workerId: string; contract?: Contract; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const terminate = useTerminateContract(workerId);
  const [form] = Form.useForm<{ date?: Dayjs | null; reason?: string }>();
  const [formError, setFormError] = useState<string | null>(null);
  return (
    <Modal
      open={!!contract}
      onCancel={onClose}
      title={t('contract.terminateTitle')}
      destroyOnHidden
      mask={{ closable: false }}
      footer={null}
    >
      {contract && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ date: dayjs() }}
          onValuesChange={() => formError && setFormError(null)}
          onFinish={(v) => {
            setFormError(null);
            if (!v.date || !v.reason) return;
            terminate.mutate(
              { id: contract.id, date: v.date.format(DATE_FORMAT), reason: v.reason.trim() },
              {
                onSuccess: () => {
                  message.success(t('contract.terminatedDone'));
                  onClose();
                },
                onError: (err) => showServerError(form, err, ['date', 'reason'] as const, setFormError),
              },
            );
          }}
        >
          {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
          <Form.Item name="date" label={t('contract.terminateDate')} rules={[{ required: true, message: t('validation.required') }]}>
            <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('contract.terminateReason')}
            rules={[
              { required: true, whitespace: true, message: t('validation.required') },
              { max: 200, message: t('validation.max', { n: 200 }) },
            ]}
          >
            <Input.TextArea rows={2} maxLength={200} showCount />
          </Form.Item>
          <Flex gap={8} justify="flex-end">
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" danger htmlType="submit" loading={terminate.isPending}>
              {t('contract.terminate')}
            </Button>
          </Flex>
        </Form>
      )}
    </Modal>
  );
}

interface EnrolmentRow {
  kind?: string;
  base?: number | null;
  startDate?: Dayjs | null;
  endDate?: Dayjs | null;
}

function InsuranceSection({ workerId, canWrite }: { workerId: string; canWrite: boolean }) {
  const t = useT();
  const q = useWorkerInsurance(workerId);
  const [editing, setEditing] = useState(false);
  if (q.isError) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  const items = q.data?.items ?? [];
  const columns: TableProps<Enrolment>['columns'] = [
    { title: t('insurance.kind'), dataIndex: 'kind', key: 'kind', render: (v: string) => keyLabel(t, 'insurance.kind', v) },
    { title: t('insurance.base'), dataIndex: 'contributionBaseFen', key: 'base', align: 'right', render: (v: number) => yuan(v) },
    { title: t('insurance.startDate'), dataIndex: 'startDate', key: 'start', render: (v: string) => formatDate(v) },
    { title: t('insurance.endDate'), dataIndex: 'endDate', key: 'end', render: (v: string | null) => formatDate(v) },
  ];
  return (
    <div>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('insurance.title')}
        </Typography.Title>
        {canWrite && !editing && (
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} disabled={q.isPending} data-testid="insurance-edit">
            {t('insurance.edit')}
          </Button>
        )}
      </Flex>
      {editing ? (
        <InsuranceForm workerId={workerId} items={items} onDone={() => setEditing(false)} />
      ) : (
        <Table<Enrolment>
          rowKey="id"
          size="small"
          loading={q.isPending}
          dataSource={items}
          columns={columns}
          pagination={false}
          scroll={{ x: 520 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('insurance.none')} /> }}
          data-testid="worker-insurance"
        />
      )}
    </div>
  );
}

/** Issues on `items.N.field` as form field errors. */
function itemErrors(err: unknown): { name: (string | number)[]; errors: string[] }[] {
  if (!(err instanceof ApiError) || !err.details || typeof err.details !== 'object') return [];
  const issues = (err.details as { issues?: unknown }).issues;
  if (!Array.isArray(issues)) return [];
  const out: { name: (string | number)[]; errors: string[] }[] = [];
  for (const issue of issues) {
    const { field, message } = (issue ?? {}) as { field?: unknown; message?: unknown };
    const m = typeof field === 'string' ? /^items\.(\d+)\.(kind|contributionBaseFen|startDate|endDate)$/.exec(field) : null;
    if (!m) continue;
    const name = m[2] === 'contributionBaseFen' ? 'base' : m[2]!;
    out.push({ name: ['items', Number(m[1]), name], errors: [typeof message === 'string' ? message : err.message] });
  }
  return out;
}

function InsuranceForm({ workerId, items, onDone }: { workerId: string; items: Enrolment[]; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const replace = useReplaceInsurance(workerId);
  const [form] = Form.useForm<{ items: EnrolmentRow[] }>();
  const [formError, setFormError] = useState<string | null>(null);
  const initial: EnrolmentRow[] = items.map((e) => ({
    kind: e.kind,
    base: e.contributionBaseFen / 100,
    startDate: dayjs(e.startDate),
    endDate: e.endDate ? dayjs(e.endDate) : null,
  }));
  return (
    <Form<{ items: EnrolmentRow[] }>
      form={form}
      layout="vertical"
      initialValues={{ items: initial }}
      onValuesChange={() => formError && setFormError(null)}
      onFinish={(v) => {
        setFormError(null);
        const body = (v.items ?? []).map((r) => ({
          kind: r.kind ?? '',
          contributionBaseFen: Math.round((r.base ?? 0) * 100),
          startDate: fmt(r.startDate) ?? '',
          endDate: fmt(r.endDate) ?? null,
        }));
        replace.mutate(body, {
          onSuccess: () => {
            message.success(t('insurance.saved'));
            onDone();
          },
          onError: (err) => {
            const fields = itemErrors(err);
            if (fields.length) form.setFields(fields as never);
            setFormError(err.message);
          },
        });
      }}
      data-testid="insurance-form"
    >
      <Alert type="info" showIcon title={t('insurance.replaceHint')} style={{ marginBottom: 12 }} />
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form.List name="items">
        {(fields, { add, remove }) => (
          <>
            {fields.map(({ key, name }) => (
              <Flex key={key} gap={8} wrap align="flex-start">
                <Form.Item
                  name={[name, 'kind']}
                  label={t('insurance.kind')}
                  rules={[{ required: true, message: t('validation.required') }]}
                  style={{ flex: '1 1 140px', minWidth: 0 }}
                >
                  <Select options={INSURANCE_KINDS.map((k) => ({ value: k, label: keyLabel(t, 'insurance.kind', k) }))} />
                </Form.Item>
                <Form.Item
                  name={[name, 'base']}
                  label={t('insurance.base')}
                  rules={[{ required: true, message: t('validation.required') }]}
                  style={{ flex: '1 1 120px', minWidth: 0 }}
                >
                  <InputNumber min={0.01} max={1_000_000} precision={2} style={{ width: '100%' }} />
                </Form.Item>
                <Form.Item
                  name={[name, 'startDate']}
                  label={t('insurance.startDate')}
                  rules={[{ required: true, message: t('validation.required') }]}
                  style={{ flex: '1 1 130px', minWidth: 0 }}
                >
                  <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} />
                </Form.Item>
                <Form.Item name={[name, 'endDate']} label={t('insurance.endDate')} style={{ flex: '1 1 130px', minWidth: 0 }}>
                  <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} />
                </Form.Item>
                <Form.Item label=" " style={{ flex: '0 0 auto' }}>
                  <Button icon={<DeleteOutlined />} onClick={() => remove(name)} aria-label={t('insurance.remove')} />
                </Form.Item>
              </Flex>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ startDate: dayjs() })} style={{ marginBottom: 16 }} block>
              {t('insurance.add')}
            </Button>
          </>
        )}
      </Form.List>
      <Flex gap={8} justify="flex-end">
        <Button onClick={onDone}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={replace.isPending} data-testid="insurance-submit">
          {t('common.save')}
        </Button>
      </Flex>
    </Form>
  );
}
