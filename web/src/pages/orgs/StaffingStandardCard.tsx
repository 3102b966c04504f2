import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Spin,
  Table,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { usePermission } from '../../api/auth';
import { showServerError } from '../../api/client';
import { useAddStaffingStandard, useStaffingStandard } from '../../api/staffing';
import type { Org, StaffingRule } from '../../api/types';
import { ErrorResult } from '../../components/status';
import { useT } from '../../i18n';
import { DATE_FORMAT, formatDate, formatDateTime } from '../../utils/format';

/** Mirrors the server's accepted ranges (staffing-rules.ts). */
const PER_10K = { min: 10, max: 50 } as const;
const CAP = { min: 3, max: 60 } as const;
const FIELDS = ['per10k', 'communityCap', 'effectiveFrom', 'note'] as const;

interface FormValues {
  per10k?: number | null;
  communityCap?: number | null;
  effectiveFrom?: Dayjs | null;
  note?: string;
}

/** 配备标准: the standard in force for an org, where it comes from, the versions set here, and (rules:write) a new version. */
export function StaffingStandardCard({ org }: { org: Org }) {
  const t = useT();
  const can = usePermission();
  const q = useStaffingStandard(org.code);
  const [adding, setAdding] = useState(false);
  // Regional rules are set at province, city or district level.
  const canAdd = can('rules:write') && org.level >= 1 && org.level <= 3;

  if (q.isPending) {
    return (
      <Card size="small" title={t('staffing.title')}>
        <Spin />
      </Card>
    );
  }
  if (q.isError) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  const { effective, versions } = q.data;

  const columns: TableProps<StaffingRule>['columns'] = [
    {
      title: t('staffing.effectiveFrom'),
      dataIndex: 'effectiveFrom',
      key: 'effectiveFrom',
      width: 130,
      render: (v: string, r) => (
        <span>
          {formatDate(v)}
          {effective.ruleId === r.id && (
            <Tag color="green" style={{ marginInlineStart: 6 }}>
              {t('staffing.inForce')}
            </Tag>
          )}
        </span>
      ),
    },
    { title: t('staffing.per10k'), dataIndex: 'per10k', key: 'per10k', width: 110, align: 'right' },
    {
      title: t('staffing.communityCap'),
      dataIndex: 'communityCap',
      key: 'communityCap',
      width: 110,
      align: 'right',
      render: (v: number | null) => v ?? '—',
    },
    { title: t('staffing.note'), dataIndex: 'note', key: 'note', render: (v: string | null) => v || '—' },
    { title: t('common.createdAt'), dataIndex: 'createdAt', key: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
  ];

  return (
    <Card
      size="small"
      title={t('staffing.title')}
      extra={
        canAdd &&
        !adding && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="staffing-add">
            {t('staffing.add')}
          </Button>
        )
      }
      data-testid="staffing-card"
    >
      <Descriptions
        bordered
        size="small"
        column={1}
        items={[
          {
            key: 'per10k',
            label: t('staffing.per10k'),
            children: <span data-testid="staffing-per10k">{t('staffing.perUnit', { n: effective.per10k })}</span>,
          },
          {
            key: 'cap',
            label: t('staffing.communityCap'),
            children: effective.communityCap === null ? t('staffing.noCap') : t('staffing.capUnit', { n: effective.communityCap }),
          },
          {
            key: 'source',
            label: t('staffing.source'),
            children:
              effective.source === 'rule'
                ? t('staffing.sourceRule', { org: effective.orgName ?? effective.orgCode ?? '', date: formatDate(effective.effectiveFrom) })
                : t('staffing.sourceDefault'),
          },
        ]}
      />
      {adding && <AddVersionForm code={org.code} onDone={() => setAdding(false)} />}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('staffing.versions')}
      </Typography.Title>
      {versions.length === 0 ? (
        <Typography.Text type="secondary">{t('staffing.noVersions')}</Typography.Text>
      ) : (
        <Table<StaffingRule>
          rowKey="id"
          size="small"
          dataSource={versions}
          columns={columns}
          pagination={false}
          scroll={{ x: 620 }}
          data-testid="staffing-versions"
        />
      )}
    </Card>
  );
}

function AddVersionForm({ code, onDone }: { code: string; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const add = useAddStaffingStandard(code);
  const [form] = Form.useForm<FormValues>();
  const [formError, setFormError] = useState<string | null>(null);

  const onFinish = (v: FormValues) => {
    setFormError(null);
    if (v.per10k == null || !v.effectiveFrom) return;
    add.mutate(
      {
        per10k: v.per10k,
        communityCap: v.communityCap ?? null,
        effectiveFrom: v.effectiveFrom.format(DATE_FORMAT),
        note: v.note?.trim() || null,
      },
      {
        onSuccess: () => {
          message.success(t('staffing.added'));
          onDone();
        },
        onError: (err) => showServerError(form, err, FIELDS, setFormError),
      },
    );
  };

  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      style={{ marginTop: 16 }}
      initialValues={{ effectiveFrom: dayjs() }}
      onFinish={onFinish}
      onValuesChange={() => formError && setFormError(null)}
      data-testid="staffing-form"
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Flex gap={12} wrap>
        <Form.Item
          name="per10k"
          label={t('staffing.per10k')}
          extra={t('staffing.range', PER_10K)}
          rules={[{ required: true, message: t('validation.required') }]}
          style={{ flex: '1 1 160px', minWidth: 0 }}
        >
          <InputNumber min={PER_10K.min} max={PER_10K.max} precision={0} style={{ width: '100%' }} data-testid="staffing-per10k-input" />
        </Form.Item>
        <Form.Item
          name="communityCap"
          label={t('staffing.communityCap')}
          extra={t('staffing.range', CAP)}
          style={{ flex: '1 1 160px', minWidth: 0 }}
        >
          <InputNumber min={CAP.min} max={CAP.max} precision={0} style={{ width: '100%' }} placeholder={t('staffing.noCap')} />
        </Form.Item>
        <Form.Item
          name="effectiveFrom"
          label={t('staffing.effectiveFrom')}
          rules={[{ required: true, message: t('validation.required') }]}
          style={{ flex: '1 1 160px', minWidth: 0 }}
        >
          <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} />
        </Form.Item>
      </Flex>
      <Form.Item name="note" label={t('staffing.note')} rules={[{ max: 200, message: t('validation.max', { n: 200 }) }]}>
        <Input.TextArea rows={2} maxLength={200} showCount />
      </Form.Item>
      <Flex gap={8}>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={add.isPending} data-testid="staffing-submit">
          {t('common.save')}
        </Button>
      </Flex>
    </Form>
  );
}
