import {
  ArrowLeftOutlined,
  AuditOutlined,
  EditOutlined,
  EyeInvisibleOutlined,
  EyeOutlined,
  SwapOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import { App, Badge, Button, Card, Descriptions, Flex, Space, Tabs, Typography, type DescriptionsProps } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { usePermission } from '../../api/auth';
import { useWorkerCorrections } from '../../api/corrections';
import { useEnumLabels } from '../../api/meta';
import type { RevealResult, Worker } from '../../api/types';
import { useRevealWorker, useWorker, type RevealField } from '../../api/workers';
import { PageTitle } from '../../components/PageTitle';
import { ErrorResult, PageSpin } from '../../components/status';
import { useT } from '../../i18n';
import { formatDate, formatDateTime } from '../../utils/format';
import { CorrectionRequestModal } from '../corrections/CorrectionRequestModal';
import { WorkerCorrectionsTab } from '../corrections/WorkerCorrectionsTab';
import { WorkerGradesTab } from '../grades/WorkerGradesTab';
import { ConcurrentTag, WorkerStatusTag } from './shared';
import { WorkerContractsTab } from './WorkerContractsTab';
import { WorkerAssignmentsTab, WorkerHistoryTab } from './WorkerHistoryTabs';
import { WorkerHonoursTab } from './WorkerHonoursTab';
import { WorkerSanctionsTab } from './WorkerSanctionsTab';
import { WorkerFormDrawer } from './WorkerFormDrawer';
import { useStatusTargets, WorkerStatusModal } from './WorkerStatusModal';
import { WorkerTransferModal } from './WorkerTransferModal';

export default function WorkerDetailPage() {
  const { id = '' } = useParams();
  return <WorkerDetail key={id} id={id} />;
}

function WorkerDetail({ id }: { id: string }) {
  const worker = useWorker(id);
  if (worker.isPending) return <PageSpin />;
  if (worker.isError) return <ErrorResult error={worker.error} onRetry={() => void worker.refetch()} />;
  return <WorkerView id={id} w={worker.data} />;
}

type Dialog = 'edit' | 'status' | 'transfer' | 'correction' | null;

function WorkerView({ id, w }: { id: string; w: Worker }) {
  const t = useT();
  const can = usePermission();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { label } = useEnumLabels();
  const reveal = useRevealWorker(id);
  const [revealed, setRevealed] = useState<RevealResult>({});
  const [pending, setPending] = useState<RevealField | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [tab, setTab] = useState('record');
  const { targets } = useStatusTargets(w);
  const canWrite = can('workers:write');
  const corrections = useWorkerCorrections(id);
  const pendingCorrections = (corrections.data?.items ?? []).filter((c) => c.status === 'pending').length;

  const doReveal = (field: RevealField) => {
    setPending(field);
    reveal.mutate([field], {
      onSuccess: (res) => setRevealed((prev) => ({ ...prev, [field]: res[field] ?? '' })),
      onError: (err) => message.error(err.message),
      onSettled: () => setPending(null),
    });
  };
  const hide = (field: RevealField) =>
    setRevealed((prev) => {
      const next = { ...prev };
      delete next[field];
      return next;
    });

  const sensitive = (field: RevealField, masked: string | null, testId: string) => {
    if (!masked) return '—';
    const value = revealed[field];
    if (value !== undefined) {
      return (
        <Flex vertical gap={2}>
          <Space wrap>
            <Typography.Text className="sg-mono" copyable data-testid={`worker-${field}-value`}>
              {value || '—'}
            </Typography.Text>
            <Button size="small" type="link" icon={<EyeInvisibleOutlined />} onClick={() => hide(field)}>
              {t('worker.hide')}
            </Button>
          </Space>
          <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid="worker-reveal-note">
            {t('worker.revealNote')}
          </Typography.Text>
        </Flex>
      );
    }
    return (
      <Space wrap>
        <span className="sg-mono">{masked}</span>
        {can('workers:reveal') && (
          <Button size="small" icon={<EyeOutlined />} loading={pending === field} onClick={() => doReveal(field)} data-testid={testId}>
            {t('worker.reveal')}
          </Button>
        )}
      </Space>
    );
  };

  const text = (v: string | null | undefined) => v || '—';
  const groups: { key: string; title: string; items: DescriptionsProps['items'] }[] = [
    {
      key: 'basic',
      title: t('worker.group.basic'),
      items: [
        { key: 'name', label: t('worker.name'), children: w.name },
        { key: 'formerName', label: t('worker.formerName'), children: text(w.formerName) },
        { key: 'idNumber', label: t('worker.idNumber'), children: sensitive('idNumber', w.idNumberMasked, 'worker-reveal-id') },
        { key: 'gender', label: t('worker.gender'), children: label('genders', w.gender) },
        { key: 'birthDate', label: t('worker.birthDate'), children: formatDate(w.birthDate) },
        { key: 'age', label: t('worker.age'), children: w.age },
        { key: 'ethnicity', label: t('worker.ethnicity'), children: text(label('ethnicities', w.ethnicity)) },
        { key: 'hukou', label: t('worker.hukou'), children: text(w.hukou) },
      ],
    },
    {
      key: 'political',
      title: t('worker.group.political'),
      items: [
        { key: 'politicalStatus', label: t('worker.politicalStatus'), children: text(label('politicalStatuses', w.politicalStatus)) },
        { key: 'partyJoinDate', label: t('worker.partyJoinDate'), children: formatDate(w.partyJoinDate) },
        { key: 'education', label: t('worker.education'), children: text(label('educations', w.education)) },
        { key: 'educationMode', label: t('worker.educationMode'), children: text(label('educationModes', w.educationMode)) },
        { key: 'school', label: t('worker.school'), children: text(w.school) },
        { key: 'major', label: t('worker.major'), children: text(w.major) },
      ],
    },
    {
      key: 'post',
      title: t('worker.group.post'),
      items: [
        { key: 'org', label: t('worker.org'), children: `${w.orgName}（${w.orgCode}）` },
        { key: 'street', label: t('worker.street'), children: w.streetName ? `${w.streetName}（${w.streetCode}）` : '—' },
        {
          key: 'posts',
          label: t('worker.post'),
          children: (
            <Space wrap size={4}>
              {(w.posts?.length ? w.posts : [w.post]).map((p) => label('posts', p)).join('、')}
              {(w.isConcurrent ?? false) && <ConcurrentTag />}
            </Space>
          ),
        },
        { key: 'postCategory', label: t('worker.postCategory'), children: text(label('postCategories', w.postCategory)) },
        {
          key: 'status',
          label: t('worker.status'),
          children: (
            <Space wrap size={4}>
              <WorkerStatusTag code={w.status} />
              {w.statusDate && <Typography.Text type="secondary">{formatDate(w.statusDate)}</Typography.Text>}
            </Space>
          ),
        },
        ...(w.status === 'on_leave'
          ? [
              { key: 'leaveType', label: t('worker.leaveType'), children: text(label('leaveTypes', w.leaveType)) },
              { key: 'leaveEndDate', label: t('worker.leaveEndDate'), children: formatDate(w.leaveEndDate) },
            ]
          : []),
        ...(w.status === 'exited'
          ? [
              { key: 'exitReason', label: t('worker.exitReason'), children: text(label('exitReasons', w.exitReason)) },
              { key: 'exitDate', label: t('worker.exitDate'), children: formatDate(w.exitDate) },
            ]
          : []),
        ...(w.statusReason ? [{ key: 'statusReason', label: t('worker.statusReason'), children: w.statusReason }] : []),
        ...(w.status === 'probation'
          ? [{ key: 'probationEndDate', label: t('worker.probationEndDate'), children: formatDate(w.probationEndDate) }]
          : []),
        { key: 'workStartDate', label: t('worker.workStartDate'), children: formatDate(w.workStartDate) },
        { key: 'joinCommunityDate', label: t('worker.joinCommunityDate'), children: formatDate(w.joinCommunityDate) },
      ],
    },
    {
      key: 'qualification',
      title: t('worker.group.qualification'),
      items: [
        {
          key: 'qualificationLevel',
          label: t('worker.qualificationLevel'),
          children: text(label('qualificationLevels', w.qualificationLevel)),
        },
        { key: 'certificateNo', label: t('worker.certificateNo'), children: text(w.certificateNo) },
        { key: 'certificateDate', label: t('worker.certificateDate'), children: formatDate(w.certificateDate) },
      ],
    },
    {
      key: 'contact',
      title: t('worker.group.contact'),
      items: [
        { key: 'phone', label: t('worker.phone'), children: sensitive('phone', w.phoneMasked, 'worker-reveal-phone') },
        { key: 'address', label: t('worker.address'), children: text(w.address) },
        { key: 'emergencyContactName', label: t('worker.emergencyContactName'), children: text(w.emergencyContactName) },
        {
          key: 'emergencyContactPhone',
          label: t('worker.emergencyContactPhone'),
          children: sensitive('emergencyContactPhone', w.emergencyContactPhoneMasked, 'worker-reveal-emergency'),
        },
        { key: 'createdAt', label: t('common.createdAt'), children: formatDateTime(w.createdAt) },
        { key: 'updatedAt', label: t('common.updatedAt'), children: formatDateTime(w.updatedAt) },
      ],
    },
  ];

  const record = (
    <Flex vertical gap={16} data-testid="worker-detail">
      {groups.map((g) => (
        <Descriptions
          key={g.key}
          title={g.title}
          bordered
          size="small"
          column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 3 }}
          items={g.items}
          data-testid={`worker-group-${g.key}`}
        />
      ))}
    </Flex>
  );

  return (
    <>
      <PageTitle
        title={
          <Space wrap>
            {w.name}
            <WorkerStatusTag code={w.status} />
            {(w.isConcurrent ?? false) && <ConcurrentTag />}
          </Space>
        }
        subtitle={w.orgName}
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)}>
              {t('common.back')}
            </Button>
            {canWrite && w.status !== 'exited' && (
              <Button icon={<SwapOutlined />} onClick={() => setDialog('transfer')} data-testid="worker-transfer">
                {t('workerTransfer.action')}
              </Button>
            )}
            {canWrite && targets.length > 0 && (
              <Button icon={<SyncOutlined />} onClick={() => setDialog('status')} data-testid="worker-status-change">
                {t('workerStatus.action')}
              </Button>
            )}
            {can('corrections:request') && w.status !== 'exited' && (
              <Button type="primary" icon={<AuditOutlined />} onClick={() => setDialog('correction')} data-testid="correction-request">
                {t('correction.request')}
              </Button>
            )}
            {canWrite && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="worker-edit">
                {t('common.edit')}
              </Button>
            )}
          </>
        }
      />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          destroyOnHidden
          items={[
            { key: 'record', label: t('worker.tab.record'), children: record },
            {
              key: 'assignments',
              label: <span data-testid="worker-assignments-tab">{t('worker.tab.assignments')}</span>,
              children: <WorkerAssignmentsTab id={id} />,
            },
            {
              key: 'history',
              label: <span data-testid="worker-history-tab">{t('worker.tab.history')}</span>,
              children: <WorkerHistoryTab id={id} />,
            },
            {
              key: 'corrections',
              label: (
                <span data-testid="worker-corrections-tab">
                  {t('correction.tab')}
                  {pendingCorrections > 0 && (
                    <Badge
                      count={pendingCorrections}
                      size="small"
                      title={t('correction.pendingBadge', { n: pendingCorrections })}
                      style={{ marginInlineStart: 6 }}
                    />
                  )}
                </span>
              ),
              children: <WorkerCorrectionsTab workerId={id} />,
            },
            ...(can('contracts:read')
              ? [
                  {
                    key: 'contracts',
                    label: <span data-testid="worker-contracts-tab">{t('contract.tab')}</span>,
                    children: <WorkerContractsTab worker={w} />,
                  },
                ]
              : []),
            ...(can('grades:read')
              ? [
                  {
                    key: 'grades',
                    label: <span data-testid="worker-grades-tab">{t('grade.tab')}</span>,
                    children: <WorkerGradesTab workerId={id} />,
                  },
                ]
              : []),
            ...(can('sanctions:read')
              ? [
                  {
                    key: 'sanctions',
                    label: <span data-testid="worker-sanctions-tab">{t('sanction.tab')}</span>,
                    children: <WorkerSanctionsTab workerId={id} />,
                  },
                ]
              : []),
            ...(can('assessment:read')
              ? [
                  {
                    key: 'honours',
                    label: <span data-testid="worker-honours-tab">{t('honours.tab')}</span>,
                    children: <WorkerHonoursTab workerId={id} />,
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <WorkerFormDrawer
        open={dialog === 'edit'}
        mode="edit"
        worker={w}
        onClose={() => setDialog(null)}
        onSaved={() => {
          setDialog(null);
          setRevealed({});
        }}
      />
      <CorrectionRequestModal
        open={dialog === 'correction'}
        worker={w}
        onClose={() => setDialog(null)}
        onSubmitted={() => {
          setDialog(null);
          setTab('corrections');
        }}
      />
      <WorkerStatusModal open={dialog === 'status'} worker={w} onClose={() => setDialog(null)} />
      <WorkerTransferModal open={dialog === 'transfer'} worker={w} onClose={() => setDialog(null)} />
    </>
  );
}
