import { DownloadOutlined, TrophyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Empty, Form, Input, Modal, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import type { Cycle } from '../../api/assessment';
import { formatScore } from '../../api/assessment';
import { useCurrentUser, usePermission } from '../../api/auth';
import { showServerError } from '../../api/client';
import {
  honourExportUrl,
  useCycleHonours,
  useHonourCandidates,
  useHonourMembers,
  useIssueHonours,
  type Honour,
  type HonourMember,
} from '../../api/honours';
import { OrgSelect } from '../../components/OrgSelect';
import { ErrorResult } from '../../components/status';
import { useT } from '../../i18n';
import { DATE_FORMAT } from '../../utils/format';

interface IssueForm {
  title: string;
  documentNo?: string;
  decidedOn: Dayjs;
}

const ISSUE_FIELDS = ['title', 'documentNo', 'decidedOn'] as const;

function MembersTable({ members, loading }: { members: HonourMember[] | undefined; loading: boolean }) {
  const t = useT();
  return (
    <Table<HonourMember>
      rowKey="workerId"
      size="small"
      loading={loading}
      pagination={false}
      dataSource={members}
      data-testid="honour-members"
      columns={[
        { title: t('honours.rank'), dataIndex: 'rank', key: 'rank', width: 80 },
        { title: t('honours.name'), dataIndex: 'name', key: 'name' },
        { title: t('assessment.community'), key: 'org', render: (_, m) => m.orgName ?? m.orgCode },
        { title: t('assessment.total'), key: 'total', render: (_, m) => formatScore(m.total) },
      ]}
    />
  );
}

/**
 * 表彰 tab of a final cycle: the 优秀 workers ranked by score (candidates for the caller's org or a
 * chosen subtree), issuing the decision with title, document number and date, and the decisions
 * already issued at this level or above, each with its members and an .xlsx download.
 */
export function HonoursTab({ cycle }: { cycle: Cycle }) {
  const t = useT();
  const me = useCurrentUser();
  const can = usePermission();
  const { message } = App.useApp();
  const canIssue = can('assessment:approve') && me.role !== 'community_lead' && me.role !== 'worker';
  const [orgCode, setOrgCode] = useState(me.orgCode);
  const isFinal = cycle.status === 'final';
  const candidates = useHonourCandidates(cycle.id, orgCode, isFinal && canIssue);
  const honours = useCycleHonours(cycle.id);
  const issue = useIssueHonours(cycle.id);
  const [isIssuing, setIsIssuing] = useState(false);
  const [viewing, setViewing] = useState<Honour | null>(null);
  const members = useHonourMembers(viewing?.id);
  const [form] = Form.useForm<IssueForm>();

  if (!isFinal) return <Alert type="info" showIcon title={t('honours.notFinal')} />;
  if (honours.isError) return <ErrorResult error={honours.error} onRetry={() => void honours.refetch()} />;

  const submit = async (v: IssueForm) => {
    try {
      await issue.mutateAsync({ orgCode, title: v.title, documentNo: v.documentNo || null, decidedOn: v.decidedOn.format(DATE_FORMAT) });
      void message.success(t('honours.issued'));
      setIsIssuing(false);
    } catch (err) {
      showServerError(form, err as Error, ISSUE_FIELDS, (m) => void message.error(m));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {canIssue && (
        <Card
          size="small"
          title={t('honours.candidates')}
          extra={
            <Space wrap>
              <OrgSelect value={orgCode} onChange={(code) => setOrgCode(code ?? me.orgCode)} allowClear={false} style={{ minWidth: 220 }} />
              <Button
                type="primary"
                icon={<TrophyOutlined />}
                disabled={!candidates.data?.length}
                onClick={() => {
                  form.setFieldsValue({ title: t('honours.defaultTitle', { year: cycle.year }), decidedOn: dayjs() });
                  setIsIssuing(true);
                }}
                data-testid="honours-issue"
              >
                {t('honours.issue')}
              </Button>
            </Space>
          }
        >
          {candidates.isError ? (
            <ErrorResult error={candidates.error} onRetry={() => void candidates.refetch()} />
          ) : (
            <MembersTable members={candidates.data} loading={candidates.isLoading} />
          )}
        </Card>
      )}
      <Card size="small" title={t('honours.issuedList')}>
        {honours.data?.items.length === 0 ? (
          <Empty description={t('honours.none')} />
        ) : (
          <Table<Honour>
            rowKey="id"
            size="small"
            loading={honours.isLoading}
            pagination={false}
            dataSource={honours.data?.items}
            data-testid="honours-list"
            columns={[
              { title: t('honours.title'), dataIndex: 'title', key: 'title' },
              { title: t('honours.org'), key: 'org', render: (_, h) => h.orgName ?? h.orgCode },
              { title: t('honours.documentNo'), dataIndex: 'documentNo', key: 'doc', render: (v: string | null) => v ?? '—' },
              { title: t('honours.decidedOn'), dataIndex: 'decidedOn', key: 'date' },
              { title: t('honours.memberCount'), dataIndex: 'memberCount', key: 'n' },
              {
                title: '',
                key: 'actions',
                render: (_, h) => (
                  <Space>
                    <Button size="small" onClick={() => setViewing(h)} data-testid={`honour-view-${h.id}`}>
                      {t('honours.viewMembers')}
                    </Button>
                    <Button size="small" icon={<DownloadOutlined />} href={honourExportUrl(h.id)} data-testid={`honour-export-${h.id}`}>
                      {t('honours.export')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      <Modal
        open={isIssuing}
        title={t('honours.issue')}
        onCancel={() => setIsIssuing(false)}
        onOk={() => form.submit()}
        confirmLoading={issue.isPending}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('honours.issueHint', { n: candidates.data?.length ?? 0 })}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item name="title" label={t('honours.title')} rules={[{ required: true, message: t('honours.titleRequired') }]}>
            <Input maxLength={100} data-testid="honours-title" />
          </Form.Item>
          <Form.Item name="documentNo" label={t('honours.documentNo')}>
            <Input maxLength={100} placeholder="如：西政〔2027〕1号" />
          </Form.Item>
          <Form.Item name="decidedOn" label={t('honours.decidedOn')} rules={[{ required: true }]}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={viewing !== null} title={viewing?.title} footer={null} onCancel={() => setViewing(null)} width={720}>
        <MembersTable members={members.data} loading={members.isLoading} />
      </Modal>
    </Space>
  );
}
