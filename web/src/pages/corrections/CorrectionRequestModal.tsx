import { Alert, App, DatePicker, Form, Input, Modal, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { showServerError } from '../../api/client';
import { useRequestCorrection } from '../../api/corrections';
import { useEnumLabels } from '../../api/meta';
import type { Worker } from '../../api/types';
import { useT } from '../../i18n';
import { DATE_FORMAT } from '../../utils/format';
import { CORRECTABLE_FIELDS, currentValue, useCorrectionFormat } from './fields';

interface FormValues {
  fields: string[];
  values: Record<string, string | Dayjs | null | undefined>;
  reason: string;
}

const FORM_FIELDS = ['fields', 'reason'] as const;

/** 申请更正: the worker picks fields of their own record, sees the current value, and proposes a new one. */
export function CorrectionRequestModal({
  worker,
  open,
  onClose,
  onSubmitted,
}: {
  worker: Worker;
  open: boolean;
  onClose: () => void;
  onSubmitted: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const { options } = useEnumLabels();
  const fmt = useCorrectionFormat();
  const [form] = Form.useForm<FormValues>();
  const chosen = Form.useWatch('fields', form) ?? [];
  const submit = useRequestCorrection(String(worker.id));

  const onFinish = (v: FormValues) => {
    const changes: Record<string, string | null> = {};
    for (const field of v.fields) {
      const raw = v.values?.[field];
      changes[field] = raw === undefined || raw === null || raw === '' ? null : dayjs.isDayjs(raw) ? raw.format(DATE_FORMAT) : String(raw);
    }
    submit.mutate(
      { changes, reason: v.reason },
      {
        onSuccess: () => {
          message.success(t('correction.submitted'));
          form.resetFields();
          onSubmitted();
        },
        onError: (err) => {
          const known = [...FORM_FIELDS, ...CORRECTABLE_FIELDS.map((f) => f.field)];
          const named = new Set(CORRECTABLE_FIELDS.map((f) => f.field));
          showServerError(
            {
              setFields: (list) =>
                form.setFields(
                  list.map((f) => ({ name: (named.has(f.name) ? ['values', f.name] : f.name) as 'reason', errors: f.errors })),
                ),
            },
            err,
            known,
            (msg) => message.error(msg),
          );
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('correction.requestTitle')}
      okText={t('correction.submit')}
      onOk={() => form.submit()}
      confirmLoading={submit.isPending}
      onCancel={onClose}
      destroyOnHidden
      width={640}
      okButtonProps={{ 'data-testid': 'correction-submit' }}
    >
      <Alert type="info" showIcon message={t('correction.requestHint')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" onFinish={onFinish} preserve={false} data-testid="correction-form">
        <Form.Item name="fields" label={t('correction.fields')} rules={[{ required: true, message: t('correction.fieldsRequired') }]}>
          <Select
            mode="multiple"
            options={CORRECTABLE_FIELDS.map((f) => ({ value: f.field, label: fmt.fieldLabel(f.field) }))}
            data-testid="correction-fields"
          />
        </Form.Item>
        {CORRECTABLE_FIELDS.filter((f) => chosen.includes(f.field)).map(({ field, input }) => (
          <Form.Item
            key={field}
            name={['values', field]}
            label={
              <span>
                {fmt.fieldLabel(field)}
                <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                  {t('correction.current', { value: fmt.value(field, currentValue(worker, field)) })}
                </Typography.Text>
              </span>
            }
            extra={t('correction.clear')}
          >
            {input.type === 'enum' ? (
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                options={options(input.kind)}
                data-testid={`correction-value-${field}`}
              />
            ) : input.type === 'date' ? (
              <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} data-testid={`correction-value-${field}`} />
            ) : (
              <Input
                maxLength={input.type === 'text' ? input.max : 30}
                inputMode={input.type === 'phone' ? 'tel' : undefined}
                placeholder={t('correction.newValue')}
                data-testid={`correction-value-${field}`}
              />
            )}
          </Form.Item>
        ))}
        <Form.Item
          name="reason"
          label={t('correction.reason')}
          rules={[{ required: true, whitespace: true, message: t('correction.reasonRequired') }]}
        >
          <Input.TextArea
            rows={3}
            maxLength={500}
            showCount
            placeholder={t('correction.reasonPlaceholder')}
            data-testid="correction-reason"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
