import { Alert, App, Button, DatePicker, Divider, Drawer, Flex, Form, Input, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState, type ReactNode } from 'react';
import { fieldErrorsFromDetails } from '../../api/client';
import { useEnumLabels } from '../../api/meta';
import type { Worker, WorkerInput, WorkerPatch } from '../../api/types';
import { useCreateWorker, useUpdateWorker } from '../../api/workers';
import { OrgSelect } from '../../components/OrgSelect';
import { useT } from '../../i18n';
import { DATE_FORMAT } from '../../utils/format';
import { useIsMobile } from '../../utils/hooks';
import { ID_NUMBER_PATTERN, PHONE_PATTERN } from '../../utils/validation';
import { ConcurrentTag, isConcurrentPosts, usePostOptions, WORKER_FIELDS } from './shared';

/** Optional text fields: blank is sent as null on edit. */
const TEXT_FIELDS = ['formerName', 'school', 'major', 'address', 'hukou', 'emergencyContactName', 'certificateNo'] as const;
/** Optional code fields (selects). */
const CODE_FIELDS = ['ethnicity', 'education', 'educationMode', 'politicalStatus', 'qualificationLevel'] as const;
/** Optional dates. */
const DATE_FIELDS = ['workStartDate', 'partyJoinDate', 'joinCommunityDate', 'certificateDate'] as const;

type TextField = (typeof TEXT_FIELDS)[number];
type CodeField = (typeof CODE_FIELDS)[number];
type DateField = (typeof DATE_FIELDS)[number];

type FormValues = {
  name: string;
  idNumber?: string;
  orgCode?: string;
  posts?: string[];
  status?: string;
  phone?: string;
  emergencyContactPhone?: string;
} & Partial<Record<TextField, string>> &
  Partial<Record<CodeField, string>> &
  Partial<Record<DateField, Dayjs | null>>;

type FormField = keyof FormValues;

export interface WorkerFormDrawerProps {
  open: boolean;
  mode: 'create' | 'edit';
  worker?: Worker;
  defaultOrgCode?: string;
  onClose: () => void;
  onSaved: (worker: Worker) => void;
}

/**
 * Create or edit a worker. In edit mode only changed fields are sent; blank ID number / phones keep the stored value.
 * Status is set on create only; later changes go through 变更状态, and moves through 调动.
 */
export function WorkerFormDrawer(props: WorkerFormDrawerProps) {
  const isMobile = useIsMobile();
  const t = useT();
  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      title={props.mode === 'create' ? t('workers.create') : t('workers.edit')}
      size={isMobile ? '100%' : 640}
      destroyOnHidden
      mask={{ closable: false }}
    >
      {props.open && <WorkerForm {...props} />}
    </Drawer>
  );
}

const day = (v: string | null | undefined) => (v ? dayjs(v) : null);
const fmt = (v: Dayjs | null | undefined) => (v ? v.format(DATE_FORMAT) : null);
const notFuture = (d: Dayjs) => d.isAfter(dayjs(), 'day');

/** Maps a server field to the form item that shows it. */
function formFieldOf(name: string): FormField | null {
  if (name === 'post') return 'posts';
  if (name === 'gender' || name === 'birthDate') return 'idNumber';
  return name as FormField;
}

function Row({ children }: { children: ReactNode }) {
  return (
    <Flex gap={12} wrap>
      {children}
    </Flex>
  );
}

const HALF = { flex: '1 1 200px', minWidth: 0 } as const;

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
  const posts = Form.useWatch('posts', form);

  const initialValues: Partial<FormValues> = worker
    ? {
        name: worker.name,
        orgCode: worker.orgCode,
        posts: worker.posts?.length ? worker.posts : [worker.post],
        ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, worker[f] ?? undefined])),
        ...Object.fromEntries(CODE_FIELDS.map((f) => [f, worker[f] ?? undefined])),
        ...Object.fromEntries(DATE_FIELDS.map((f) => [f, day(worker[f])])),
      }
    : { orgCode: defaultOrgCode };

  const onError = (err: Error) => {
    const fields = fieldErrorsFromDetails(err, WORKER_FIELDS)
      .map((f) => ({ ...f, name: formFieldOf(f.name) }))
      .filter((f): f is { name: FormField; errors: string[] } => f.name !== null);
    if (fields.length) form.setFields(fields);
    setFormError(err.message);
  };

  const onFinish = (v: FormValues) => {
    setFormError(null);
    const idNumber = v.idNumber?.trim().toUpperCase() || undefined;
    const phone = v.phone?.trim() || undefined;
    const emergencyContactPhone = v.emergencyContactPhone?.trim() || undefined;
    const texts = Object.fromEntries(TEXT_FIELDS.map((f) => [f, v[f]?.trim() || null])) as Record<TextField, string | null>;
    const codes = Object.fromEntries(CODE_FIELDS.map((f) => [f, v[f] || null])) as Record<CodeField, string | null>;
    const dates = Object.fromEntries(DATE_FIELDS.map((f) => [f, fmt(v[f])])) as Record<DateField, string | null>;

    if (mode === 'create') {
      const input: WorkerInput = {
        name: v.name.trim(),
        idNumber: idNumber ?? '',
        orgCode: v.orgCode ?? '',
        posts: v.posts ?? [],
        status: v.status || undefined,
        phone,
        emergencyContactPhone,
      };
      // Only what was filled in.
      for (const [k, val] of Object.entries({ ...texts, ...codes, ...dates })) {
        if (val !== null) (input as unknown as Record<string, unknown>)[k] = val;
      }
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
    if (emergencyContactPhone) patch.emergencyContactPhone = emergencyContactPhone;
    const before = worker.posts?.length ? worker.posts : [worker.post];
    const after = v.posts ?? [];
    if (after.length && [...after].sort().join() !== [...before].sort().join()) patch.posts = after;
    for (const f of TEXT_FIELDS) if (texts[f] !== (worker[f] ?? null)) patch[f] = texts[f];
    for (const f of CODE_FIELDS) if (codes[f] !== (worker[f] ?? null)) patch[f] = codes[f];
    for (const f of DATE_FIELDS) if (dates[f] !== fmt(day(worker[f]))) patch[f] = dates[f];
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

  const maxRule = (n: number) => ({ max: n, message: t('validation.max', { n }) });
  const textItem = (name: TextField, max: number, style: object = HALF) => (
    <Form.Item name={name} label={t(`worker.${name}`)} rules={[maxRule(max)]} style={style}>
      <Input maxLength={max} />
    </Form.Item>
  );
  const dateItem = (name: DateField) => (
    <Form.Item name={name} label={t(`worker.${name}`)} style={HALF}>
      <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} disabledDate={notFuture} />
    </Form.Item>
  );
  const selectItem = (name: CodeField, kind: Parameters<typeof options>[0], search = false) => (
    <Form.Item name={name} label={t(`worker.${name}`)} style={HALF}>
      <Select options={options(kind)} allowClear showSearch={search ? { optionFilterProp: 'label' } : undefined} />
    </Form.Item>
  );
  const section = (title: string) => (
    <Divider titlePlacement="start" style={{ marginTop: 8 }}>
      {title}
    </Divider>
  );

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
      {section(t('worker.group.basic'))}
      <Row>
        <Form.Item
          name="name"
          label={t('worker.name')}
          style={HALF}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }, maxRule(50)]}
        >
          <Input data-testid="worker-form-name" />
        </Form.Item>
        {textItem('formerName', 50)}
      </Row>
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
      <Row>
        {selectItem('ethnicity', 'ethnicities', true)}
        {textItem('hukou', 200)}
      </Row>

      {section(t('worker.group.political'))}
      <Row>
        {selectItem('politicalStatus', 'politicalStatuses')}
        {dateItem('partyJoinDate')}
      </Row>
      <Row>
        {selectItem('education', 'educations')}
        {selectItem('educationMode', 'educationModes')}
      </Row>
      <Row>
        {textItem('school', 100)}
        {textItem('major', 100)}
      </Row>

      {section(t('worker.group.post'))}
      <Form.Item
        name="orgCode"
        label={t('worker.org')}
        extra={mode === 'edit' ? t('workers.orgViaTransfer') : undefined}
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <OrgSelect allowClear={false} disabled={mode === 'edit'} data-testid="worker-form-org" />
      </Form.Item>
      <Row>
        <Form.Item
          name="posts"
          label={t('worker.posts')}
          rules={[{ required: true, type: 'array', min: 1, message: t('validation.required') }]}
          extra={isConcurrentPosts(posts) ? <ConcurrentTag /> : undefined}
          style={{ flex: '2 1 260px', minWidth: 0 }}
        >
          <Select
            mode="multiple"
            options={postOptions}
            listHeight={400}
            showSearch={{ optionFilterProp: 'label' }}
            data-testid="worker-form-post"
          />
        </Form.Item>
        {mode === 'create' && (
          <Form.Item name="status" label={t('worker.status')} style={{ flex: '1 1 140px', minWidth: 0 }}>
            <Select options={options('statuses').filter((o) => o.value !== 'exited')} allowClear placeholder={t('workers.statusDefault')} />
          </Form.Item>
        )}
      </Row>
      <Row>
        {dateItem('workStartDate')}
        {dateItem('joinCommunityDate')}
      </Row>

      {section(t('worker.group.qualification'))}
      <Row>
        {selectItem('qualificationLevel', 'qualificationLevels')}
        {textItem('certificateNo', 50)}
      </Row>
      <Row>{dateItem('certificateDate')}</Row>

      {section(t('worker.group.contact'))}
      <Form.Item
        name="phone"
        label={t('worker.phone')}
        extra={mode === 'edit' && worker?.phoneMasked ? t('workers.keepBlank', { value: worker.phoneMasked }) : undefined}
        rules={[{ pattern: PHONE_PATTERN, message: t('validation.phone') }]}
      >
        <Input maxLength={20} autoComplete="off" data-testid="worker-form-phone" />
      </Form.Item>
      {textItem('address', 200, {})}
      <Row>
        {textItem('emergencyContactName', 50)}
        <Form.Item
          name="emergencyContactPhone"
          label={t('worker.emergencyContactPhone')}
          style={HALF}
          extra={
            mode === 'edit' && worker?.emergencyContactPhoneMasked
              ? t('workers.keepBlank', { value: worker.emergencyContactPhoneMasked })
              : undefined
          }
          rules={[{ pattern: PHONE_PATTERN, message: t('validation.phone') }]}
        >
          <Input maxLength={20} autoComplete="off" data-testid="worker-form-emergency-phone" />
        </Form.Item>
      </Row>
      <Flex gap={8} justify="flex-end">
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="worker-form-submit">
          {mode === 'create' ? t('common.create') : t('common.save')}
        </Button>
      </Flex>
    </Form>
  );
}
