import { Button, Card, Flex, Form, Input, InputNumber, Select, Switch, Tag, Typography, type FormInstance } from 'antd';
import type { ReactNode } from 'react';
import { RESULT_LABELS } from '../../api/assessment';
import { useT } from '../../i18n';
import { templatePreset, weightSumBp, type TemplatePresetKey } from './templatePresets';

/**
 * An input for a server value kept in hundredths (basis points of a share, hundredths of a score) shown
 * as a percent or as points: 3000 ↔ 30, 9000 ↔ 90.
 */
function HundredthsInput({
  value,
  onChange,
  max = 100,
  suffix,
  ...rest
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  max?: number;
  suffix: string;
  disabled?: boolean;
  'data-testid'?: string;
}) {
  return (
    <InputNumber
      {...rest}
      min={0}
      max={max}
      step={1}
      precision={2}
      suffix={suffix}
      style={{ width: 130 }}
      value={value === null || value === undefined ? null : value / 100}
      onChange={(v) => onChange?.(v === null ? null : Math.round(Number(v) * 100))}
    />
  );
}

/** The weight total of a list, green at exactly 100%. */
function WeightSum({ form, name, testId }: { form: FormInstance; name: string[]; testId: string }) {
  const t = useT();
  const items = Form.useWatch(name, form) as { weightBp?: number | null }[] | undefined;
  const sum = weightSumBp(items);
  return (
    <Tag color={sum === 10_000 ? 'success' : 'error'} data-testid={testId}>
      {t('assessment.template.weightSum', { p: sum / 100 })}
    </Tag>
  );
}

/**
 * Editor of the cycle template inside the open-cycle form, under the form field `template` (values in
 * the server's units, so the server's field errors such as `template.bands.1.minScore` land on their control).
 */
export function TemplateEditor({ form }: { form: FormInstance }) {
  const t = useT();
  const pct = t('assessment.template.percent');
  const pts = t('assessment.template.points');
  return (
    <Flex vertical gap={12} data-testid="template-editor">
      <Flex wrap gap={12} align="center">
        <Typography.Text>{t('assessment.template.preset')}</Typography.Text>
        <Select<TemplatePresetKey>
          defaultValue="default"
          style={{ width: 280 }}
          data-testid="template-preset"
          onChange={(k) => form.setFieldValue('template', templatePreset(k))}
          options={[
            { value: 'default', label: t('assessment.template.preset.default') },
            { value: 'de_neng_qin_ji_lian', label: t('assessment.template.preset.de_neng_qin_ji_lian') },
          ]}
        />
      </Flex>

      <Card
        size="small"
        type="inner"
        title={t('assessment.template.dimensions')}
        extra={<WeightSum form={form} name={['template', 'dimensions']} testId="template-dimension-sum" />}
      >
        <WeightedList
          name={['template', 'dimensions']}
          testId="template-dimension"
          pct={pct}
          newItem={(n) => ({ key: `dim_${n}`, nameZh: '', weightBp: 0 })}
        />
      </Card>

      <Card
        size="small"
        type="inner"
        title={t('assessment.template.raterGroups')}
        extra={<WeightSum form={form} name={['template', 'raterGroups']} testId="template-group-sum" />}
      >
        <WeightedList
          name={['template', 'raterGroups']}
          testId="template-group"
          pct={pct}
          newItem={(n) => ({ key: `group_${n}`, nameZh: '', weightBp: 0, source: 'sheet', minRaters: 1 })}
          extra={(field) => (
            <>
              <Form.Item name={[field, 'source']} label={t('assessment.template.source')}>
                <Select
                  style={{ width: 130 }}
                  options={[
                    { value: 'sheet', label: t('assessment.template.source.sheet') },
                    { value: 'ballot', label: t('assessment.template.source.ballot') },
                  ]}
                />
              </Form.Item>
              <Form.Item name={[field, 'minRaters']} label={t('assessment.template.minRaters')}>
                <InputNumber min={1} max={1000} style={{ width: 90 }} />
              </Form.Item>
            </>
          )}
        />
      </Card>

      <Card size="small" type="inner" title={t('assessment.template.bands')}>
        <Form.List name={['template', 'bands']}>
          {(fields, _ops, { errors }) => (
            <Flex wrap gap={12}>
              {fields.map((f, i) => (
                <Form.Item
                  key={f.key}
                  name={[f.name, 'minScore']}
                  label={`${RESULT_LABELS[(form.getFieldValue(['template', 'bands', f.name, 'result']) as keyof typeof RESULT_LABELS) ?? 'competent']} ≥`}
                >
                  <HundredthsInput suffix={pts} disabled={i === fields.length - 1} data-testid={`template-band-${i}`} />
                </Form.Item>
              ))}
              <Form.ErrorList errors={errors} />
            </Flex>
          )}
        </Form.List>
      </Card>

      <Card size="small" type="inner" title={t('assessment.template.cap')}>
        <Flex wrap gap={12}>
          <Form.Item name={['template', 'excellentCap', 'shareBp']} label={t('assessment.template.cap.share')}>
            <HundredthsInput suffix={pct} data-testid="template-cap" />
          </Form.Item>
          <Form.Item name={['template', 'excellentCap', 'rounding']} label={t('assessment.template.cap.rounding')}>
            <Select
              style={{ width: 130 }}
              options={(['floor', 'half_up', 'ceil'] as const).map((r) => ({ value: r, label: t(`assessment.template.rounding.${r}`) }))}
            />
          </Form.Item>
          <Form.Item
            name={['template', 'excellentCap', 'atLeastOne']}
            label={t('assessment.template.cap.atLeastOne')}
            valuePropName="checked"
          >
            <Switch />
          </Form.Item>
        </Flex>
      </Card>

      <Card size="small" type="inner" title={t('assessment.template.vetoes')}>
        <Form.List name={['template', 'vetoItems']}>
          {(fields, { add, remove }, { errors }) => (
            <Flex vertical gap={4}>
              {fields.map((f, i) => (
                <Flex key={f.key} wrap gap={12} align="start">
                  <Form.Item name={[f.name, 'nameZh']} label={t('assessment.template.name')} rules={[{ required: true }]}>
                    <Input style={{ width: 260 }} maxLength={50} data-testid={`template-veto-${i}-name`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'key']} label={t('assessment.template.key')} rules={[{ required: true }]}>
                    <Input style={{ width: 180 }} maxLength={32} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'result']} label={t('assessment.result')}>
                    <Select
                      style={{ width: 120 }}
                      options={(['basically_competent', 'incompetent'] as const).map((r) => ({ value: r, label: RESULT_LABELS[r] }))}
                    />
                  </Form.Item>
                  <Button type="link" danger onClick={() => remove(f.name)} style={{ marginTop: 30 }}>
                    {t('assessment.template.remove')}
                  </Button>
                </Flex>
              ))}
              <Form.ErrorList errors={errors} />
              <Button
                style={{ alignSelf: 'flex-start' }}
                onClick={() => add({ key: `veto_${fields.length + 1}`, nameZh: '', result: 'incompetent' })}
              >
                {t('assessment.template.addVeto')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Card>

      <Card size="small" type="inner" title={t('assessment.template.ballots')}>
        <Flex wrap gap={12}>
          <Form.Item name={['template', 'quorum', 'minBallots']} label={t('assessment.template.quorum.minBallots')}>
            <InputNumber min={0} max={100_000} style={{ width: 120 }} data-testid="template-quorum" />
          </Form.Item>
          <Form.Item name={['template', 'quorum', 'minOrdinaryShareBp']} label={t('assessment.template.quorum.ordinaryShare')}>
            <HundredthsInput suffix={pct} />
          </Form.Item>
          <Form.Item
            name={['template', 'openModeBallotsPerIp']}
            label={t('assessment.template.ballotsPerIp')}
            tooltip={t('assessment.template.ballotsPerIp.hint')}
          >
            <InputNumber min={1} max={10_000} style={{ width: 120 }} />
          </Form.Item>
        </Flex>
      </Card>
    </Flex>
  );
}

/** Rows of name, key and weight (dimensions, rater groups), with add and remove. */
function WeightedList({
  name,
  testId,
  pct,
  newItem,
  extra,
}: {
  name: string[];
  testId: string;
  pct: string;
  newItem: (n: number) => Record<string, unknown>;
  extra?: (field: number) => ReactNode;
}) {
  const t = useT();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }, { errors }) => (
        <Flex vertical gap={4}>
          {fields.map((f, i) => (
            <Flex key={f.key} wrap gap={12} align="start">
              <Form.Item name={[f.name, 'nameZh']} label={t('assessment.template.name')} rules={[{ required: true }]}>
                <Input style={{ width: 160 }} maxLength={20} data-testid={`${testId}-${i}-name`} />
              </Form.Item>
              <Form.Item name={[f.name, 'key']} label={t('assessment.template.key')} rules={[{ required: true }]}>
                <Input style={{ width: 140 }} maxLength={32} />
              </Form.Item>
              <Form.Item name={[f.name, 'weightBp']} label={t('assessment.template.weight')}>
                <HundredthsInput suffix={pct} data-testid={`${testId}-${i}-weight`} />
              </Form.Item>
              {extra?.(f.name)}
              <Button type="link" danger onClick={() => remove(f.name)} style={{ marginTop: 30 }} disabled={fields.length <= 1}>
                {t('assessment.template.remove')}
              </Button>
            </Flex>
          ))}
          <Form.ErrorList errors={errors} />
          <Button style={{ alignSelf: 'flex-start' }} onClick={() => add(newItem(fields.length + 1))}>
            {t('assessment.template.add')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}
