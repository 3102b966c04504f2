import { Checkbox, Col, Form, Input, Radio, Row, Table, Typography } from 'antd';
import type { FormInstance, Rule } from 'antd/es/form';
import type { ReactNode } from 'react';
import { RESULT_LABELS, type AssessmentResultCode } from '../../api/assessment';
import { useEnumLabels } from '../../api/meta';
import { useT } from '../../i18n';
import { fenToYuanInput, parseYuanToFen } from '../../utils/money';

/**
 * Structured editors for the two rule kinds a region admin keeps up to date: pay tables (工资表)
 * and 五险一金 rules. Each starts from the latest version's JSON and writes back onto it, so fields
 * the form does not show (rounding modes, say) keep their values. Amounts are typed in yuan and
 * become integer fen from their digits; rates are typed in percent and become basis points.
 */

const RESULTS: AssessmentResultCode[] = ['excellent', 'competent', 'basically_competent', 'incompetent'];
const INSURANCE_KINDS = ['pension', 'medical', 'unemployment', 'injury', 'maternity', 'housing_fund'] as const;

/** "8.5" → 850 (hundredths), "12" → 1200; null when not a number with at most two decimals. */
export function parseHundredths(input: string): number | null {
  const m = /^(\d{1,6})(?:\.(\d{1,2}))?$/.exec(input.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 850 → "8.5", 1200 → "12". */
export function formatHundredths(value: number): string {
  const whole = Math.floor(value / 100);
  const rest = value % 100;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}

/** Per-mille as a decimal factor: 1200 → "1.2"; parsing "1.2" → 1200 (three decimals at most). */
export function formatPermille(value: number): string {
  return (value / 1000).toFixed(3).replace(/\.?0+$/, '');
}
export function parsePermille(input: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,3}))?$/.exec(input.trim());
  if (!m) return null;
  return Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown, fallback = 0): number => (typeof v === 'number' ? v : fallback);

export interface PayTableFields {
  key: string;
  nameZh: string;
  isDemo: boolean;
  mode: 'levelPay' | 'coefficient';
  postPay: Record<string, string>;
  levelPay: Record<string, string>;
  baseYuan: string;
  coefficients: Record<string, Record<string, string>>;
  sharePercent: string;
  basis: 'carveOut' | 'addOn';
  resultFactors: Record<string, string>;
  withoutResultFactor: string;
  qualification: Record<string, string>;
  probationPercent: string;
}

/** The form's fields from a stored pay table. */
export function payTableToFields(rules: unknown): PayTableFields {
  const r = asObj(rules);
  const pay = asObj(r.pay);
  const perf = asObj(r.performance);
  const coefficients: Record<string, Record<string, string>> = {};
  for (const [band, byLevel] of Object.entries(asObj(pay.coefficientPermille))) {
    coefficients[band] = Object.fromEntries(Object.entries(asObj(byLevel)).map(([l, v]) => [l, formatPermille(num(v))]));
  }
  const factors = asObj(perf.coefficientPermille);
  return {
    key: String(r.key ?? ''),
    nameZh: String(r.nameZh ?? ''),
    isDemo: r.isDemo === true,
    mode: pay.mode === 'coefficient' ? 'coefficient' : 'levelPay',
    postPay: Object.fromEntries(Object.entries(asObj(pay.postPayFen)).map(([k, v]) => [k, fenToYuanInput(num(v))])),
    levelPay: Object.fromEntries(Object.entries(asObj(pay.levelPayFen)).map(([k, v]) => [k, fenToYuanInput(num(v))])),
    baseYuan: fenToYuanInput(num(pay.baseFen)),
    coefficients,
    sharePercent: formatHundredths(num(perf.shareBp, 2000)),
    basis: perf.basis === 'addOn' ? 'addOn' : 'carveOut',
    resultFactors: Object.fromEntries(RESULTS.map((k) => [k, formatPermille(num(factors[k], 1000))])),
    withoutResultFactor: formatPermille(num(perf.withoutResultPermille, 1000)),
    qualification: Object.fromEntries(
      ['assistant', 'intermediate', 'senior'].map((q) => [q, fenToYuanInput(num(asObj(r.qualificationAllowanceFen)[q]))]),
    ),
    probationPercent: formatHundredths(num(r.probationPayPermille, 1000) * 10),
  };
}

const fen = (text: string | undefined): number => {
  const r = parseYuanToFen(text ?? '');
  return r.ok ? r.fen : Number.NaN;
};

/** The stored pay table: the previous version with the form's fields written over it. */
export function fieldsToPayTable(previous: unknown, f: PayTableFields): Obj {
  const prev = asObj(previous);
  const pay: Obj =
    f.mode === 'levelPay'
      ? {
          mode: 'levelPay',
          postPayFen: Object.fromEntries(Object.entries(f.postPay).map(([k, v]) => [k, fen(v)])),
          levelPayFen: Object.fromEntries(Object.entries(f.levelPay).map(([k, v]) => [k, fen(v)])),
        }
      : {
          mode: 'coefficient',
          baseFen: fen(f.baseYuan),
          coefficientPermille: Object.fromEntries(
            Object.entries(f.coefficients).map(([band, byLevel]) => [
              band,
              Object.fromEntries(Object.entries(byLevel).map(([l, v]) => [l, parsePermille(v) ?? Number.NaN])),
            ]),
          ),
        };
  const qualification = Object.fromEntries(
    Object.entries(f.qualification)
      .map(([q, v]) => [q, fen(v)] as const)
      .filter(([, v]) => v > 0),
  );
  return {
    ...prev,
    key: f.key,
    nameZh: f.nameZh,
    isDemo: f.isDemo,
    pay,
    performance: {
      ...asObj(prev.performance),
      shareBp: parseHundredths(f.sharePercent) ?? Number.NaN,
      basis: f.basis,
      coefficientPermille: Object.fromEntries(RESULTS.map((k) => [k, parsePermille(f.resultFactors[k] ?? '') ?? Number.NaN])),
      withoutResultPermille: parsePermille(f.withoutResultFactor) ?? Number.NaN,
    },
    qualificationAllowanceFen: qualification,
    probationPayPermille: Math.round((parseHundredths(f.probationPercent) ?? Number.NaN) / 10),
  };
}

export interface InsuranceFields {
  key: string;
  nameZh: string;
  year: string;
  isDemo: boolean;
  source: string;
  averageWageYuan: string;
  floorPercent: string;
  capPercent: string;
  rates: Record<string, { employee: string; employer: string }>;
}

export function insuranceToFields(rules: unknown): InsuranceFields {
  const r = asObj(rules);
  const rates = asObj(r.rates);
  return {
    key: String(r.key ?? ''),
    nameZh: String(r.nameZh ?? ''),
    year: String(r.year ?? new Date().getFullYear()),
    isDemo: r.isDemo === true,
    source: String(r.source ?? ''),
    averageWageYuan: fenToYuanInput(num(r.averageWageMonthlyFen)),
    floorPercent: formatHundredths(num(r.baseFloorBp, 6000)),
    capPercent: formatHundredths(num(r.baseCapBp, 30000)),
    rates: Object.fromEntries(
      INSURANCE_KINDS.map((k) => {
        const rate = asObj(rates[k]);
        return [k, { employee: formatHundredths(num(rate.employeeBp)), employer: formatHundredths(num(rate.employerBp)) }];
      }),
    ),
  };
}

export function fieldsToInsurance(previous: unknown, f: InsuranceFields): Obj {
  return {
    ...asObj(previous),
    key: f.key,
    nameZh: f.nameZh,
    year: Number(f.year),
    isDemo: f.isDemo,
    source: f.source,
    averageWageMonthlyFen: fen(f.averageWageYuan),
    baseFloorBp: parseHundredths(f.floorPercent) ?? Number.NaN,
    baseCapBp: parseHundredths(f.capPercent) ?? Number.NaN,
    rates: Object.fromEntries(
      Object.entries(f.rates).map(([k, v]) => [
        k,
        { employeeBp: parseHundredths(v.employee) ?? Number.NaN, employerBp: parseHundredths(v.employer) ?? Number.NaN },
      ]),
    ),
  };
}

function useRules() {
  const t = useT();
  const yuan: Rule = {
    validator: (_, v: string | undefined) =>
      parseYuanToFen(v ?? '').ok ? Promise.resolve() : Promise.reject(new Error(t('payroll.rules.yuanInvalid'))),
  };
  const percent: Rule = {
    validator: (_, v: string | undefined) =>
      parseHundredths(v ?? '') !== null ? Promise.resolve() : Promise.reject(new Error(t('payroll.rules.percentInvalid'))),
  };
  const factor: Rule = {
    validator: (_, v: string | undefined) =>
      parsePermille(v ?? '') !== null ? Promise.resolve() : Promise.reject(new Error(t('payroll.rules.factorInvalid'))),
  };
  return { yuan, percent, factor };
}

/** Name, key and the demo flag of a rule version; `children` are extra columns between key and flag. */
function RuleIdentityRow({ children }: { children?: ReactNode }) {
  const t = useT();
  return (
    <Row gutter={16}>
      <Col xs={24} md={8}>
        <Form.Item name="nameZh" label={t('payroll.rules.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
      </Col>
      <Col xs={children ? 12 : 24} md={children ? 4 : 8}>
        <Form.Item name="key" label={t('payroll.rules.key')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
      </Col>
      {children}
      <Col xs={24} md={8}>
        <Form.Item name="isDemo" valuePropName="checked" label=" ">
          <Checkbox>{t('payroll.rules.isDemo')}</Checkbox>
        </Form.Item>
      </Col>
    </Row>
  );
}

const byLevel = (a: string, b: string) => Number(a) - Number(b);

/** The pay table form; `form` holds `PayTableFields`. */
export function PayTableForm({ form }: { form: FormInstance<PayTableFields> }) {
  const t = useT();
  const { label } = useEnumLabels();
  const { yuan, percent, factor } = useRules();
  const mode = Form.useWatch('mode', form);
  const postPay = (Form.useWatch('postPay', form) ?? {}) as Record<string, string>;
  const levelPay = (Form.useWatch('levelPay', form) ?? {}) as Record<string, string>;
  const coefficients = (Form.useWatch('coefficients', form) ?? {}) as Record<string, Record<string, string>>;
  const bandLabel = (band: string) => label('postCategories', band) || band;

  return (
    <div data-testid="pay-table-form">
      <RuleIdentityRow />
      <Form.Item name="mode" label={t('payroll.rules.mode')}>
        <Radio.Group>
          <Radio.Button value="levelPay">{t('payroll.rules.modeLevelPay')}</Radio.Button>
          <Radio.Button value="coefficient">{t('payroll.rules.modeCoefficient')}</Radio.Button>
        </Radio.Group>
      </Form.Item>
      {mode === 'coefficient' ? (
        <>
          <Form.Item name="baseYuan" label={t('payroll.rules.baseYuan')} rules={[yuan]}>
            <Input style={{ maxWidth: 200 }} />
          </Form.Item>
          {Object.keys(coefficients).map((band) => (
            <div key={band}>
              <Typography.Text strong>{t('payroll.rules.coefficientsOf', { band: bandLabel(band) })}</Typography.Text>
              <Row gutter={8}>
                {Object.keys(coefficients[band] ?? {})
                  .sort(byLevel)
                  .map((level) => (
                    <Col key={level} xs={8} md={4}>
                      <Form.Item name={['coefficients', band, level]} label={t('payroll.rules.levelN', { level })} rules={[factor]}>
                        <Input />
                      </Form.Item>
                    </Col>
                  ))}
              </Row>
            </div>
          ))}
        </>
      ) : (
        <>
          <Typography.Text strong>{t('payroll.rules.postPay')}</Typography.Text>
          <Row gutter={8}>
            {Object.keys(postPay).map((band) => (
              <Col key={band} xs={12} md={6}>
                <Form.Item name={['postPay', band]} label={bandLabel(band)} rules={[yuan]}>
                  <Input data-testid={`pay-table-post-${band}`} />
                </Form.Item>
              </Col>
            ))}
          </Row>
          <Typography.Text strong>{t('payroll.rules.levelPay')}</Typography.Text>
          <Row gutter={8}>
            {Object.keys(levelPay)
              .sort(byLevel)
              .map((level) => (
                <Col key={level} xs={8} md={4}>
                  <Form.Item name={['levelPay', level]} label={t('payroll.rules.levelN', { level })} rules={[yuan]}>
                    <Input data-testid={`pay-table-level-${level}`} />
                  </Form.Item>
                </Col>
              ))}
          </Row>
        </>
      )}
      <Typography.Text strong>{t('payroll.rules.performance')}</Typography.Text>
      <Row gutter={8}>
        <Col xs={12} md={6}>
          <Form.Item name="sharePercent" label={t('payroll.rules.sharePercent')} rules={[percent]}>
            <Input suffix="%" />
          </Form.Item>
        </Col>
        <Col xs={24} md={18}>
          <Form.Item name="basis" label={t('payroll.rules.basis')}>
            <Radio.Group>
              <Radio value="carveOut">{t('payroll.rules.basisCarveOut')}</Radio>
              <Radio value="addOn">{t('payroll.rules.basisAddOn')}</Radio>
            </Radio.Group>
          </Form.Item>
        </Col>
        {RESULTS.map((k) => (
          <Col key={k} xs={12} md={4}>
            <Form.Item name={['resultFactors', k]} label={RESULT_LABELS[k]} rules={[factor]}>
              <Input prefix="×" />
            </Form.Item>
          </Col>
        ))}
        <Col xs={12} md={4}>
          <Form.Item name="withoutResultFactor" label={t('payroll.rules.withoutResult')} rules={[factor]}>
            <Input prefix="×" />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Text strong>{t('payroll.rules.qualification')}</Typography.Text>
      <Row gutter={8}>
        {['assistant', 'intermediate', 'senior'].map((q) => (
          <Col key={q} xs={12} md={6}>
            <Form.Item name={['qualification', q]} label={label('qualificationLevels', q)} rules={[yuan]}>
              <Input suffix={t('payroll.rules.perMonth')} />
            </Form.Item>
          </Col>
        ))}
        <Col xs={12} md={6}>
          <Form.Item name="probationPercent" label={t('payroll.rules.probationPercent')} rules={[percent]}>
            <Input suffix="%" data-testid="pay-table-probation" />
          </Form.Item>
        </Col>
      </Row>
    </div>
  );
}

/** The 五险一金 form; `form` holds `InsuranceFields`. */
export function InsuranceRuleForm() {
  const t = useT();
  const { label } = useEnumLabels();
  const { yuan, percent } = useRules();
  return (
    <div data-testid="insurance-rule-form">
      <RuleIdentityRow>
        <Col xs={12} md={4}>
          <Form.Item name="year" label={t('payroll.settings.year')} rules={[{ required: true, pattern: /^\d{4}$/ }]}>
            <Input />
          </Form.Item>
        </Col>
      </RuleIdentityRow>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name="averageWageYuan" label={t('payroll.rules.averageWageMonthly')} rules={[yuan]}>
            <Input suffix={t('payroll.rules.perMonth')} />
          </Form.Item>
        </Col>
        <Col xs={12} md={4}>
          <Form.Item name="floorPercent" label={t('payroll.rules.baseFloor')} rules={[percent]}>
            <Input suffix="%" />
          </Form.Item>
        </Col>
        <Col xs={12} md={4}>
          <Form.Item name="capPercent" label={t('payroll.rules.baseCap')} rules={[percent]}>
            <Input suffix="%" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="source" label={t('payroll.rules.source')}>
            <Input />
          </Form.Item>
        </Col>
      </Row>
      <Table
        size="small"
        pagination={false}
        rowKey="kind"
        dataSource={INSURANCE_KINDS.map((kind) => ({ kind }))}
        columns={[
          { title: t('payroll.rules.insuranceKind'), key: 'kind', render: (_, r) => label('insuranceKinds', r.kind) },
          {
            title: t('payroll.rules.employeeRate'),
            key: 'employee',
            render: (_, r) => (
              <Form.Item name={['rates', r.kind, 'employee']} rules={[percent]} style={{ margin: 0 }}>
                <Input suffix="%" data-testid={`insurance-rate-${r.kind}-employee`} />
              </Form.Item>
            ),
          },
          {
            title: t('payroll.rules.employerRate'),
            key: 'employer',
            render: (_, r) => (
              <Form.Item name={['rates', r.kind, 'employer']} rules={[percent]} style={{ margin: 0 }}>
                <Input suffix="%" />
              </Form.Item>
            ),
          },
        ]}
      />
    </div>
  );
}
