import {
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  type ButtonProps,
} from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import {
  formatScore,
  RESULT_LABELS,
  useAppeals,
  useApprove,
  useCloseBallot,
  useCommunities,
  useCompute,
  useCycle,
  useFinalise,
  useIssueCodes,
  useOpenBallot,
  useParticipants,
  useResolveAppeal,
  useResults,
  useSaveSheet,
  useSheet,
  useTally,
  useUpdateParticipant,
  type Appeal,
  type AssessmentResultCode,
  type BallotMode,
  type CommunityBallot,
  type Cycle,
} from '../../api/assessment';
import { useCurrentUser, usePermission } from '../../api/auth';
import { showServerError } from '../../api/client';
import { PageTitle } from '../../components/PageTitle';
import { HonoursTab } from './HonoursTab';
import { ErrorResult, PageSpin } from '../../components/status';
import { useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';

/** One cycle: residents' ballots, scoring sheets, vetoes, results with approval, appeals. */
export default function CycleDetailPage() {
  const t = useT();
  const id = Number(useParams().id);
  const cycle = useCycle(id);
  const me = useCurrentUser();
  const can = usePermission();
  if (cycle.isLoading) return <PageSpin />;
  if (cycle.isError || !cycle.data) return <ErrorResult error={cycle.error} onRetry={() => void cycle.refetch()} />;
  const c = cycle.data;
  const sheetGroups = c.template.raterGroups.filter((g) => g.source === 'sheet');
  const items = [
    { key: 'ballots', label: t('assessment.tab.ballots'), children: <BallotsTab cycle={c} /> },
    ...(can('assessment:score')
      ? [{ key: 'sheet', label: t('assessment.tab.sheet'), children: <SheetTab cycle={c} groups={sheetGroups} /> }]
      : []),
    ...(can('assessment:ballots') ? [{ key: 'vetoes', label: t('assessment.tab.vetoes'), children: <VetoesTab cycle={c} /> }] : []),
    { key: 'results', label: t('assessment.tab.results'), children: <ResultsTab cycle={c} /> },
    ...(me.role !== 'worker' ? [{ key: 'appeals', label: t('assessment.tab.appeals'), children: <AppealsTab cycle={c} /> }] : []),
    { key: 'honours', label: <span data-testid="cycle-honours-tab">{t('honours.tab')}</span>, children: <HonoursTab cycle={c} /> },
  ];
  return (
    <>
      <PageTitle title={c.name} subtitle={`${c.orgName ?? c.orgCode} · ${c.periodLabel} · ${c.statusLabel}`} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }}>
          <Descriptions.Item label={t('assessment.cycle.status')}>
            <Tag data-testid="cycle-status">{c.statusLabel}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('assessment.cycle.participants')}>{c.participantCount}</Descriptions.Item>
          <Descriptions.Item label={t('assessment.weights')}>
            {c.template.raterGroups.map((g) => `${g.nameZh}${g.weightBp / 100}%`).join(' / ')}
          </Descriptions.Item>
          <Descriptions.Item label={t('assessment.quorum')}>
            {t('assessment.quorum.text', { n: c.template.quorum.minBallots, p: c.template.quorum.minOrdinaryShareBp / 100 })}
          </Descriptions.Item>
          {c.publicityUntil && (
            <Descriptions.Item label={t('assessment.publicityUntil')}>{formatDateTime(c.publicityUntil)}</Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Tabs items={items} data-testid="cycle-tabs" />
    </>
  );
}

function BallotsTab({ cycle }: { cycle: Cycle }) {
  const t = useT();
  const can = usePermission();
  const { message, modal } = App.useApp();
  const communities = useCommunities(cycle.id, cycle.status === 'open');
  const issue = useIssueCodes(cycle.id);
  const open = useOpenBallot(cycle.id);
  const close = useCloseBallot(cycle.id);
  const [tallyOf, setTallyOf] = useState<string | undefined>();
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [modes, setModes] = useState<Record<string, BallotMode>>({});
  const manage = can('assessment:ballots') && cycle.status === 'open';
  const run = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      void message.error((err as Error).message);
    }
  };
  const printCodes = async (code: string) => {
    const res = await issue.mutateAsync({ code, count: counts[code] ?? 100 });
    const w = window.open('', '_blank');
    if (w) {
      w.document.write(res.printHtml);
      w.document.close();
    } else {
      modal.info({ title: t('assessment.codes'), content: <Typography.Paragraph copyable>{res.codes.join('\n')}</Typography.Paragraph> });
    }
    void message.success(t('assessment.codes.issued', { n: res.codes.length }));
  };
  const statusTag = (s: CommunityBallot['ballotStatus']) => (
    <Tag color={s === 'open' ? 'processing' : s === 'closed' ? 'default' : 'warning'}>{t(`assessment.ballot.${s}`)}</Tag>
  );
  return (
    <>
      <Table<CommunityBallot>
        rowKey="communityCode"
        size="small"
        loading={communities.isFetching}
        dataSource={communities.data ?? []}
        scroll={{ x: 900 }}
        pagination={false}
        data-testid="ballot-communities"
        columns={[
          { title: t('assessment.community'), key: 'c', render: (_, r) => r.communityName ?? r.communityCode },
          { title: t('assessment.ballot.mode'), key: 'm', render: (_, r) => t(`assessment.mode.${r.ballotMode}`) },
          { title: t('assessment.ballot.status'), key: 's', render: (_, r) => statusTag(r.ballotStatus) },
          {
            title: t('assessment.ballots'),
            key: 'n',
            render: (_, r) => <span data-testid={`ballot-count-${r.communityCode}`}>{r.ballots}</span>,
          },
          { title: t('assessment.codesUsed'), key: 'u', render: (_, r) => `${r.codesUsed} / ${r.codesIssued}` },
          {
            title: t('assessment.link'),
            key: 'l',
            render: (_, r) =>
              r.linkToken ? <Typography.Text copyable>{`${window.location.origin}/ballot/${r.linkToken}`}</Typography.Text> : '—',
          },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_, r) => (
              <Space wrap>
                {manage && r.ballotStatus !== 'closed' && (
                  <Space.Compact>
                    <InputNumber
                      min={1}
                      max={5000}
                      value={counts[r.communityCode] ?? 100}
                      onChange={(v) => setCounts((x) => ({ ...x, [r.communityCode]: v ?? 100 }))}
                      style={{ width: 90 }}
                    />
                    <Button onClick={() => void run(() => printCodes(r.communityCode))} data-testid={`ballot-issue-${r.communityCode}`}>
                      {t('assessment.codes.issue')}
                    </Button>
                  </Space.Compact>
                )}
                {manage && r.ballotStatus === 'pending' && (
                  <Space.Compact>
                    <Select<BallotMode>
                      value={modes[r.communityCode] ?? 'codes'}
                      onChange={(v) => setModes((x) => ({ ...x, [r.communityCode]: v }))}
                      options={[
                        { value: 'codes', label: t('assessment.mode.codes') },
                        { value: 'open', label: t('assessment.mode.open') },
                      ]}
                      style={{ width: 120 }}
                    />
                    <Button
                      type="primary"
                      onClick={() => void run(() => open.mutateAsync({ code: r.communityCode, mode: modes[r.communityCode] ?? 'codes' }))}
                      data-testid={`ballot-open-${r.communityCode}`}
                    >
                      {t('assessment.ballot.start')}
                    </Button>
                  </Space.Compact>
                )}
                {manage && r.ballotStatus === 'open' && (
                  <Popconfirm
                    title={t('assessment.ballot.closeConfirm')}
                    onConfirm={() => void run(() => close.mutateAsync(r.communityCode))}
                  >
                    <Button danger data-testid={`ballot-close-${r.communityCode}`}>
                      {t('assessment.ballot.close')}
                    </Button>
                  </Popconfirm>
                )}
                {r.ballotStatus === 'closed' && (
                  <Button onClick={() => setTallyOf(r.communityCode)} data-testid={`ballot-tally-${r.communityCode}`}>
                    {t('assessment.tally')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <TallyModal cycleId={cycle.id} code={tallyOf} onClose={() => setTallyOf(undefined)} />
    </>
  );
}

function TallyModal({ cycleId, code, onClose }: { cycleId: number; code: string | undefined; onClose: () => void }) {
  const t = useT();
  const tally = useTally(cycleId, code);
  return (
    <Modal open={!!code} onCancel={onClose} footer={null} width={720} title={t('assessment.tally')}>
      {tally.isError && <ErrorResult error={tally.error} />}
      {tally.data && (
        <Flex vertical gap={12} data-testid="tally">
          <Typography.Text>
            {t('assessment.tally.summary', { n: tally.data.validBallots, o: tally.data.ordinaryResidentBallots })}{' '}
            {tally.data.quorumMet ? (
              <Tag color="success">{t('assessment.quorum.met')}</Tag>
            ) : (
              <Tag color="error">{tally.data.quorumReasons.join('；')}</Tag>
            )}
          </Typography.Text>
          <Table
            rowKey="workerId"
            size="small"
            pagination={false}
            dataSource={tally.data.workers}
            columns={[
              { title: t('assessment.worker'), dataIndex: 'name' },
              { title: '满意', dataIndex: 'satisfied' },
              { title: '基本满意', dataIndex: 'basically_satisfied' },
              { title: '不满意', dataIndex: 'dissatisfied' },
            ]}
          />
          {tally.data.comments.length > 0 && (
            <Card size="small" title={t('assessment.comments')}>
              {tally.data.comments.map((cm, i) => (
                <Typography.Paragraph key={i}>{cm}</Typography.Paragraph>
              ))}
            </Card>
          )}
        </Flex>
      )}
    </Modal>
  );
}

function SheetTab({ cycle, groups }: { cycle: Cycle; groups: { key: string; nameZh: string }[] }) {
  const t = useT();
  const me = useCurrentUser();
  const { message } = App.useApp();
  const preferred = me.role === 'worker' ? 'peers' : me.role === 'community_lead' ? 'community' : 'street';
  const [group, setGroup] = useState<string | undefined>(groups.find((g) => g.key === preferred)?.key ?? groups[0]?.key);
  const sheet = useSheet(cycle.id, group);
  const save = useSaveSheet(cycle.id);
  // The rater's edits over the saved scores, per group.
  const [edits, setEdits] = useState<Record<string, Record<number, Record<string, number>>>>({});
  const groupEdits = edits[group ?? ''] ?? {};
  const draft: Record<number, Record<string, number>> = Object.fromEntries(
    (sheet.data?.rows ?? []).map((r) => [r.workerId, { ...(r.scores ?? {}), ...groupEdits[r.workerId] }]),
  );
  const setDraft = (workerId: number, key: string, value: number | null) =>
    setEdits((x) => {
      const g = { ...(x[group ?? ''] ?? {}) };
      const row = { ...g[workerId] };
      if (value === null) delete row[key];
      else row[key] = value;
      g[workerId] = row;
      return { ...x, [group ?? '']: g };
    });
  const dims = sheet.data?.dimensions ?? [];
  return (
    <Flex vertical gap={12}>
      <Select value={group} onChange={setGroup} options={groups.map((g) => ({ value: g.key, label: g.nameZh }))} style={{ width: 200 }} />
      {sheet.isError ? (
        <ErrorResult error={sheet.error} />
      ) : (
        <Table
          rowKey="workerId"
          size="small"
          loading={sheet.isFetching}
          pagination={false}
          scroll={{ x: 600 }}
          dataSource={sheet.data?.rows ?? []}
          columns={[
            { title: t('assessment.worker'), dataIndex: 'name' },
            { title: t('assessment.post'), dataIndex: 'postLabel' },
            ...dims.map((d) => ({
              title: `${d.nameZh}（${d.weightBp / 100}%）`,
              key: d.key,
              render: (_: unknown, r: { workerId: number }) => (
                <InputNumber
                  min={0}
                  max={100}
                  step={0.5}
                  value={draft[r.workerId]?.[d.key] === undefined ? null : draft[r.workerId]![d.key]! / 100}
                  onChange={(v) => setDraft(r.workerId, d.key, v === null ? null : Math.round(v * 100))}
                  disabled={cycle.status !== 'open'}
                />
              ),
            })),
          ]}
        />
      )}
      {cycle.status === 'open' && (
        <Button
          type="primary"
          loading={save.isPending}
          style={{ alignSelf: 'flex-start' }}
          onClick={async () => {
            const entries = Object.entries(draft)
              .filter(([, s]) => dims.every((d) => typeof s[d.key] === 'number'))
              .map(([workerId, scores]) => ({ workerId: Number(workerId), scores }));
            if (!group || entries.length === 0) return void message.warning(t('assessment.sheet.incomplete'));
            try {
              await save.mutateAsync({ group, entries });
              void message.success(t('assessment.sheet.saved', { n: entries.length }));
            } catch (err) {
              void message.error((err as Error).message);
            }
          }}
        >
          {t('assessment.sheet.save')}
        </Button>
      )}
    </Flex>
  );
}

function VetoesTab({ cycle }: { cycle: Cycle }) {
  const t = useT();
  const { message } = App.useApp();
  const participants = useParticipants(cycle.id);
  const update = useUpdateParticipant(cycle.id);
  const editable = cycle.status === 'open' || cycle.status === 'computed';
  const run = async (input: { workerId: number; vetoes?: string[]; decidedTotal?: number | null }) => {
    try {
      await update.mutateAsync(input);
    } catch (err) {
      void message.error((err as Error).message);
    }
  };
  return (
    <Table
      rowKey="workerId"
      size="small"
      loading={participants.isFetching}
      dataSource={participants.data ?? []}
      scroll={{ x: 700 }}
      columns={[
        { title: t('assessment.worker'), dataIndex: 'name' },
        {
          title: t('assessment.vetoes'),
          key: 'v',
          render: (_, p) => (
            <Select
              mode="multiple"
              disabled={!editable}
              value={p.vetoes}
              style={{ minWidth: 240 }}
              options={cycle.template.vetoItems.map((v) => ({ value: v.key, label: v.nameZh }))}
              onChange={(v: string[]) => void run({ workerId: p.workerId, vetoes: v })}
            />
          ),
        },
        {
          title: t('assessment.decidedTotal'),
          key: 'd',
          render: (_, p) => (
            <InputNumber
              min={0}
              max={100}
              disabled={!editable}
              defaultValue={p.decidedTotal === null ? undefined : p.decidedTotal / 100}
              onBlur={(e) => {
                const v = e.target.value.trim();
                void run({ workerId: p.workerId, decidedTotal: v === '' ? null : Math.round(Number(v) * 100) });
              }}
            />
          ),
        },
      ]}
    />
  );
}

function ResultsTab({ cycle }: { cycle: Cycle }) {
  const t = useT();
  const me = useCurrentUser();
  const can = usePermission();
  const { message } = App.useApp();
  const results = useResults(cycle.id);
  const compute = useCompute(cycle.id);
  const approve = useApprove(cycle.id);
  const finalise = useFinalise(cycle.id);
  const run = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      void message.success(ok);
    } catch (err) {
      void message.error((err as Error).message);
    }
  };
  const approveOrg = me.role === 'region_admin' ? cycle.orgCode : me.orgCode;
  return (
    <Flex vertical gap={12}>
      <Space wrap>
        {can('assessment:manage') && (cycle.status === 'open' || cycle.status === 'computed') && (
          <Button
            type="primary"
            loading={compute.isPending}
            onClick={() => void run(() => compute.mutateAsync(undefined), t('assessment.computed'))}
            data-testid="cycle-compute"
          >
            {t('assessment.compute')}
          </Button>
        )}
        {can('assessment:approve') && cycle.status === 'computed' && (
          <Button onClick={() => void run(() => approve.mutateAsync(approveOrg), t('assessment.approved'))} data-testid="cycle-approve">
            {t('assessment.approve')}
          </Button>
        )}
        {can('assessment:manage') && cycle.status === 'publicity' && (
          <Popconfirm
            title={t('assessment.finaliseConfirm')}
            onConfirm={() => void run(() => finalise.mutateAsync(undefined), t('assessment.finalised'))}
          >
            <Button danger data-testid="cycle-finalise">
              {t('assessment.finalise')}
            </Button>
          </Popconfirm>
        )}
      </Space>
      {results.isError ? (
        <ErrorResult error={results.error} />
      ) : (
        <Table
          rowKey="workerId"
          size="small"
          loading={results.isFetching}
          dataSource={results.data ?? []}
          scroll={{ x: 900 }}
          data-testid="cycle-results"
          expandable={{ expandedRowRender: (r) => <Typography.Paragraph style={{ margin: 0 }}>{r.explanation}</Typography.Paragraph> }}
          columns={[
            { title: t('assessment.worker'), dataIndex: 'name' },
            { title: t('assessment.community'), key: 'o', render: (_, r) => r.orgName ?? r.orgCode },
            ...(results.data?.[0]?.groups ?? []).map((g, i) => ({
              title: `${g.nameZh}`,
              key: g.key,
              render: (_: unknown, r: { groups: { score: number | null }[] }) => formatScore(r.groups[i]?.score),
            })),
            { title: t('assessment.total'), key: 't', render: (_, r) => formatScore(r.total) },
            {
              title: t('assessment.result'),
              key: 'f',
              render: (_, r) =>
                r.finalResult ? (
                  <Tag color="blue">{RESULT_LABELS[r.finalResult]}</Tag>
                ) : (
                  <Tag color="warning">{t('assessment.needsDecision')}</Tag>
                ),
            },
            {
              title: t('assessment.flags'),
              key: 'fl',
              render: (_, r) => r.flags.map((f) => <Tag key={f}>{t(`assessment.flag.${f}` as never) || f}</Tag>),
            },
          ]}
        />
      )}
    </Flex>
  );
}

const APPEAL_STATUS_COLORS: Record<Appeal['status'], string> = { pending: 'warning', upheld: 'success', rejected: 'default' };

/** 申诉: the workers' appeals of the cycle; the street answers each, upholding it with a corrected grade or rejecting it. */
function AppealsTab({ cycle }: { cycle: Cycle }) {
  const t = useT();
  const can = usePermission();
  const appeals = useAppeals(cycle.id);
  const results = useResults(cycle.id);
  const [resolving, setResolving] = useState<Appeal | undefined>();
  const canResolve = can('assessment:ballots') && cycle.status === 'publicity';
  const currentResult = (workerId: number) => results.data?.find((r) => r.workerId === workerId)?.finalResult ?? null;
  const pending = (appeals.data ?? []).filter((a) => a.status === 'pending').length;
  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary" data-testid="appeals-pending">
        {t('assessment.appeal.pendingCount', { n: pending })}
      </Typography.Text>
      <Table<Appeal>
        rowKey="id"
        size="small"
        loading={appeals.isFetching}
        dataSource={appeals.data ?? []}
        scroll={{ x: 800 }}
        data-testid="appeals-table"
        columns={[
          { title: t('assessment.worker'), dataIndex: 'workerName', width: 100 },
          {
            title: t('assessment.appeal'),
            dataIndex: 'text',
            render: (v: string) => <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{v}</Typography.Paragraph>,
          },
          { title: t('assessment.appeal.filedAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
          {
            title: t('assessment.result'),
            key: 'result',
            render: (_, a) => {
              const now = currentResult(a.workerId);
              return now ? <Tag color="blue">{RESULT_LABELS[now]}</Tag> : '—';
            },
          },
          {
            title: t('assessment.cycle.status'),
            key: 'status',
            render: (_, a) => (
              <Tag color={APPEAL_STATUS_COLORS[a.status]} data-testid={`appeal-status-${a.id}`}>
                {t(`assessment.appeal.status.${a.status}`)}
                {a.adjustedResult ? ` → ${RESULT_LABELS[a.adjustedResult]}` : ''}
              </Tag>
            ),
          },
          { title: t('assessment.appeal.response'), dataIndex: 'response', render: (v: string | null) => v ?? '—' },
          {
            title: t('common.actions'),
            key: 'a',
            width: 90,
            render: (_, a) =>
              canResolve && a.status === 'pending' ? (
                <Button size="small" type="primary" onClick={() => setResolving(a)} data-testid={`appeal-resolve-${a.id}`}>
                  {t('assessment.appeal.resolve')}
                </Button>
              ) : null,
          },
        ]}
      />
      {resolving && (
        <ResolveAppealModal appeal={resolving} current={currentResult(resolving.workerId)} onClose={() => setResolving(undefined)} />
      )}
    </Flex>
  );
}

interface ResolveValues {
  status: 'upheld' | 'rejected';
  response: string;
  adjustedResult?: AssessmentResultCode;
}

function ResolveAppealModal({ appeal, current, onClose }: { appeal: Appeal; current: AssessmentResultCode | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const resolve = useResolveAppeal();
  const [form] = Form.useForm<ResolveValues>();
  const status = Form.useWatch('status', form);
  return (
    <Modal
      open
      title={t('assessment.appeal.resolveTitle', { name: appeal.workerName ?? '' })}
      okText={t('assessment.appeal.resolveSubmit')}
      confirmLoading={resolve.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'appeal-resolve-submit' } as ButtonProps}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
        {appeal.text}
      </Typography.Paragraph>
      <Typography.Paragraph>
        {t('assessment.appeal.currentResult')}：{current ? <Tag color="blue">{RESULT_LABELS[current]}</Tag> : '—'}
      </Typography.Paragraph>
      <Form<ResolveValues>
        form={form}
        layout="vertical"
        initialValues={{ status: 'rejected' }}
        onFinish={async (v) => {
          try {
            await resolve.mutateAsync({
              id: appeal.id,
              status: v.status,
              response: v.response,
              adjustedResult: v.status === 'upheld' ? v.adjustedResult : undefined,
            });
            void message.success(t('assessment.appeal.resolved'));
            onClose();
          } catch (err) {
            showServerError(form, err as Error, ['status', 'response', 'adjustedResult'] as const, (m) => void message.error(m));
          }
        }}
      >
        <Form.Item name="status" label={t('assessment.appeal.decision')}>
          <Radio.Group
            data-testid="appeal-decision"
            options={[
              { value: 'rejected', label: t('assessment.appeal.decision.rejected') },
              { value: 'upheld', label: t('assessment.appeal.decision.upheld') },
            ]}
          />
        </Form.Item>
        <Form.Item name="response" label={t('assessment.appeal.response')} rules={[{ required: true, whitespace: true, max: 1000 }]}>
          <Input.TextArea rows={3} maxLength={1000} data-testid="appeal-response" />
        </Form.Item>
        {status === 'upheld' && (
          <Form.Item name="adjustedResult" label={t('assessment.appeal.adjustedResult')} extra={t('assessment.appeal.adjustedResult.hint')}>
            <Select<AssessmentResultCode>
              allowClear
              data-testid="appeal-adjusted"
              options={(Object.keys(RESULT_LABELS) as AssessmentResultCode[])
                .filter((r) => r !== current)
                .map((r) => ({ value: r, label: RESULT_LABELS[r] }))}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
