import { Alert, App, Button, DatePicker, Drawer, Flex, Form, Input, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { fieldErrorsFromDetails } from '../../api/client';
import { useEnumLabels } from '../../api/meta';
import type { Worker, WorkerInput, WorkerPatch } from '../../api/types';
import { useCreateWorker, useUpdateWorker } from '../../api/workers';
import { OrgSelect } from '../../components/OrgSelect';
import { useT } from '../../i18n';
import { DATE_FORMAT } from '../../utils/format';
import { useIsMobile } from '../../utils/hooks';
import { ID_NUMBER_PATTERN, PHONE_PATTERN } from '../../utils/validation';
import { usePostOptions, WORKER_FIELDS } from './shared';

interface FormValues {
  name: string;
  idNumber?: string;
  orgCode?: string;
  post?: string;
  status?: string;
  phone?: string;
  education?: string;
  politicalStatus?: string;
  workStartDate?: Dayjs | null;
}

export interface WorkerFormDrawerProps {
  open: boolean;
  mode: 'create' | 'edit';
  worker?: Worker;
  defaultOrgCode?: string;
  onClose: () => void;
  onSaved: (worker: Worker) => void;
}

/** Create or edit a worker. In edit mode only changed fields are sent; blank ID number / phone keep the stored value. */
export function WorkerFormDrawer(props: WorkerFormDrawerProps) {
  const isMobile = useIsMobile();
  const t = useT();
  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      title={props.mode === 'create' ? t('workers.create') : t('workers.edit')}
      size={isMobile ? '100%' : 560}
      destroyOnHidden
      mask={{ closable: false }}
    >
      {props.open && <WorkerForm {...props} />}
    </Drawer>
  );
}

function WorkerForm({ mode, worker, defaultOrgCode, onClose, onSaved }: WorkerFormDrawerProps) {
  const t = useT();
  const { message } = App.useApp();
  const { options } = useEnumLabels();
  const postOptions = usePostOptions();
  const [form] = Form.useForm<FormValues>();
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateWorker();
  const update = useUpdateWorker(worker ? String(worker.id) : '');
  const saving = create.isPending || update.isPending;

  const initialValues: Partial<FormValues> = worker
    ? {
        name: worker.name,
        orgCode: worker.orgCode,
        post: worker.post,
        status: worker.status,
        education: worker.education ?? undefined,
        politicalStatus: worker.politicalStatus ?? undefined,
        workStartDate: worker.workStartDate ? dayjs(worker.workStartDate) : null,
      }
    : { orgCode: defaultOrgCode };

  const onError = (err: Error) => {
    const fields = fieldErrorsFromDetails(err, WORKER_FIELDS);
    if (fields.length) form.setFields(fields);
    setFormError(err.message);
  };

  const onFinish = (v: FormValues) => {
    setFormError(null);
    const date = v.workStartDate ? v.workStartDate.format(DATE_FORMAT) : undefined;
    const idNumber = v.idNumber?.trim().toUpperCase() || undefined;
    const phone = v.phone?.trim() || undefined;

    if (mode === 'create') {
      const input: WorkerInput = {
        name: v.name.trim(),
        idNumber: idNumber ?? '',
        orgCode: v.orgCode ?? '',
        post: v.post ?? '',
        status: v.status || undefined,
        phone,
        education: v.education || undefined,
        politicalStatus: v.politicalStatus || undefined,
        workStartDate: date,
      };
      create.mutate(input, {
        onSuccess: (w) => {
          message.success(t('workers.created'));
          onSaved(w);
        },
        onError,
      });
      return;
    }

    if (!worker) return;
    // Only the fields that changed; a cleared optional field is sent as null.
    const patch: Record<string, unknown> = {};
    if (v.name.trim() !== worker.name) patch.name = v.name.trim();
    if (idNumber) patch.idNumber = idNumber;
    if (phone) patch.phone = phone;
    if (v.orgCode && v.orgCode !== worker.orgCode) patch.orgCode = v.orgCode;
    if (v.post && v.post !== worker.post) patch.post = v.post;
    if (v.status && v.status !== worker.status) patch.status = v.status;
    const optional: [keyof WorkerPatch, string | undefined, string | null][] = [
      ['education', v.education || undefined, worker.education],
      ['politicalStatus', v.politicalStatus || undefined, worker.politicalStatus],
      ['workStartDate', date, worker.workStartDate ? dayjs(worker.workStartDate).format(DATE_FORMAT) : null],
    ];
    for (const [key, next, prev] of optional) {
      if ((next ?? null) !== (prev ?? null)) patch[key] = next ?? null;
    }
    if (Object.keys(patch).length === 0) {
      message.info(t('common.noChanges'));
      onClose();
      return;
    }
    update.mutate(patch as WorkerPatch, {
      onSuccess: (w) => {
        message.success(t('common.saved'));
        onSaved(w);
      },
      onError,
    });
  };

  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      initialValues={initialValues}
      onFinish={onFinish}
      onValuesChange={() => formError && setFormError(null)}
      data-testid="worker-form"
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form.Item
        name="name"
        label={t('worker.name')}
        rules={[
          { required: true, whitespace: true, message: t('validation.required') },
          { max: 50, message: t('validation.max', { n: 50 }) },
        ]}
      >
        <Input data-testid="worker-form-name" />
      </Form.Item>
      <Form.Item
        name="idNumber"
        label={t('worker.idNumber')}
        extra={mode === 'edit' ? t('workers.keepBlank', { value: worker?.idNumberMasked ?? '' }) : undefined}
        validateFirst
        normalize={(v: string | undefined) => v?.replace(/\s/g, '').toUpperCase()}
        rules={[
          ...(mode === 'create' ? [{ required: true, message: t('validation.required') }] : []),
          { len: 18, message: t('validation.idLength') },
          { pattern: ID_NUMBER_PATTERN, message: t('validation.idFormat') },
        ]}
      >
        <Input maxLength={18} className="sg-mono" autoComplete="off" data-testid="worker-form-id" />
      </Form.Item>
      <Form.Item name="orgCode" label={t('worker.org')} rules={[{ required: true, message: t('validation.required') }]}>
        <OrgSelect allowClear={false} data-testid="worker-form-org" />
      </Form.Item>
      <Flex gap={12} wrap>
        <Form.Item
          name="post"
          label={t('worker.post')}
          rules={[{ required: true, message: t('validation.required') }]}
          style={{ flex: '1 1 220px' }}
        >
          <Select options={postOptions} listHeight={400} showSearch={{ optionFilterProp: 'label' }} data-testid="worker-form-post" />
        </Form.Item>
        <Form.Item name="status" label={t('worker.status')} style={{ flex: '1 1 160px' }}>
          <Select options={options('statuses')} allowClear placeholder={t('workers.statusDefault')} />
        </Form.Item>
      </Flex>
      <Form.Item
        name="phone"
        label={t('worker.phone')}
        extra={mode === 'edit' && worker?.phoneMasked ? t('workers.keepBlank', { value: worker.phoneMasked }) : undefined}
        rules={[{ pattern: PHONE_PATTERN, message: t('validation.phone') }]}
      >
        <Input maxLength={20} autoComplete="off" data-testid="worker-form-phone" />
      </Form.Item>
      <Flex gap={12} wrap>
        <Form.Item name="education" label={t('worker.education')} style={{ flex: '1 1 160px' }}>
          <Select options={options('educations')} allowClear />
        </Form.Item>
        <Form.Item name="politicalStatus" label={t('worker.politicalStatus')} style={{ flex: '1 1 160px' }}>
          <Select options={options('politicalStatuses')} allowClear />
        </Form.Item>
      </Flex>
      <Form.Item name="workStartDate" label={t('worker.workStartDate')}>
        <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} disabledDate={(d) => d.isAfter(dayjs())} />
      </Form.Item>
      <Flex gap={8} justify="flex-end">
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="worker-form-submit">
          {mode === 'create' ? t('common.create') : t('common.save')}
        </Button>
      </Flex>
    </Form>
  );
}
