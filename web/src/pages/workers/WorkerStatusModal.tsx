import { Alert, App, Button, DatePicker, Descriptions, Flex, Form, Input, Modal, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useCurrentUser } from '../../api/auth';
import { fieldErrorsFromDetails } from '../../api/client';
import { useEnumLabels } from '../../api/meta';
import type { Worker, WorkerStatusChange } from '../../api/types';
import { useChangeWorkerStatus } from '../../api/workers';
import { useT } from '../../i18n';
import { DATE_FORMAT, formatDate } from '../../utils/format';
import { REINSTATE_TARGETS, STATUS_TRANSITIONS, WorkerStatusTag } from './shared';

const STATUS_FIELDS = ['status', 'effectiveDate', 'reason', 'leaveType', 'leaveEndDate', 'exitReason', 'reinstate'] as const;

interface FormValues {
  status?: string;
  effectiveDate?: Dayjs | null;
  leaveType?: string;
  leaveEndDate?: Dayjs | null;
  exitReason?: string;
  reason?: string;
}

/** The statuses the signed-in user may move this worker to, and whether that is a reinstatement. */
export function useStatusTargets(worker: Worker): { targets: readonly string[]; reinstate: boolean } {
  const me = useCurrentUser();
  if (worker.status === 'exited') {
    return me.role === 'street_hr' ? { targets: REINSTATE_TARGETS, reinstate: true } : { targets: [], reinstate: false };
  }
  return { targets: STATUS_TRANSITIONS[worker.status] ?? [], reinstate: false };
}

export interface WorkerStatusModalProps {
  open: boolean;
  worker: Worker;
  onClose: () => void;
}

/** 变更状态: POST /workers/{id}/status, offering only the moves allowed from the current status. */
export function WorkerStatusModal({ open, worker, onClose }: WorkerStatusModalProps) {
  const t = useT();
  return (
    <Modal open={open} onCancel={onClose} title={t('workerStatus.action')} footer={null} destroyOnHidden mask={{ closable: false }}>
      {open && <StatusForm worker={worker} onClose={onClose} />}
    </Modal>
  );
}

function StatusForm({ worker, onClose }: { worker: Worker; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const { label, options } = useEnumLabels();
  const { targets, reinstate } = useStatusTargets(worker);
  const change = useChangeWorkerStatus(String(worker.id));
  const [form] = Form.useForm<FormValues>();
  const [formError, setFormError] = useState<string | null>(null);
  const status = Form.useWatch('status', form);
  const exitReason = Form.useWatch('exitReason', form);
  const effectiveDate = Form.useWatch('effectiveDate', form);
  const since = worker.statusDate ? dayjs(worker.statusDate) : null;

  const onFinish = (v: FormValues) => {
    setFormError(null);
    if (!v.status || !v.effectiveDate) return;
    const input: WorkerStatusChange = {
      status: v.status,
      effectiveDate: v.effectiveDate.format(DATE_FORMAT),
      reason: v.reason?.trim() || undefined,
    };
    if (v.status === 'on_leave') {
      input.leaveType = v.leaveType;
      input.leaveEndDate = v.leaveEndDate ? v.leaveEndDate.format(DATE_FORMAT) : undefined;
    }
    if (v.status === 'exited') input.exitReason = v.exitReason;
    if (reinstate) input.reinstate = true;
    change.mutate(input, {
      onSuccess: () => {
        message.success(t('workerStatus.done'));
        onClose();
      },
      onError: (err) => {
        // A refused reinstatement is shown on the status choice.
        const onForm = fieldErrorsFromDetails(err, STATUS_FIELDS).map((f) => ({ ...f, name: f.name === 'reinstate' ? 'status' : f.name }));
        if (onForm.length) form.setFields(onForm);
        else setFormError(err.message);
      },
    });
  };

  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      initialValues={{ effectiveDate: dayjs(), status: targets.length === 1 ? targets[0] : undefined }}
      onFinish={onFinish}
      onValuesChange={() => formError && setFormError(null)}
      data-testid="worker-status-form"
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          {
            key: 'current',
            label: t('workerStatus.current'),
            children: (
              <span>
                <WorkerStatusTag code={worker.status} />
                {worker.statusDate && formatDate(worker.statusDate)}
              </span>
            ),
          },
        ]}
      />
      {reinstate && <Alert type="info" showIcon title={t('workerStatus.reinstateHint')} style={{ marginBottom: 16 }} />}
      <Form.Item
        name="status"
        label={reinstate ? t('workerStatus.reinstate') : t('workerStatus.to')}
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={targets.map((code) => ({ value: code, label: label('statuses', code) }))}
        />
      </Form.Item>
      {status === 'exited' && <Alert type="warning" showIcon title={t('workerStatus.exitHint')} style={{ marginBottom: 16 }} />}
      <Form.Item
        name="effectiveDate"
        label={t('workerStatus.effectiveDate')}
        extra={since ? t('workerStatus.notBefore', { date: since.format(DATE_FORMAT) }) : undefined}
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <DatePicker
          style={{ width: '100%' }}
          format={DATE_FORMAT}
          disabledDate={(d) => !!since && d.isBefore(since, 'day')}
          data-testid="worker-status-date"
        />
      </Form.Item>
      {status === 'on_leave' && (
        <>
          <Form.Item name="leaveType" label={t('worker.leaveType')} rules={[{ required: true, message: t('validation.required') }]}>
            <Radio.Group options={options('leaveTypes')} data-testid="worker-status-leave-type" />
          </Form.Item>
          <Form.Item
            name="leaveEndDate"
            label={t('worker.leaveEndDate')}
            dependencies={['effectiveDate']}
            rules={[
              {
                validator: (_, value: Dayjs | null | undefined) =>
                  !value || !effectiveDate || value.isAfter(effectiveDate, 'day')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('workerStatus.endAfterStart'))),
              },
            ]}
          >
            <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} />
          </Form.Item>
        </>
      )}
      {status === 'exited' && (
        <Form.Item name="exitReason" label={t('worker.exitReason')} rules={[{ required: true, message: t('validation.required') }]}>
          <Select options={options('exitReasons')} data-testid="worker-status-exit-reason" />
        </Form.Item>
      )}
      <Form.Item
        name="reason"
        label={t('workerStatus.reason')}
        rules={[
          { required: status === 'exited' && exitReason === 'other', whitespace: true, message: t('workerStatus.reasonOther') },
          { max: 200, message: t('validation.max', { n: 200 }) },
        ]}
      >
        <Input.TextArea rows={2} maxLength={200} showCount data-testid="worker-status-reason" />
      </Form.Item>
      <Flex gap={8} justify="flex-end">
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="worker-status-submit">
          {t('workerStatus.submit')}
        </Button>
      </Flex>
    </Form>
  );
}
