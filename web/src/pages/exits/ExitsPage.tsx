import { App, Button, Card, Checkbox, DatePicker, Drawer, Flex, Form, Input, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useCurrentUser, usePermission } from '../../api/auth';
import {
  useAdvanceExitCase,
  useExitCase,
  useExitCases,
  useExitRun,
  useUpdateHandover,
  useWithdrawExitCase,
  type ExitCase,
} from '../../api/exits';
import { OrgSelect } from '../../components/OrgSelect';
import { PageTitle } from '../../components/PageTitle';
import { ErrorResult } from '../../components/status';
import { useT } from '../../i18n';
import { DATE_FORMAT, formatDate, formatDateTime } from '../../utils/format';
import { ExitRulesCard } from './ExitRulesCard';

const STATE_COLORS: Record<string, string> = {
  proposed: 'warning',
  notified: 'processing',
  handover: 'processing',
  contract_terminated: 'purple',
  exited: 'default',
  withdrawn: 'default',
};

/** 退出机制: the exit rules in force, proposal runs by those rules, and exit cases step by step. */
export default function ExitsPage() {
  const t = useT();
  const me = useCurrentUser();
  const can = usePermission();
  const { message } = App.useApp();
  const [orgCode, setOrgCode] = useState<string>(me.orgCode);
  const [state, setState] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [openId, setOpenId] = useState<number | undefined>();
  const cases = useExitCases({ orgCode, state, page });
  const run = useExitRun();
  return (
    <>
      <PageTitle
        title={t('exits.title')}
        subtitle={t('exits.subtitle')}
        extra={<OrgSelect value={orgCode} onChange={(c) => setOrgCode(c ?? me.orgCode)} allowClear={false} style={{ width: 240 }} />}
      />
      <Flex vertical gap={16}>
        {can('exits:manage') && (
          <Card size="small">
            <Space wrap>
              <Button
                type="primary"
                loading={run.isPending}
                data-testid="exits-run"
                onClick={async () => {
                  try {
                    const r = await run.mutateAsync({ orgCode });
                    void message.success(t('exits.run.done', { n: r.created.length, s: r.skipped.length }));
                  } catch (err) {
                    void message.error((err as Error).message);
                  }
                }}
              >
                {t('exits.run')}
              </Button>
              <Typography.Text type="secondary">{t('exits.run.hint')}</Typography.Text>
            </Space>
          </Card>
        )}
        <Card
          title={t('exits.cases')}
          extra={
            <Select
              allowClear
              placeholder={t('exits.state')}
              value={state}
              onChange={setState}
              style={{ width: 160 }}
              options={['proposed', 'notified', 'handover', 'contract_terminated', 'exited', 'withdrawn'].map((s) => ({
                value: s,
                label: t(`exits.state.${s}` as never),
              }))}
            />
          }
        >
          {cases.isError ? (
            <ErrorResult error={cases.error} onRetry={() => void cases.refetch()} />
          ) : (
            <Table<ExitCase>
              rowKey="id"
              size="small"
              loading={cases.isFetching}
              dataSource={cases.data?.items ?? []}
              scroll={{ x: 900 }}
              pagination={{ current: page, pageSize: 20, total: cases.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
              data-testid="exit-cases"
              columns={[
                { title: '#', dataIndex: 'id', width: 60 },
                { title: t('exits.worker'), dataIndex: 'workerName' },
                { title: t('exits.org'), key: 'o', render: (_, c) => c.orgName ?? c.orgCode },
                { title: t('exits.rule'), dataIndex: 'ruleName' },
                { title: t('exits.action'), dataIndex: 'actionLabel' },
                { title: t('exits.due'), dataIndex: 'dueDate', render: (v: string) => formatDate(v) },
                { title: t('exits.state'), key: 's', render: (_, c) => <Tag color={STATE_COLORS[c.state]}>{c.stateLabel}</Tag> },
                {
                  title: t('common.actions'),
                  key: 'a',
                  render: (_, c) => (
                    <Button size="small" type="link" onClick={() => setOpenId(c.id)} data-testid={`exit-case-${c.id}`}>
                      {t('exits.view')}
                    </Button>
                  ),
                },
              ]}
            />
          )}
        </Card>
        <ExitRulesCard orgCode={orgCode} />
      </Flex>
      <CaseDrawer id={openId} onClose={() => setOpenId(undefined)} />
    </>
  );
}

function CaseDrawer({ id, onClose }: { id: number | undefined; onClose: () => void }) {
  const t = useT();
  const can = usePermission();
  const { message } = App.useApp();
  const kase = useExitCase(id);
  const advance = useAdvanceExitCase();
  const withdraw = useWithdrawExitCase();
  const handover = useUpdateHandover();
  const [form] = Form.useForm<{ date: Dayjs; documents?: string; reason?: string }>();
  const c = kase.data;
  const manage = can('exits:manage');
  const next = c?.nextStates.find((s) => s !== 'withdrawn');
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      form.resetFields(['documents', 'reason']);
    } catch (err) {
      void message.error((err as Error).message);
    }
  };
  return (
    <Drawer open={id !== undefined} onClose={onClose} width={560} title={c ? `${c.workerName} · ${c.stateLabel}` : ''}>
      {kase.isError && <ErrorResult error={kase.error} />}
      {c && (
        <Flex vertical gap={16}>
          <Typography.Paragraph>{c.explanation}</Typography.Paragraph>
          {c.state === 'handover' && (
            <Card size="small" title={t('exits.handover')}>
              <Checkbox.Group
                disabled={!manage}
                value={c.handover.filter((h) => h.done).map((h) => h.key)}
                options={c.handover.map((h) => ({ value: h.key, label: h.nameZh }))}
                onChange={(v) => void act(() => handover.mutateAsync({ id: c.id, done: v as string[] }))}
              />
            </Card>
          )}
          {manage && c.nextStates.length > 0 && (
            <Form form={form} layout="vertical" initialValues={{ date: dayjs() }}>
              <Form.Item name="date" label={t('exits.date')}>
                <DatePicker format={DATE_FORMAT} />
              </Form.Item>
              <Form.Item name="documents" label={t('exits.documents')}>
                <Input placeholder={t('exits.documents.hint')} />
              </Form.Item>
              <Space wrap>
                {next && (
                  <Button
                    type="primary"
                    data-testid="exit-advance"
                    loading={advance.isPending}
                    onClick={() =>
                      void act(() =>
                        advance.mutateAsync({
                          id: c.id,
                          to: next,
                          date: (form.getFieldValue('date') as Dayjs).format(DATE_FORMAT),
                          documents: (form.getFieldValue('documents') as string | undefined) || undefined,
                        }),
                      )
                    }
                  >
                    {t('exits.advance', { s: t(`exits.state.${next}` as never) })}
                  </Button>
                )}
              </Space>
              <Form.Item name="reason" label={t('exits.withdrawReason')} style={{ marginTop: 16 }}>
                <Input />
              </Form.Item>
              <Button
                danger
                onClick={() =>
                  void act(() => withdraw.mutateAsync({ id: c.id, reason: (form.getFieldValue('reason') as string | undefined) ?? '' }))
                }
              >
                {t('exits.withdraw')}
              </Button>
            </Form>
          )}
          {c.documents && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{c.documents}</Typography.Paragraph>}
          <Timeline
            items={(c.events ?? []).map((e) => ({
              children: `${formatDateTime(e.at)} ${t(`exits.state.${e.toState}` as never)}${e.effectiveDate ? `（${e.effectiveDate}）` : ''} ${e.actorName ?? ''} ${e.note ?? ''}`,
            }))}
          />
        </Flex>
      )}
    </Drawer>
  );
}
