import { EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Space,
  Table,
  Typography,
  Upload,
  type TableProps,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { usePermission } from '../../api/auth';
import { showServerError } from '../../api/client';
import { formatFen } from '../../api/payroll';
import { uploadTaxOpenings, useSaveTaxOpening, useTaxOpenings, type ImportResult, type TaxOpening } from '../../api/payroll-inputs';
import { ErrorResult } from '../../components/status';
import { useT, type TFunction } from '../../i18n';
import { fenToYuanInput, parseYuanToFen } from '../../utils/money';
import { WorkerPickSelect } from './WorkerPickSelect';

type MessageKey = Parameters<TFunction>[0];

/** The amount fields of an opening: form name, API field, label key, and whether it may be left empty (0). */
const AMOUNTS = [
  ['cumGross', 'cumGrossFen', 'openings.cumGross', false],
  ['cumTaxFree', 'cumTaxFreeFen', 'openings.cumTaxFree', true],
  ['cumInsurance', 'cumInsuranceFen', 'openings.cumInsurance', false],
  ['cumSpecial', 'cumSpecialFen', 'openings.cumSpecial', true],
  ['cumOther', 'cumOtherFen', 'openings.cumOther', true],
  ['cumTax', 'cumTaxFen', 'openings.cumTax', false],
] as const;

type AmountName = (typeof AMOUNTS)[number][0];

/**
 * 期初累计 of a year: the cumulative income, deductions and tax withheld before shegong took over
 * (entered per worker or imported from a sheet: checked first, then written all at once).
 */
export function TaxOpeningsCard({ orgCode, year }: { orgCode: string; year: number }) {
  const t = useT();
  const can = usePermission();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const openings = useTaxOpenings({ orgCode, year, page, pageSize: 20 });
  const [editing, setEditing] = useState<TaxOpening | 'new' | undefined>();
  const [checked, setChecked] = useState<{ file: File; result: ImportResult } | undefined>();
  const [isUploading, setIsUploading] = useState(false);
  const canWrite = can('payroll:write');

  const upload = async (file: File, isDryRun: boolean) => {
    setIsUploading(true);
    try {
      const result = await uploadTaxOpenings(file, isDryRun);
      if (isDryRun) setChecked({ file, result });
      else {
        setChecked(result.errors.length > 0 ? { file, result } : undefined);
        if (result.errors.length === 0) void message.success(t('openings.imported', { n: result.saved }));
        await openings.refetch();
      }
    } catch (err) {
      void message.error((err as Error).message);
    } finally {
      setIsUploading(false);
    }
  };

  const money = (key: keyof TaxOpening) => ({
    key,
    dataIndex: key,
    align: 'right' as const,
    render: (v: number) => formatFen(v),
  });
  const columns: TableProps<TaxOpening>['columns'] = [
    { title: t('openings.worker'), dataIndex: 'workerName', key: 'name', fixed: 'left' },
    { title: t('openings.org'), dataIndex: 'orgName', key: 'org' },
    { title: t('openings.throughMonth'), dataIndex: 'throughMonth', key: 'through' },
    { title: t('openings.taxMonths'), dataIndex: 'taxMonths', key: 'months', align: 'right' },
    ...AMOUNTS.map(([, field, label]) => ({ title: t(label), ...money(field) })),
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, r: TaxOpening) => (
              <Button
                size="small"
                type="link"
                icon={<EditOutlined />}
                onClick={() => setEditing(r)}
                data-testid={`opening-edit-${r.workerId}`}
              >
                {t('payInputs.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('openings.title', { year })}
      extra={
        canWrite && (
          <Space wrap>
            <Upload
              accept=".xlsx,.csv"
              showUploadList={false}
              beforeUpload={(file) => {
                void upload(file, true);
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} loading={isUploading} data-testid="openings-import">
                {t('openings.import')}
              </Button>
            </Upload>
            <Button icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="openings-add">
              {t('openings.add')}
            </Button>
          </Space>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('openings.hint')}</Typography.Paragraph>
      {canWrite && <Typography.Paragraph type="secondary">{t('openings.importHint')}</Typography.Paragraph>}
      {checked &&
        (checked.result.errors.length > 0 ? (
          <Alert
            type="error"
            showIcon
            closable={{ onClose: () => setChecked(undefined) }}
            style={{ marginBottom: 12 }}
            title={t('payInputs.importErrors', { n: checked.result.errors.length })}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 18, maxHeight: 200, overflow: 'auto' }}>
                {checked.result.errors.map((e, i) => (
                  <li key={i}>{e.message}</li>
                ))}
              </ul>
            }
            data-testid="openings-import-errors"
          />
        ) : (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('openings.checked', { n: checked.result.totalRows })}
            action={
              <Space>
                <Button
                  size="small"
                  type="primary"
                  loading={isUploading}
                  onClick={() => void upload(checked.file, false)}
                  data-testid="openings-import-confirm"
                >
                  {t('openings.confirmImport')}
                </Button>
                <Button size="small" onClick={() => setChecked(undefined)}>
                  {t('common.cancel')}
                </Button>
              </Space>
            }
          />
        ))}
      {openings.isError ? (
        <ErrorResult error={openings.error} onRetry={() => void openings.refetch()} />
      ) : (
        <Table<TaxOpening>
          rowKey="id"
          size="small"
          loading={openings.isFetching}
          columns={columns}
          dataSource={openings.data?.items ?? []}
          scroll={{ x: 1300 }}
          pagination={{ current: page, pageSize: 20, total: openings.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
          data-testid="openings-table"
        />
      )}
      {editing && (
        <OpeningModal
          orgCode={orgCode}
          year={year}
          opening={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
        />
      )}
    </Card>
  );
}

type OpeningForm = { workerId: number; throughMonth: Dayjs; taxMonths: number; note?: string } & Record<AmountName, string>;

const FORM_FIELDS = ['workerId', 'throughMonth', 'taxMonths', 'note', ...AMOUNTS.map((a) => a[0])] as const;

function OpeningModal({ orgCode, year, opening, onClose }: { orgCode: string; year: number; opening?: TaxOpening; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const save = useSaveTaxOpening();
  const [form] = Form.useForm<OpeningForm>();

  const submit = async (values: OpeningForm) => {
    const amounts: Record<string, number> = {};
    for (const [name, field, , isOptional] of AMOUNTS) {
      const text = (values[name] ?? '').trim();
      const r = isOptional && text === '' ? { ok: true as const, fen: 0 } : parseYuanToFen(text);
      if (!r.ok) return;
      amounts[field] = r.fen;
    }
    try {
      await save.mutateAsync({
        workerId: values.workerId,
        year,
        throughMonth: values.throughMonth.format('YYYY-MM'),
        taxMonths: values.taxMonths,
        ...(amounts as Pick<TaxOpening, (typeof AMOUNTS)[number][1]>),
        ...(values.note?.trim() ? { note: values.note.trim() } : {}),
      });
      void message.success(t('payInputs.saved'));
      onClose();
    } catch (err) {
      const fields = err as { details?: { issues?: { field: string; message: string }[] } };
      // The API names amount fields in fen (cumGrossFen); the form holds yuan (cumGross).
      const amountIssues = (fields.details?.issues ?? []).flatMap((i) => {
        const hit = AMOUNTS.find((a) => a[1] === i.field);
        return hit ? [{ name: hit[0], errors: [i.message] }] : [];
      });
      if (amountIssues.length > 0) form.setFields(amountIssues);
      else showServerError(form, err as Error, FORM_FIELDS, (text) => void message.error(text));
    }
  };

  const initial = opening
    ? {
        workerId: opening.workerId,
        throughMonth: dayjs(`${opening.throughMonth}-01`),
        taxMonths: opening.taxMonths,
        note: opening.note ?? '',
        ...Object.fromEntries(AMOUNTS.map(([name, field]) => [name, fenToYuanInput(opening[field])])),
      }
    : { ...Object.fromEntries(AMOUNTS.map(([name]) => [name, '0'])) };

  return (
    <Modal
      open
      width={680}
      title={`${t('openings.title', { year })} · ${opening ? t('payInputs.edit') : t('openings.add')}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'opening-submit' }}
      destroyOnHidden
    >
      <Form<OpeningForm> form={form} layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)}>
        <Form.Item name="workerId" label={t('openings.worker')} rules={[{ required: true }]}>
          <WorkerPickSelect orgCode={orgCode} currentLabel={opening?.workerName} disabled={!!opening} data-testid="opening-worker" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="throughMonth" label={t('openings.throughMonth')} rules={[{ required: true }]}>
              <DatePicker
                picker="month"
                style={{ width: '100%' }}
                disabledDate={(d) => d.year() !== year}
                defaultPickerValue={dayjs(`${year}-01-01`)}
                data-testid="opening-through"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="taxMonths" label={t('openings.taxMonths')} rules={[{ required: true }]}>
              <InputNumber min={1} max={12} precision={0} style={{ width: '100%' }} data-testid="opening-months" />
            </Form.Item>
          </Col>
          {AMOUNTS.map(([name, , label, isOptional]) => (
            <Col span={12} key={name}>
              <Form.Item
                name={name}
                label={t('openings.yuan', { label: t(label as MessageKey) })}
                rules={[
                  {
                    validator: async (_rule, value: string | undefined) => {
                      if (isOptional && (value ?? '').trim() === '') return;
                      const r = parseYuanToFen(value ?? '');
                      if (!r.ok) throw new Error(t(`payInputs.amount.${r.problem}` as MessageKey));
                    },
                  },
                ]}
              >
                <Input inputMode="decimal" data-testid={`opening-${name}`} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Form.Item name="note" label={t('payInputs.note')} rules={[{ max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
