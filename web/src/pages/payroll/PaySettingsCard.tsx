import { App, Alert, Button, Card, DatePicker, Form, Input, Radio, Table, Tag, Typography } from 'antd';
import type { FormInstance } from 'antd/es/form';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { usePermission } from '../../api/auth';
import { ApiError } from '../../api/client';
import { formatFen, usePaySettings, useSavePayRule, type RuleVersion } from '../../api/payroll';
import { ErrorResult } from '../../components/status';
import { useT } from '../../i18n';
import { DATE_FORMAT } from '../../utils/format';
import {
  fieldsToInsurance,
  fieldsToPayTable,
  insuranceToFields,
  InsuranceRuleForm,
  payTableToFields,
  PayTableForm,
  type InsuranceFields,
  type PayTableFields,
} from './PayRuleForms';

type RuleKind = 'pay-tables' | 'insurance-rules';

interface VersionForm extends PayTableFields, Omit<InsuranceFields, 'key' | 'nameZh' | 'isDemo'> {
  kind: RuleKind;
  effectiveFrom: Dayjs;
  json: string;
}

type Editor = 'form' | 'json';

/**
 * Pay settings of a region: pay tables, 五险一金 rules and wage floors in force (own and inherited);
 * region admins save new versions in a form (or as JSON, for fields the form does not show).
 */
export function PaySettingsCard({ regionCode }: { regionCode: string }) {
  const t = useT();
  const can = usePermission();
  const { message } = App.useApp();
  const settings = usePaySettings(regionCode);
  const save = useSavePayRule();
  const [isEditing, setIsEditing] = useState(false);
  const [editor, setEditor] = useState<Editor>('form');
  const [issues, setIssues] = useState<string[]>([]);
  const [form] = Form.useForm<VersionForm>();
  const kind = Form.useWatch('kind', form);

  if (settings.isError) return <ErrorResult error={settings.error} onRetry={() => void settings.refetch()} />;
  const data = settings.data;
  const latestOf = (kind: RuleKind) => (kind === 'pay-tables' ? data?.payTables[0] : data?.insuranceRules[0])?.rules ?? {};
  const fieldsOf = (kind: RuleKind, rules: unknown) => (kind === 'pay-tables' ? payTableToFields(rules) : insuranceToFields(rules));
  const rulesOf = (kind: RuleKind, values: VersionForm) =>
    kind === 'pay-tables' ? fieldsToPayTable(latestOf(kind), values) : fieldsToInsurance(latestOf(kind), values);

  const startEditing = (kind: RuleKind) => {
    const latest = latestOf(kind);
    form.resetFields();
    form.setFieldsValue({
      kind,
      effectiveFrom: dayjs().add(1, 'month').startOf('month'),
      json: JSON.stringify(latest, null, 2),
      ...fieldsOf(kind, latest),
    });
    setIssues([]);
    setIsEditing(true);
  };

  /** Carries the values across when the user switches between the form and JSON. */
  const switchEditor = (next: Editor) => {
    const values = form.getFieldsValue(true) as VersionForm;
    if (next === 'json') form.setFieldsValue({ json: JSON.stringify(rulesOf(values.kind, values), null, 2) });
    else {
      try {
        form.setFieldsValue(fieldsOf(values.kind, JSON.parse(values.json)));
      } catch {
        setIssues([t('payroll.settings.jsonInvalid')]);
        return;
      }
    }
    setIssues([]);
    setEditor(next);
  };

  const submit = async () => {
    const values = form.getFieldsValue(true) as VersionForm;
    let rules: unknown;
    if (editor === 'json') {
      try {
        rules = JSON.parse(values.json);
      } catch {
        setIssues([t('payroll.settings.jsonInvalid')]);
        return;
      }
    } else rules = rulesOf(values.kind, values);
    try {
      await save.mutateAsync({ kind: values.kind, regionCode, effectiveFrom: values.effectiveFrom.format(DATE_FORMAT), rules });
      void message.success(t('payroll.settings.saved'));
      setIsEditing(false);
    } catch (err) {
      const details = err instanceof ApiError ? (err.details as { issues?: { message: string }[] } | undefined) : undefined;
      setIssues(details?.issues?.map((i) => i.message) ?? [(err as Error).message]);
    }
  };

  const versionColumns = [
    { title: t('payroll.settings.region'), dataIndex: 'regionCode', key: 'region' },
    { title: t('payroll.settings.key'), dataIndex: 'key', key: 'key' },
    { title: t('payroll.settings.effectiveFrom'), dataIndex: 'effectiveFrom', key: 'from' },
    {
      title: '',
      key: 'demo',
      render: (_: unknown, v: RuleVersion) => (v.isDemo ? <Tag color="orange">{t('payroll.settings.demo')}</Tag> : null),
    },
  ];

  return (
    <Card
      title={t('payroll.settings.title')}
      loading={settings.isLoading}
      extra={
        can('rules:write') && !isEditing ? (
          <Button size="small" onClick={() => startEditing('pay-tables')} data-testid="pay-settings-edit">
            {t('payroll.settings.newVersion')}
          </Button>
        ) : null
      }
      data-testid="pay-settings-card"
    >
      {isEditing ? (
        <Form form={form} layout="vertical" onFinish={() => void submit()}>
          <Form.Item name="kind" label={t('payroll.settings.kind')}>
            <Radio.Group onChange={(e) => startEditing(e.target.value as RuleKind)}>
              <Radio.Button value="pay-tables">{t('payroll.settings.payTables')}</Radio.Button>
              <Radio.Button value="insurance-rules">{t('payroll.settings.insuranceRules')}</Radio.Button>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="effectiveFrom" label={t('payroll.settings.effectiveFrom')} rules={[{ required: true }]}>
            <DatePicker allowClear={false} />
          </Form.Item>
          <Radio.Group
            value={editor}
            onChange={(e) => switchEditor(e.target.value as Editor)}
            size="small"
            style={{ marginBottom: 16 }}
            data-testid="pay-settings-editor"
          >
            <Radio.Button value="form">{t('payroll.rules.editorForm')}</Radio.Button>
            <Radio.Button value="json">JSON</Radio.Button>
          </Radio.Group>
          {editor === 'json' ? (
            <Form.Item name="json" label="JSON" rules={[{ required: true }]}>
              <Input.TextArea autoSize={{ minRows: 10, maxRows: 30 }} style={{ fontFamily: 'monospace' }} data-testid="pay-settings-json" />
            </Form.Item>
          ) : kind === 'insurance-rules' ? (
            <InsuranceRuleForm />
          ) : (
            <PayTableForm form={form as unknown as FormInstance<PayTableFields>} />
          )}
          {issues.length > 0 && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('payroll.settings.invalid')}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="pay-settings-issues">
                  {issues.map((i) => (
                    <li key={i}>{i}</li>
                  ))}
                </ul>
              }
            />
          )}
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="pay-settings-save">
            {t('common.save')}
          </Button>{' '}
          <Button onClick={() => setIsEditing(false)}>{t('common.cancel')}</Button>
        </Form>
      ) : data ? (
        <>
          <Typography.Title level={5}>{t('payroll.settings.payTables')}</Typography.Title>
          <Table<RuleVersion> rowKey="id" size="small" pagination={false} columns={versionColumns} dataSource={data.payTables} />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('payroll.settings.insuranceRules')}
          </Typography.Title>
          <Table<RuleVersion> rowKey="id" size="small" pagination={false} columns={versionColumns} dataSource={data.insuranceRules} />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('payroll.settings.wageFloors')}
          </Typography.Title>
          <Table
            rowKey={(f) => `${f.regionCode}-${f.year}`}
            size="small"
            pagination={false}
            dataSource={data.wageFloors}
            columns={[
              { title: t('payroll.settings.region'), dataIndex: 'regionCode', key: 'region' },
              { title: t('payroll.settings.year'), dataIndex: 'year', key: 'year' },
              { title: t('payroll.settings.averageWage'), key: 'wage', render: (_, f) => formatFen(f.averageAnnualWageFen) },
              { title: '', key: 'demo', render: (_, f) => (f.isDemo ? <Tag color="orange">{t('payroll.settings.demo')}</Tag> : null) },
            ]}
          />
        </>
      ) : null}
    </Card>
  );
}
