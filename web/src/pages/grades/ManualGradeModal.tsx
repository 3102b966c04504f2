import { App, type ButtonProps, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { showServerError } from '../../api/client';
import { useGradeScheme, useSetWorkerGrade, type WorkerGrade } from '../../api/grades';
import { useWorker } from '../../api/workers';
import { useT } from '../../i18n';
import { DATE_FORMAT } from '../../utils/format';

interface ManualForm {
  band: string;
  level: number;
  reason: string;
  effectiveDate?: Dayjs;
}

/** 手动调整: street HR or a region admin sets band and level (within the band) with a reason. */
export function ManualGradeModal({
  workerId,
  current,
  open,
  onClose,
}: {
  workerId: string;
  current: WorkerGrade | null;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const worker = useWorker(workerId);
  const scheme = useGradeScheme(current?.orgCode ?? worker.data?.orgCode);
  const save = useSetWorkerGrade(workerId);
  const [form] = Form.useForm<ManualForm>();
  const bands = scheme.data?.effective?.rules.bands ?? [];
  const bandKey = Form.useWatch('band', form);
  const band = bands.find((b) => b.key === bandKey);

  const submit = async (values: ManualForm) => {
    try {
      await save.mutateAsync({
        band: values.band,
        level: values.level,
        reason: values.reason,
        ...(values.effectiveDate ? { effectiveDate: values.effectiveDate.format(DATE_FORMAT) } : {}),
      });
      void message.success(t('grade.manual.saved'));
      form.resetFields();
      onClose();
    } catch (err) {
      showServerError(form, err as Error, ['band', 'level', 'reason', 'effectiveDate'] as const, (m) => void message.error(m));
    }
  };

  return (
    <Modal
      open={open}
      title={t('grade.manual.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'grade-manual-save' } as ButtonProps}
    >
      <Form<ManualForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={current ? { band: current.band, level: current.level } : {}}
        onFinish={submit}
        data-testid="grade-manual-form"
      >
        <Form.Item name="band" label={t('grade.manual.band')} rules={[{ required: true }]}>
          <Select
            loading={scheme.isLoading}
            options={bands.map((b) => ({
              value: b.key,
              label: t('grade.manual.levelRange', { band: b.nameZh, min: b.minLevel, max: b.maxLevel }),
            }))}
            data-testid="grade-manual-band"
          />
        </Form.Item>
        <Form.Item name="level" label={t('grade.manual.level')} rules={[{ required: true }]}>
          <InputNumber
            min={band?.minLevel ?? 1}
            max={band?.maxLevel ?? 99}
            precision={0}
            style={{ width: 120 }}
            data-testid="grade-manual-level"
          />
        </Form.Item>
        <Form.Item name="reason" label={t('grade.manual.reason')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={500} placeholder={t('grade.manual.reasonPlaceholder')} data-testid="grade-manual-reason" />
        </Form.Item>
        <Form.Item name="effectiveDate" label={t('grade.manual.effectiveDate')}>
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
