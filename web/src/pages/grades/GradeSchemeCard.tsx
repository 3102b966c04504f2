import { App, Alert, Button, Card, DatePicker, Descriptions, Flex, Form, Input, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { usePermission } from '../../api/auth';
import { ApiError } from '../../api/client';
import { useEnumLabels } from '../../api/meta';
import { useGradeScheme, useSaveGradeScheme, type GradeBand, type GradeSchemeRules } from '../../api/grades';
import { ErrorResult } from '../../components/status';
import type { EnumKind } from '../../api/types';
import { useT, type MessageKey, type TFunction } from '../../i18n';
import { DATE_FORMAT, formatDate } from '../../utils/format';

/** Detailed GB/T 4658 codes a scheme may credit that the registry's top-level list does not name. */
const EDUCATION_DETAIL: Record<string, MessageKey> = { '11': 'grade.scheme.edu.doctor', '14': 'grade.scheme.edu.master' };

interface SchemeForm {
  effectiveFrom: Dayjs;
  json: string;
}

/** The grade scheme in force for an org: bands, step years and credits; holders of rules:write save a new version. */
export function GradeSchemeCard({ orgCode }: { orgCode: string | undefined }) {
  const t = useT();
  const { label } = useEnumLabels();
  const can = usePermission();
  const scheme = useGradeScheme(orgCode);
  const [isEditing, setIsEditing] = useState(false);

  if (scheme.isError) return <ErrorResult error={scheme.error} onRetry={() => void scheme.refetch()} />;
  const effective = scheme.data?.effective ?? null;
  const rules = effective?.rules;
  const isOwn = effective?.regionCode === orgCode;

  return (
    <Card
      title={t('grade.schemeCard')}
      loading={scheme.isLoading}
      extra={
        can('rules:write') && orgCode && !isEditing ? (
          <Button size="small" onClick={() => setIsEditing(true)} data-testid="grade-scheme-edit">
            {t('grade.scheme.newVersion')}
          </Button>
        ) : null
      }
      data-testid="grade-scheme-card"
    >
      {rules && effective && (
        <Flex vertical gap={12}>
          <Flex gap={8} wrap align="center">
            <Typography.Text strong>{rules.nameZh}</Typography.Text>
            {rules.isIllustrative && <Tag color="orange">{t('grade.scheme.illustrative')}</Tag>}
            <Typography.Text type="secondary">
              {isOwn
                ? `${formatDate(effective.effectiveFrom)}`
                : t('grade.scheme.inherited', {
                    region: effective.regionName ?? effective.regionCode,
                    date: formatDate(effective.effectiveFrom),
                  })}
            </Typography.Text>
          </Flex>
          <Table<GradeBand>
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={rules.bands}
            columns={[
              { title: t('grade.scheme.band'), dataIndex: 'nameZh', key: 'name' },
              { title: t('grade.scheme.levels'), key: 'levels', render: (_, b) => `${b.minLevel}–${b.maxLevel}` },
              {
                title: t('grade.scheme.posts'),
                key: 'posts',
                render: (_, b) =>
                  [
                    ...(b.posts ?? []).map((p) => label('posts', p)),
                    ...(b.postCategories ?? []).map((c) => label('postCategories', c)),
                  ].join('、'),
              },
            ]}
          />
          <Descriptions size="small" column={1} items={schemeFacts(t, rules, label)} />
        </Flex>
      )}
      {isEditing && orgCode && <SchemeEditor orgCode={orgCode} initial={rules} onDone={() => setIsEditing(false)} />}
    </Card>
  );
}

function schemeFacts(t: TFunction, rules: GradeSchemeRules, label: (kind: EnumKind, code: string) => string) {
  const bonus = rules.qualificationBonus;
  const bonusText =
    bonus.mode === 'levels'
      ? Object.entries(bonus.levels)
          .map(([q, n]) => `${label('qualificationLevels', q)} +${n}`)
          .join('，')
      : Object.entries(bonus.monthlyFen)
          .map(([q, fen]) => `${label('qualificationLevels', q)} ${(fen / 100).toFixed(0)}元/月`)
          .join('，');
  return [
    { key: 'step', label: t('grade.run.kind.promotion'), children: t('grade.scheme.stepYears', { n: rules.stepYears }) },
    {
      key: 'edu',
      label: t('grade.scheme.education'),
      children: Object.entries(rules.educationCreditYears)
        .map(([code, years]) => {
          const detail = EDUCATION_DETAIL[code];
          return `${detail ? t(detail) : label('educations', code)} ${t('grade.scheme.years', { n: years })}`;
        })
        .join('，'),
    },
    { key: 'q', label: t('grade.scheme.qualification'), children: bonusText },
    ...(rules.earlyStep
      ? [
          {
            key: 'early',
            label: t('grade.change.early_step'),
            children: t('grade.scheme.earlyStep', { years: rules.earlyStep.consecutiveExcellentYears, max: rules.earlyStep.maxEarlySteps }),
          },
        ]
      : []),
  ];
}

interface Issue {
  field: string;
  message: string;
}

function SchemeEditor({ orgCode, initial, onDone }: { orgCode: string; initial: GradeSchemeRules | undefined; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const save = useSaveGradeScheme(orgCode);
  const [form] = Form.useForm<SchemeForm>();
  const [issues, setIssues] = useState<Issue[]>([]);

  const submit = async (values: SchemeForm) => {
    let rules: unknown;
    try {
      rules = JSON.parse(values.json);
    } catch {
      form.setFields([{ name: 'json', errors: [t('grade.scheme.jsonInvalid')] }]);
      return;
    }
    setIssues([]);
    try {
      await save.mutateAsync({ effectiveFrom: values.effectiveFrom.format(DATE_FORMAT), rules });
      void message.success(t('grade.scheme.saved'));
      onDone();
    } catch (err) {
      const details = err instanceof ApiError ? (err.details as { issues?: Issue[] } | undefined) : undefined;
      if (details?.issues?.length) setIssues(details.issues);
      else void message.error((err as Error).message);
    }
  };

  return (
    <Form<SchemeForm>
      form={form}
      layout="vertical"
      style={{ marginTop: 16 }}
      initialValues={{ effectiveFrom: dayjs().add(1, 'year').startOf('year'), json: JSON.stringify(initial ?? {}, null, 2) }}
      onFinish={submit}
      data-testid="grade-scheme-form"
    >
      <Form.Item name="effectiveFrom" label={t('grade.scheme.effectiveFrom')} rules={[{ required: true }]}>
        <DatePicker format={DATE_FORMAT} />
      </Form.Item>
      <Form.Item name="json" label={t('grade.scheme.json')} rules={[{ required: true }]}>
        <Input.TextArea autoSize={{ minRows: 8, maxRows: 24 }} className="sg-mono" spellCheck={false} />
      </Form.Item>
      {issues.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {issues.map((i) => (
                <li key={`${i.field}:${i.message}`}>
                  <Typography.Text code>{i.field}</Typography.Text> {i.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Flex gap={8}>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Flex>
    </Form>
  );
}
