import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Table,
  Typography,
  type TableProps,
} from 'antd';
import { useState } from 'react';
import { usePermission } from '../../api/auth';
import { showServerError } from '../../api/client';
import {
  useAssessmentResults,
  usePutAssessmentResults,
  useWorkerGrades,
  type AssessmentResultCode,
  type AssessmentResultRow,
  type WorkerGrade,
} from '../../api/grades';
import { ErrorResult } from '../../components/status';
import { useT } from '../../i18n';
import { formatDate, formatDateTime } from '../../utils/format';
import { ManualGradeModal } from './ManualGradeModal';
import { gradeText, keyLabel, RESULT_CODES, ResultTag } from './shared';

/** 等级 tab of the worker page: current grade, grade history with explanations, annual results (editable by street HR). */
export function WorkerGradesTab({ workerId }: { workerId: string }) {
  const t = useT();
  const can = usePermission();
  const grades = useWorkerGrades(workerId);
  const [isAdjusting, setIsAdjusting] = useState(false);
  if (grades.isError) return <ErrorResult error={grades.error} onRetry={() => void grades.refetch()} />;
  const current = grades.data?.current ?? null;

  const columns: TableProps<WorkerGrade>['columns'] = [
    {
      title: t('grade.grade'),
      key: 'grade',
      width: 140,
      render: (_, g) => <Typography.Text strong={g.isCurrent}>{gradeText(t, g.band, g.bandName, g.level)}</Typography.Text>,
    },
    { title: t('grade.effectiveDate'), dataIndex: 'effectiveDate', key: 'eff', width: 110, render: (v: string) => formatDate(v) },
    { title: t('grade.source'), dataIndex: 'source', key: 'source', width: 120, render: (v: string) => keyLabel(t, 'grade.source', v) },
    {
      title: t('grade.explanation'),
      dataIndex: 'textZh',
      key: 'text',
      render: (v: string) => (
        <Typography.Paragraph style={{ marginBottom: 0 }} ellipsis={{ rows: 2, expandable: true, symbol: '…' }}>
          {v}
        </Typography.Paragraph>
      ),
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="worker-grades">
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2, lg: 4 }}
        items={[
          {
            key: 'grade',
            label: t('grade.current'),
            children: current ? (
              <span data-testid="worker-current-grade">{gradeText(t, current.band, current.bandName, current.level)}</span>
            ) : (
              t('grade.none')
            ),
          },
          { key: 'scheme', label: t('grade.scheme'), children: current?.schemeName ?? '—' },
          { key: 'last', label: t('grade.lastStepDate'), children: formatDate(current?.lastStepDate) },
          { key: 'early', label: t('grade.earlyStepsUsed'), children: current ? current.earlyStepsUsed : '—' },
        ]}
      />
      <Card
        size="small"
        title={t('grade.history')}
        extra={
          can('grades:approve') ? (
            <Button size="small" icon={<EditOutlined />} onClick={() => setIsAdjusting(true)} data-testid="grade-manual-open">
              {t('grade.manual.action')}
            </Button>
          ) : null
        }
      >
        <Table<WorkerGrade>
          rowKey="id"
          size="small"
          loading={grades.isLoading}
          columns={columns}
          dataSource={grades.data?.items ?? []}
          pagination={false}
          scroll={{ x: 700 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('grade.none')} /> }}
        />
      </Card>
      <AssessmentResultsCard workerId={workerId} />
      <ManualGradeModal workerId={workerId} current={current} open={isAdjusting} onClose={() => setIsAdjusting(false)} />
    </Flex>
  );
}

interface ResultForm {
  year: number;
  result: AssessmentResultCode;
  note?: string;
}

function AssessmentResultsCard({ workerId }: { workerId: string }) {
  const t = useT();
  const { message } = App.useApp();
  const can = usePermission();
  const canWrite = can('grades:write');
  const results = useAssessmentResults(workerId);
  const save = usePutAssessmentResults(workerId);
  const [form] = Form.useForm<ResultForm>();
  const [isAdding, setIsAdding] = useState(false);
  const thisYear = new Date().getFullYear();

  const submit = async (values: ResultForm) => {
    try {
      await save.mutateAsync([{ year: values.year, result: values.result, note: values.note || null }]);
      void message.success(t('grade.resultSaved'));
      setIsAdding(false);
      form.resetFields();
    } catch (err) {
      showServerError(form, err as Error, ['year', 'result', 'note'] as const, (m) => void message.error(m));
    }
  };
  const remove = async (year: number) => {
    try {
      await save.mutateAsync([{ year, result: null }]);
    } catch (err) {
      void message.error((err as Error).message);
    }
  };

  const columns: TableProps<AssessmentResultRow>['columns'] = [
    { title: t('grade.year'), dataIndex: 'year', key: 'year', width: 90 },
    { title: t('grade.result'), dataIndex: 'result', key: 'result', width: 120, render: (v: string) => <ResultTag result={v} /> },
    {
      title: t('grade.resultSource'),
      dataIndex: 'source',
      key: 'source',
      width: 160,
      render: (v: string) => keyLabel(t, 'grade.resultSource', v),
    },
    { title: t('grade.note'), dataIndex: 'note', key: 'note', render: (v: string | null) => v ?? '' },
    { title: t('grade.updatedAt'), dataIndex: 'updatedAt', key: 'at', width: 170, render: (v: string) => formatDateTime(v) },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, r: AssessmentResultRow) =>
              r.isFinal ? null : (
                <Popconfirm title={t('grade.removeConfirm')} onConfirm={() => remove(r.year)}>
                  <Button size="small" type="link" danger icon={<DeleteOutlined />}>
                    {t('grade.removeResult')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]
      : []),
  ];

  return (
    <Card
      size="small"
      title={t('grade.results')}
      extra={
        canWrite && !isAdding ? (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setIsAdding(true)} data-testid="grade-add-result">
            {t('grade.addResult')}
          </Button>
        ) : null
      }
    >
      {isAdding && (
        <Form<ResultForm>
          form={form}
          layout="inline"
          initialValues={{ year: thisYear - 1 }}
          onFinish={submit}
          style={{ marginBottom: 12, rowGap: 8 }}
          data-testid="grade-result-form"
        >
          <Form.Item name="year" label={t('grade.year')} rules={[{ required: true }]}>
            <InputNumber min={1980} max={thisYear} style={{ width: 100 }} />
          </Form.Item>
          <Form.Item name="result" label={t('grade.result')} rules={[{ required: true }]}>
            <Select
              style={{ width: 140 }}
              options={RESULT_CODES.map((c) => ({ value: c, label: keyLabel(t, 'grade.result', c) }))}
              data-testid="grade-result-select"
            />
          </Form.Item>
          <Form.Item name="note" label={t('grade.note')}>
            <Input maxLength={200} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item>
            <Flex gap={8}>
              <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="grade-result-save">
                {t('common.save')}
              </Button>
              <Button onClick={() => setIsAdding(false)}>{t('common.cancel')}</Button>
            </Flex>
          </Form.Item>
        </Form>
      )}
      {results.isError ? (
        <ErrorResult error={results.error} onRetry={() => void results.refetch()} />
      ) : (
        <Table<AssessmentResultRow>
          rowKey="id"
          size="small"
          loading={results.isLoading}
          columns={columns}
          dataSource={results.data?.items ?? []}
          pagination={false}
          scroll={{ x: 600 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('grade.noResults')} /> }}
        />
      )}
    </Card>
  );
}
