import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Empty, Flex, Form, Input, Modal, Select, Table, Tag, Typography, type TableProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { usePermission } from '../../api/auth';
import { showServerError } from '../../api/client';
import {
  SANCTION_KINDS,
  useRecordSanction,
  useRevokeSanction,
  useWorkerSanctions,
  type Sanction,
  type SanctionKind,
  type SanctionListItem,
} from '../../api/sanctions';
import { ErrorResult } from '../../components/status';
import { isMessageKey, useT, type TFunction } from '../../i18n';
import { DATE_FORMAT, formatDate, formatDateTime } from '../../utils/format';

const SANCTION_FIELDS = ['kind', 'decidedOn', 'endsOn', 'authority', 'documentNo', 'reason'] as const;

export function kindLabel(t: TFunction, s: Pick<Sanction, 'kind' | 'kindLabel'>): string {
  const key = `sanction.kind.${s.kind}`;
  return isMessageKey(key) ? t(key) : s.kindLabel;
}

/** 处分记录 tab of the worker page: the worker's sanctions; street HR and region admins record and revoke. */
export function WorkerSanctionsTab({ workerId }: { workerId: string }) {
  const t = useT();
  const can = usePermission();
  const canWrite = can('sanctions:write');
  const q = useWorkerSanctions(workerId);
  const [recording, setRecording] = useState(false);
  const [revoking, setRevoking] = useState<Sanction | null>(null);

  if (q.isError) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;

  const columns: TableProps<Sanction>['columns'] = [
    {
      title: t('sanction.kind'),
      dataIndex: 'kind',
      key: 'kind',
      render: (_: string, s) => (
        <Flex vertical>
          <span>{kindLabel(t, s)}</span>
          {s.documentNo && (
            <Typography.Text type="secondary" className="sg-mono" style={{ fontSize: 12 }}>
              {s.documentNo}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    { title: t('sanction.decidedOn'), dataIndex: 'decidedOn', key: 'decidedOn', width: 110, render: (v: string) => formatDate(v) },
    { title: t('sanction.endsOn'), dataIndex: 'endsOn', key: 'endsOn', width: 110, render: (v: string | null) => formatDate(v) },
    { title: t('sanction.authority'), dataIndex: 'authority', key: 'authority', ellipsis: true },
    {
      title: t('sanction.reason'),
      dataIndex: 'reason',
      key: 'reason',
      render: (v: string, s) => (
        <Flex vertical gap={2}>
          <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 2, expandable: true }}>
            {v}
          </Typography.Paragraph>
          {s.status === 'revoked' && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('sanction.revokedNote', { at: formatDateTime(s.revokedAt), reason: s.revokedReason ?? '' })}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('sanction.status'),
      dataIndex: 'status',
      key: 'status',
      width: 120,
      render: (v: string, s) => (
        <Flex gap={4} wrap>
          <Tag color={v === 'revoked' ? 'default' : 'red'}>{t(`sanction.status.${s.status}`)}</Tag>
          {s.isInInfluencePeriod && <Tag color="orange">{t('sanction.inInfluence')}</Tag>}
        </Flex>
      ),
    },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, s: Sanction) =>
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
    <Flex vertical gap={12}>
      {canWrite && (
        <Flex justify="space-between" align="center" wrap gap={8}>
          <Typography.Text type="secondary">{t('sanction.effectHint')}</Typography.Text>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="sanction-record">
            {t('sanction.record')}
          </Button>
        </Flex>
      )}
      <Table<Sanction>
        rowKey="id"
        size="small"
        loading={q.isPending}
        dataSource={q.data?.items ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 860 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sanction.none')} /> }}
        data-testid="worker-sanctions"
      />
      <Modal
        open={recording}
        onCancel={() => setRecording(false)}
        title={t('sanction.record')}
        footer={null}
        destroyOnHidden
        mask={{ closable: false }}
      >
        {recording && <SanctionForm workerId={workerId} onClose={() => setRecording(false)} />}
      </Modal>
      <RevokeModal workerId={workerId} sanction={revoking} onClose={() => setRevoking(null)} />
    </Flex>
  );
}

interface SanctionFormValues {
  kind?: SanctionKind;
  decidedOn?: Dayjs | null;
  endsOn?: Dayjs | null;
  authority?: string;
  documentNo?: string;
  reason?: string;
}

/** The 登记处分 form for one worker (also used by the register page once a worker is picked). */
export function SanctionForm({ workerId, onClose }: { workerId: string; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const record = useRecordSanction(workerId);
  const [form] = Form.useForm<SanctionFormValues>();
  const [formError, setFormError] = useState<string | null>(null);
  const decidedOn = Form.useWatch('decidedOn', form);

  const onFinish = (v: SanctionFormValues) => {
    setFormError(null);
    if (!v.kind || !v.decidedOn || !v.authority || !v.reason) return;
    record.mutate(
      {
        kind: v.kind,
        decidedOn: v.decidedOn.format(DATE_FORMAT),
        endsOn: v.endsOn ? v.endsOn.format(DATE_FORMAT) : null,
        authority: v.authority.trim(),
        documentNo: v.documentNo?.trim() || null,
        reason: v.reason.trim(),
      },
      {
        onSuccess: () => {
          message.success(t('sanction.recorded'));
          onClose();
        },
        onError: (err) => showServerError(form, err, SANCTION_FIELDS, setFormError),
      },
    );
  };

  const half = { flex: '1 1 180px', minWidth: 0 } as const;
  const required = { required: true, message: t('validation.required') };
  return (
    <Form<SanctionFormValues>
      form={form}
      layout="vertical"
      onFinish={onFinish}
      onValuesChange={() => formError && setFormError(null)}
      data-testid="sanction-form"
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form.Item name="kind" label={t('sanction.kind')} rules={[required]}>
        <Select options={SANCTION_KINDS.map((k) => ({ value: k, label: t(`sanction.kind.${k}`) }))} data-testid="sanction-kind" />
      </Form.Item>
      <Flex gap={12} wrap>
        <Form.Item name="decidedOn" label={t('sanction.decidedOn')} style={half} rules={[required]}>
          <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item
          name="endsOn"
          label={t('sanction.endsOn')}
          extra={t('sanction.endsOnHint')}
          style={half}
          dependencies={['decidedOn']}
          rules={[
            {
              validator: (_, value: Dayjs | null | undefined) =>
                !value || !decidedOn || !value.isBefore(decidedOn, 'day')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('sanction.endsAfterDecided'))),
            },
          ]}
        >
          <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} />
        </Form.Item>
      </Flex>
      <Flex gap={12} wrap>
        <Form.Item
          name="authority"
          label={t('sanction.authority')}
          style={half}
          rules={[
            { ...required, whitespace: true },
            { max: 100, message: t('validation.max', { n: 100 }) },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="documentNo"
          label={t('sanction.documentNo')}
          style={half}
          rules={[{ max: 100, message: t('validation.max', { n: 100 }) }]}
        >
          <Input maxLength={100} />
        </Form.Item>
      </Flex>
      <Form.Item
        name="reason"
        label={t('sanction.reason')}
        rules={[
          { ...required, whitespace: true },
          { max: 1000, message: t('validation.max', { n: 1000 }) },
        ]}
      >
        <Input.TextArea rows={3} maxLength={1000} showCount />
      </Form.Item>
      <Flex gap={8} justify="flex-end">
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={record.isPending} data-testid="sanction-submit">
          {t('sanction.record')}
        </Button>
      </Flex>
    </Form>
  );
}

/** The 撤销 modal with its required reason (also used by the register page). */
export function RevokeModal({ workerId, sanction, onClose }: { workerId: string; sanction: SanctionListItem | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const revoke = useRevokeSanction(workerId);
  const [form] = Form.useForm<{ reason?: string }>();
  const [formError, setFormError] = useState<string | null>(null);
  return (
    <Modal open={!!sanction} onCancel={onClose} title={t('sanction.revokeTitle')} destroyOnHidden mask={{ closable: false }} footer={null}>
      {sanction && (
        <Form
          form={form}
          layout="vertical"
          onValuesChange={() => formError && setFormError(null)}
          onFinish={(v) => {
            setFormError(null);
            if (!v.reason) return;
            revoke.mutate(
              { id: sanction.id, reason: v.reason.trim() },
              {
                onSuccess: () => {
                  message.success(t('sanction.revokedDone'));
                  onClose();
                },
                onError: (err) => showServerError(form, err, ['reason'] as const, setFormError),
              },
            );
          }}
        >
          {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
          <Alert
            type="info"
            showIcon
            title={`${kindLabel(t, sanction)} · ${formatDate(sanction.decidedOn)} · ${sanction.authority}`}
            description={t('sanction.revokeHint')}
            style={{ marginBottom: 16 }}
          />
          <Form.Item
            name="reason"
            label={t('sanction.revokeReason')}
            rules={[
              { required: true, whitespace: true, message: t('validation.required') },
              { max: 1000, message: t('validation.max', { n: 1000 }) },
            ]}
          >
            <Input.TextArea rows={2} maxLength={1000} showCount data-testid="sanction-revoke-reason" />
          </Form.Item>
          <Flex gap={8} justify="flex-end">
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" danger htmlType="submit" loading={revoke.isPending} data-testid="sanction-revoke-submit">
              {t('sanction.revoke')}
            </Button>
          </Flex>
        </Form>
      )}
    </Modal>
  );
}
