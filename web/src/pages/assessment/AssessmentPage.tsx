import {
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  type FormInstance,
  type TableProps,
} from 'antd';
import dayjs from 'dayjs';
import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  formatScore,
  RESULT_LABELS,
  useCycles,
  useFileAppeal,
  useMyResults,
  useOpenCycle,
  type Cycle,
  type CyclePeriod,
  type MyResult,
} from '../../api/assessment';
import { useCurrentUser, usePermission } from '../../api/auth';
import { showServerError } from '../../api/client';
import { nestedFieldErrors } from '../../components/nestedFieldErrors';
import { OrgSelect } from '../../components/OrgSelect';
import { PageTitle } from '../../components/PageTitle';
import { ErrorResult } from '../../components/status';
import { useT } from '../../i18n';
import { zhCN, type MessageKey } from '../../i18n/zh-CN';
import { formatDateTime } from '../../utils/format';
import { TemplateEditor } from './TemplateEditor';
import { templatePreset, type AssessmentTemplate } from './templatePresets';

const STATUS_COLORS: Record<string, string> = { open: 'processing', computed: 'warning', publicity: 'purple', final: 'success' };

/** 考核评议: the cycles in scope, opening a new one (region), and a worker's own results. */
export default function AssessmentPage() {
  const t = useT();
  const me = useCurrentUser();
  const can = usePermission();
  const [page, setPage] = useState(1);
  const cycles = useCycles(page);
  const columns: TableProps<Cycle>['columns'] = [
    { title: t('assessment.cycle.name'), key: 'name', render: (_, c) => <Link to={`/assessment/${c.id}`}>{c.name}</Link> },
    { title: t('assessment.cycle.org'), key: 'org', render: (_, c) => c.orgName ?? c.orgCode },
    { title: t('assessment.cycle.period'), dataIndex: 'periodLabel', key: 'period' },
    {
      title: t('assessment.cycle.status'),
      key: 'status',
      render: (_, c) => <Tag color={STATUS_COLORS[c.status]}>{c.statusLabel}</Tag>,
    },
    { title: t('assessment.cycle.participants'), dataIndex: 'participantCount', key: 'n' },
    { title: t('common.createdAt'), dataIndex: 'createdAt', key: 'at', render: (v: string) => formatDateTime(v) },
  ];
  return (
    <>
      <PageTitle title={t('assessment.title')} subtitle={t('assessment.subtitle')} />
      <Flex vertical gap={16}>
        {me.role === 'worker' && <MyResultsCard />}
        {can('assessment:manage') && <OpenCycleCard />}
        <Card title={t('assessment.cycles')}>
          {cycles.isError ? (
            <ErrorResult error={cycles.error} onRetry={() => void cycles.refetch()} />
          ) : (
            <Table<Cycle>
              rowKey="id"
              size="small"
              loading={cycles.isFetching}
              columns={columns}
              dataSource={cycles.data?.items ?? []}
              scroll={{ x: 700 }}
              pagination={{ current: page, pageSize: 20, total: cycles.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
              data-testid="assessment-cycles-table"
            />
          )}
        </Card>
      </Flex>
    </>
  );
}

interface OpenCycleValues {
  orgCode: string;
  name: string;
  year: number;
  period: CyclePeriod;
  part: number | null;
  publicityDays: number;
  template: AssessmentTemplate;
}
type OpenCycleField = Parameters<FormInstance<OpenCycleValues>['setFields']>[0][number]['name'];

/** The suggested cycle name: 2026年度社区工作者考核, 2026年下半年社区工作者考核, 2026年第三季度社区工作者考核. */
function defaultCycleName(year: number, period: CyclePeriod, part: number | null): string {
  // The name is data, in Chinese whatever the UI language: the part's label comes from the zh-CN dictionary.
  const when = period !== 'annual' && part ? `${year}年${zhCN[`assessment.part.${period}.${part}` as MessageKey]}` : `${year}年度`;
  return `${when}社区工作者考核`;
}

function OpenCycleCard() {
  const t = useT();
  const me = useCurrentUser();
  const { message } = App.useApp();
  const open = useOpenCycle();
  const [customise, setCustomise] = useState(false);
  const [form] = Form.useForm<OpenCycleValues>();
  // The name follows the year and period while it is the suggested one; once edited, it is the user's.
  const suggestedName = useRef(defaultCycleName(dayjs().year(), 'annual', null));
  return (
    <Card
      title={t('assessment.open')}
      extra={
        <Space>
          <Typography.Text>{t('assessment.template.customise')}</Typography.Text>
          <Switch checked={customise} onChange={setCustomise} data-testid="assessment-open-customise" />
        </Space>
      }
    >
      <Form<OpenCycleValues>
        form={form}
        layout="vertical"
        initialValues={{
          orgCode: me.orgCode,
          year: dayjs().year(),
          period: 'annual',
          part: null,
          name: defaultCycleName(dayjs().year(), 'annual', null),
          publicityDays: 5,
          template: templatePreset('default'),
        }}
        onFinish={async () => {
          // All values, the template's unedited settings (ballot points, tie rule…) included.
          const v = form.getFieldsValue(true) as OpenCycleValues;
          try {
            const c = await open.mutateAsync(customise ? v : { ...v, template: undefined });
            void message.success(t('assessment.opened', { n: c.participantCount }));
          } catch (err) {
            const nested = nestedFieldErrors<OpenCycleField>(err, ['template']);
            if (nested.length) {
              setCustomise(true);
              form.setFields(nested);
            }
            showServerError(
              form,
              err as Error,
              ['orgCode', 'name', 'year', 'period', 'part', 'publicityDays'] as const,
              (m) => void message.error(m),
            );
          }
        }}
        // A server error on a list (weights not summing to 100%) is stale once that list changes.
        onValuesChange={(changed: Partial<OpenCycleValues>) => {
          // A half year or quarter is chosen afresh when the period changes.
          if (changed.period !== undefined) form.setFieldValue('part', changed.period === 'annual' ? null : 1);
          if (changed.year !== undefined || changed.period !== undefined || changed.part !== undefined) {
            const v = form.getFieldsValue(['year', 'period', 'part', 'name']) as OpenCycleValues;
            const next = defaultCycleName(v.year, v.period, v.part);
            if (v.name === suggestedName.current) form.setFieldValue('name', next);
            suggestedName.current = next;
          }
          if (!changed.template) return;
          form.setFields(Object.keys(changed.template).map((k) => ({ name: ['template', k] as OpenCycleField, errors: [] })));
        }}
        data-testid="assessment-open-form"
      >
        <Flex wrap gap={12}>
          <Form.Item name="orgCode" label={t('assessment.cycle.org')} rules={[{ required: true }]}>
            <OrgSelect allowClear={false} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="name" label={t('assessment.cycle.name')} rules={[{ required: true }]}>
            <Input style={{ width: 240 }} data-testid="assessment-open-name" />
          </Form.Item>
          <Form.Item name="year" label={t('assessment.cycle.year')} rules={[{ required: true }]}>
            <InputNumber min={2000} max={2100} style={{ width: 100 }} />
          </Form.Item>
          <Form.Item name="period" label={t('assessment.cycle.period')}>
            <Select
              style={{ width: 110 }}
              options={(['annual', 'half_year', 'quarter'] as const).map((p) => ({ value: p, label: t(`assessment.period.${p}`) }))}
              data-testid="assessment-open-period"
            />
          </Form.Item>
          <Form.Item noStyle dependencies={['period']}>
            {() => {
              const period = form.getFieldValue('period') as CyclePeriod;
              if (period === 'annual') return null;
              const parts = period === 'half_year' ? [1, 2] : [1, 2, 3, 4];
              return (
                <Form.Item name="part" label={t('assessment.cycle.part')} rules={[{ required: true }]}>
                  <Select
                    style={{ width: 120 }}
                    options={parts.map((n) => ({ value: n, label: t(`assessment.part.${period}.${n}` as MessageKey) }))}
                    data-testid="assessment-open-part"
                  />
                </Form.Item>
              );
            }}
          </Form.Item>
          <Form.Item name="publicityDays" label={t('assessment.publicityDays')}>
            <InputNumber min={0} max={30} style={{ width: 80 }} />
          </Form.Item>
        </Flex>
        {customise && (
          <div style={{ marginBottom: 16 }}>
            <TemplateEditor form={form} />
          </div>
        )}
        <Form.Item style={{ marginBottom: 0 }}>
          <Button type="primary" htmlType="submit" loading={open.isPending} data-testid="assessment-open-submit">
            {customise ? t('assessment.open.submitCustom') : t('assessment.open.submit')}
          </Button>
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {t('assessment.open.hint')}
      </Typography.Paragraph>
    </Card>
  );
}

function MyResultsCard() {
  const t = useT();
  const { message } = App.useApp();
  const mine = useMyResults(true);
  const appeal = useFileAppeal();
  const [texts, setTexts] = useState<Record<number, string>>({});
  const render = (r: MyResult) => {
    const pending = r.appeals.some((a) => a.status === 'pending');
    return (
      <Card
        key={r.cycleId}
        type="inner"
        title={`${r.cycleName}（${r.status === 'final' ? t('assessment.final') : t('assessment.publicity')}）`}
      >
        <Typography.Paragraph>
          {t('assessment.result')}：<Tag color="blue">{r.result.finalResult ? RESULT_LABELS[r.result.finalResult] : '—'}</Tag>
          {t('assessment.total')}：{formatScore(r.result.total)}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary">{r.result.explanation}</Typography.Paragraph>
        {r.appeals.map((a) => (
          <Typography.Paragraph key={a.id} data-testid={`my-appeal-${a.id}`}>
            {t('assessment.appeal')}：{a.text} —{' '}
            <Tag color={a.status === 'pending' ? 'warning' : a.status === 'upheld' ? 'success' : 'default'}>
              {t(`assessment.appeal.status.${a.status}`)}
              {a.adjustedResult ? ` → ${RESULT_LABELS[a.adjustedResult]}` : ''}
            </Tag>
            {a.response}
          </Typography.Paragraph>
        ))}
        {r.status === 'publicity' && !pending && (
          <Flex gap={8}>
            <Input
              maxLength={1000}
              data-testid={`my-appeal-text-${r.cycleId}`}
              placeholder={t('assessment.appeal.placeholder')}
              value={texts[r.cycleId] ?? ''}
              onChange={(e) => setTexts((x) => ({ ...x, [r.cycleId]: e.target.value }))}
            />
            <Button
              data-testid={`my-appeal-submit-${r.cycleId}`}
              disabled={!texts[r.cycleId]?.trim()}
              loading={appeal.isPending}
              onClick={async () => {
                try {
                  await appeal.mutateAsync({ cycleId: r.cycleId, text: texts[r.cycleId]! });
                  void message.success(t('assessment.appeal.filed'));
                } catch (err) {
                  void message.error((err as Error).message);
                }
              }}
            >
              {t('assessment.appeal.submit')}
            </Button>
          </Flex>
        )}
      </Card>
    );
  };
  return (
    <Card title={t('assessment.mine')} loading={mine.isLoading}>
      {mine.data?.length ? (
        <Flex vertical gap={12}>
          {mine.data.map(render)}
        </Flex>
      ) : (
        <Typography.Text type="secondary">{t('assessment.mine.none')}</Typography.Text>
      )}
    </Card>
  );
}
