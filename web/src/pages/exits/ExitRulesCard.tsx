import {
  App,
  Alert,
  Button,
  Card,
  DatePicker,
  Dropdown,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
  type FormInstance,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { usePermission } from '../../api/auth';
import {
  useExitRules,
  useSaveExitRules,
  type ExitAction,
  type ExitRule,
  type ExitRuleKind,
  type ExitRules,
  type RetirementKind,
} from '../../api/exits';
import { useOrg } from '../../api/orgs';
import { nestedFieldErrors } from '../../components/nestedFieldErrors';
import { ErrorResult } from '../../components/status';
import { useT, type MessageKey } from '../../i18n';
import { DATE_FORMAT, formatDate } from '../../utils/format';

const KINDS: ExitRuleKind[] = ['assessment_result', 'retirement_age', 'contract_expiry', 'sanction'];
const ACTIONS: ExitAction[] = ['terminate', 'not_renew', 'retire', 'expire'];
const RESULTS = ['excellent', 'competent', 'basically_competent', 'incompetent'] as const;
const SANCTIONS = [
  'warning',
  'demerit',
  'major_demerit',
  'demotion',
  'party_probation',
  'party_expulsion',
  'dismissal',
  'criminal_liability',
] as const;
const POST_CATEGORIES = ['principal', 'deputy', 'staff'] as const;

/** A new rule of a kind, with the server's defaults for it (exit-rules.ts). */
function newRule(kind: ExitRuleKind, n: number): ExitRule {
  const key = `${kind}_${n}`;
  switch (kind) {
    case 'assessment_result':
      return {
        key,
        nameZh: '',
        kind,
        enabled: true,
        result: 'incompetent',
        count: 1,
        within: 'latest_year',
        action: 'terminate',
        noticeDays: 30,
      };
    case 'retirement_age':
      return { key, nameZh: '', kind, enabled: true, action: 'retire', withinDays: 90 };
    case 'contract_expiry':
      return { key, nameZh: '', kind, enabled: true, action: 'expire', withinDays: 60 };
    case 'sanction':
      return { key, nameZh: '', kind, enabled: true, sanctionKinds: ['dismissal'], action: 'terminate', noticeDays: 0 };
  }
}

interface FormValues {
  effectiveFrom: Dayjs;
  rules: ExitRules;
}
type FieldName = Parameters<FormInstance<FormValues>['setFields']>[0][number]['name'];

/**
 * 退出规则: the rules in force for the selected region (its own version, an ancestor's, or the defaults),
 * edited with a control per parameter and saved as the region's new version from an effective date.
 */
export function ExitRulesCard({ orgCode }: { orgCode: string }) {
  const t = useT();
  const can = usePermission();
  const { message } = App.useApp();
  const view = useExitRules(orgCode);
  const inheritedFrom = view.data && !view.data.isDefault && view.data.sourceOrgCode !== orgCode ? view.data.sourceOrgCode : null;
  // An ancestor above the caller's scope cannot be read: its code is shown instead.
  const inheritedOrg = useOrg(inheritedFrom);
  const save = useSaveExitRules();
  const [form] = Form.useForm<FormValues>();
  const editable = can('rules:write');

  useEffect(() => {
    if (!view.data) return;
    form.resetFields();
    form.setFieldsValue({
      effectiveFrom: dayjs(),
      rules: { ...view.data.rules, rules: view.data.rules.rules.map((r) => ({ ...r, enabled: r.enabled !== false })) },
    });
  }, [view.data, form]);

  if (view.isError) return <ErrorResult error={view.error} onRetry={() => void view.refetch()} />;
  const v = view.data;
  const source = !v ? null : v.isDefault ? (
    <Tag data-testid="exit-rules-source">{t('exits.rules.source.default')}</Tag>
  ) : v.sourceOrgCode === orgCode ? (
    <Tag color="blue" data-testid="exit-rules-source">
      {t('exits.rules.source.own')}
    </Tag>
  ) : (
    <Tag color="purple" data-testid="exit-rules-source">
      {t('exits.rules.source.inherited', { org: inheritedOrg.data?.name ?? v.sourceOrgCode })}
    </Tag>
  );

  const onFinish = async (values: FormValues) => {
    try {
      const all = form.getFieldsValue(true) as FormValues;
      await save.mutateAsync({
        orgCode,
        effectiveFrom: values.effectiveFrom.format(DATE_FORMAT),
        rules: { ...all.rules, rules: all.rules.rules.map((r) => ({ ...r, enabled: r.enabled !== false })) },
      });
      void message.success(t('exits.rules.saved'));
    } catch (err) {
      const fields = nestedFieldErrors<FieldName>(err, ['rules', 'effectiveFrom']);
      if (fields.length) form.setFields(fields);
      void message.error((err as Error).message);
    }
  };

  const labelOf = (prefix: string, code: string) => t(`${prefix}.${code}` as MessageKey);
  const options = (prefix: string, codes: readonly string[]) => codes.map((c) => ({ value: c, label: labelOf(prefix, c) }));

  return (
    <Card
      title={t('exits.rules.title')}
      loading={view.isLoading}
      extra={
        <Space wrap>
          {source}
          {v?.effectiveFrom && (
            <Typography.Text type="secondary">{t('exits.rules.effectiveFrom', { d: formatDate(v.effectiveFrom) })}</Typography.Text>
          )}
        </Space>
      }
      data-testid="exit-rules"
    >
      {v && !v.isDefault && v.sourceOrgCode !== orgCode && editable && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('exits.rules.inheritedHint')} />
      )}
      <Form<FormValues>
        form={form}
        layout="vertical"
        disabled={!editable}
        onFinish={(x) => void onFinish(x)}
        // A server error on the whole list (empty, too many rules) is stale once the list changes.
        onValuesChange={(changed: Partial<FormValues>) => {
          if (changed.rules?.rules) form.setFields([{ name: ['rules', 'rules'], errors: [] }]);
        }}
      >
        <Form.List name={['rules', 'rules']}>
          {(fields, { add, remove, move }, { errors }) => (
            <Flex vertical gap={12}>
              {fields.map((field, index) => (
                <Card
                  key={field.key}
                  size="small"
                  type="inner"
                  data-testid={`exit-rule-${index}`}
                  title={
                    <Space>
                      <Form.Item name={[field.name, 'enabled']} valuePropName="checked" noStyle>
                        <Switch size="small" data-testid={`exit-rule-${index}-enabled`} />
                      </Form.Item>
                      <Form.Item noStyle shouldUpdate>
                        {() => labelOf('exits.rules.kind', form.getFieldValue(['rules', 'rules', field.name, 'kind']) as string)}
                      </Form.Item>
                    </Space>
                  }
                  extra={
                    editable && (
                      <Space size={4}>
                        <Button size="small" type="text" disabled={index === 0} onClick={() => move(index, index - 1)}>
                          ↑
                        </Button>
                        <Button size="small" type="text" disabled={index === fields.length - 1} onClick={() => move(index, index + 1)}>
                          ↓
                        </Button>
                        <Button
                          size="small"
                          type="link"
                          danger
                          onClick={() => remove(field.name)}
                          data-testid={`exit-rule-${index}-remove`}
                        >
                          {t('exits.rules.remove')}
                        </Button>
                      </Space>
                    )
                  }
                >
                  <Flex wrap gap={12}>
                    <Form.Item
                      name={[field.name, 'nameZh']}
                      label={t('exits.rules.name')}
                      rules={[{ required: true }]}
                      style={{ width: 280 }}
                    >
                      <Input maxLength={50} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'key']} label={t('exits.rules.key')} rules={[{ required: true }]} style={{ width: 200 }}>
                      <Input maxLength={32} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'action']} label={t('exits.action')} style={{ width: 240 }}>
                      <Select options={options('exits.rules.action', ACTIONS)} data-testid={`exit-rule-${index}-action`} />
                    </Form.Item>
                    <Form.Item noStyle shouldUpdate>
                      {() => {
                        const kind = form.getFieldValue(['rules', 'rules', field.name, 'kind']) as ExitRuleKind;
                        return <KindFields kind={kind} name={field.name} index={index} options={options} />;
                      }}
                    </Form.Item>
                  </Flex>
                </Card>
              ))}
              <Form.ErrorList errors={errors} />
              {editable && (
                <Dropdown
                  menu={{
                    items: KINDS.map((k) => ({ key: k, label: labelOf('exits.rules.kind', k) })),
                    onClick: ({ key }) => add(newRule(key as ExitRuleKind, fields.length + 1)),
                  }}
                >
                  <Button data-testid="exit-rules-add" style={{ alignSelf: 'flex-start' }}>
                    {t('exits.rules.add')}
                  </Button>
                </Dropdown>
              )}
            </Flex>
          )}
        </Form.List>
        <Card size="small" type="inner" title={t('exits.rules.femaleRetirement')} style={{ marginTop: 12 }}>
          <Flex wrap gap={12}>
            {POST_CATEGORIES.map((p) => (
              <Form.Item key={p} name={['rules', 'femaleRetirementKind', p]} label={t(`exits.rules.post.${p}`)} style={{ width: 220 }}>
                <Select<RetirementKind> options={options('exits.rules.retirementKind', ['cadre', 'worker'])} />
              </Form.Item>
            ))}
          </Flex>
        </Card>
        {editable && (
          <Flex wrap gap={12} align="end" style={{ marginTop: 12 }}>
            <Form.Item
              name="effectiveFrom"
              label={t('exits.rules.newEffectiveFrom')}
              rules={[{ required: true }]}
              style={{ marginBottom: 0 }}
            >
              <DatePicker format={DATE_FORMAT} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="exit-rules-save">
              {t('exits.rules.save')}
            </Button>
            <Typography.Text type="secondary">{t('exits.rules.saveHint')}</Typography.Text>
          </Flex>
        )}
      </Form>
    </Card>
  );
}

/** The parameters of one kind of rule (see exit-rules.ts `ZExitRule`). */
function KindFields({
  kind,
  name,
  index,
  options,
}: {
  kind: ExitRuleKind;
  name: number;
  index: number;
  options: (prefix: string, codes: readonly string[]) => { value: string; label: string }[];
}) {
  const t = useT();
  const noticeDays = (
    <Form.Item name={[name, 'noticeDays']} label={t('exits.rules.noticeDays')} style={{ width: 140 }}>
      <InputNumber min={0} max={365} style={{ width: '100%' }} data-testid={`exit-rule-${index}-noticeDays`} />
    </Form.Item>
  );
  const withinDays = (
    <Form.Item name={[name, 'withinDays']} label={t('exits.rules.withinDays')} style={{ width: 160 }}>
      <InputNumber min={0} max={3650} style={{ width: '100%' }} data-testid={`exit-rule-${index}-withinDays`} />
    </Form.Item>
  );
  switch (kind) {
    case 'assessment_result':
      return (
        <>
          <Form.Item name={[name, 'result']} label={t('exits.rules.result')} style={{ width: 140 }}>
            <Select options={options('exits.rules.resultOf', RESULTS)} />
          </Form.Item>
          <Form.Item name={[name, 'count']} label={t('exits.rules.count')} style={{ width: 100 }}>
            <InputNumber min={1} max={10} style={{ width: '100%' }} data-testid={`exit-rule-${index}-count`} />
          </Form.Item>
          <Form.Item name={[name, 'within']} label={t('exits.rules.within')} style={{ width: 180 }}>
            <Select options={options('exits.rules.within', ['latest_year', 'contract_term'])} />
          </Form.Item>
          {noticeDays}
        </>
      );
    case 'retirement_age':
    case 'contract_expiry':
      return withinDays;
    case 'sanction':
      return (
        <>
          <Form.Item
            name={[name, 'sanctionKinds']}
            label={t('exits.rules.sanctionKinds')}
            rules={[{ required: true, type: 'array', min: 1 }]}
            style={{ minWidth: 320 }}
          >
            <Select mode="multiple" options={options('exits.rules.sanction', SANCTIONS)} />
          </Form.Item>
          {noticeDays}
        </>
      );
    default:
      return null;
  }
}
