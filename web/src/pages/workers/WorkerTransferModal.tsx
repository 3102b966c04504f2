import { Alert, App, Button, DatePicker, Descriptions, Flex, Form, Input, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useRef, useState } from 'react';
import { showServerError } from '../../api/client';
import type { Org, Worker } from '../../api/types';
import { useTransferWorker, useWorkerAssignments } from '../../api/workers';
import { OrgSelect } from '../../components/OrgSelect';
import { useT } from '../../i18n';
import { DATE_FORMAT } from '../../utils/format';

const TRANSFER_FIELDS = ['toOrgCode', 'effectiveDate', 'reason'] as const;

interface FormValues {
  toOrgCode?: string;
  effectiveDate?: Dayjs | null;
  reason?: string;
}

export interface WorkerTransferModalProps {
  open: boolean;
  worker: Worker;
  onClose: () => void;
}

/** 调动: POST /workers/{id}/transfer to a street or community within the user's scope. */
export function WorkerTransferModal({ open, worker, onClose }: WorkerTransferModalProps) {
  const t = useT();
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t('workerTransfer.title', { name: worker.name })}
      footer={null}
      destroyOnHidden
      mask={{ closable: false }}
    >
      {open && <TransferForm worker={worker} onClose={onClose} />}
    </Modal>
  );
}

function TransferForm({ worker, onClose }: { worker: Worker; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const id = String(worker.id);
  const transfer = useTransferWorker(id);
  const assignments = useWorkerAssignments(id);
  const [form] = Form.useForm<FormValues>();
  const [formError, setFormError] = useState<string | null>(null);
  const target = useRef<Org | undefined>(undefined);
  const currentStart = assignments.data?.items.find((a) => a.toDate === null)?.fromDate;
  const since = currentStart ? dayjs(currentStart) : null;

  const onFinish = (v: FormValues) => {
    setFormError(null);
    if (!v.toOrgCode || !v.effectiveDate) return;
    transfer.mutate(
      { toOrgCode: v.toOrgCode, effectiveDate: v.effectiveDate.format(DATE_FORMAT), reason: v.reason?.trim() || undefined },
      {
        onSuccess: () => {
          message.success(t('workerTransfer.done'));
          onClose();
        },
        onError: (err) => showServerError(form, err, TRANSFER_FIELDS, setFormError),
      },
    );
  };

  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      initialValues={{ effectiveDate: dayjs() }}
      onFinish={onFinish}
      onValuesChange={() => formError && setFormError(null)}
      data-testid="worker-transfer-form"
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[{ key: 'from', label: t('workerTransfer.from'), children: worker.orgName }]}
      />
      <Form.Item
        name="toOrgCode"
        label={t('workerTransfer.to')}
        extra={t('workerTransfer.toHint')}
        getValueFromEvent={(code: string | undefined, org?: Org) => {
          target.current = org;
          return code;
        }}
        rules={[
          { required: true, message: t('validation.required') },
          {
            validator: (_, value: string | undefined) => {
              if (!value) return Promise.resolve();
              if (value === worker.orgCode) return Promise.reject(new Error(t('workerTransfer.sameOrg')));
              const org = target.current;
              if (org && org.code === value && org.level < 4) return Promise.reject(new Error(t('workerTransfer.levelOnly')));
              return Promise.resolve();
            },
          },
        ]}
      >
        <OrgSelect style={{ width: '100%' }} data-testid="worker-transfer-org" />
      </Form.Item>
      <Form.Item
        name="effectiveDate"
        label={t('workerStatus.effectiveDate')}
        extra={since ? t('workerTransfer.notBefore', { date: since.format(DATE_FORMAT) }) : undefined}
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} disabledDate={(d) => !!since && d.isBefore(since, 'day')} />
      </Form.Item>
      <Form.Item name="reason" label={t('workerTransfer.reason')} rules={[{ max: 200, message: t('validation.max', { n: 200 }) }]}>
        <Input.TextArea rows={2} maxLength={200} showCount />
      </Form.Item>
      <Flex gap={8} justify="flex-end">
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={transfer.isPending} data-testid="worker-transfer-submit">
          {t('workerTransfer.submit')}
        </Button>
      </Flex>
    </Form>
  );
}
