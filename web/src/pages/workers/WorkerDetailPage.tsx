import { ArrowLeftOutlined, EditOutlined, EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Flex, Space, Typography, type DescriptionsProps } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { usePermission } from '../../api/auth';
import { useEnumLabels } from '../../api/meta';
import type { RevealResult, Worker } from '../../api/types';
import { useRevealWorker, useWorker } from '../../api/workers';
import { PageTitle } from '../../components/PageTitle';
import { ErrorResult, PageSpin } from '../../components/status';
import { useT } from '../../i18n';
import { formatDate, formatDateTime } from '../../utils/format';
import { WorkerStatusTag } from './shared';
import { WorkerFormDrawer } from './WorkerFormDrawer';

export default function WorkerDetailPage() {
  const { id = '' } = useParams();
  return <WorkerDetail key={id} id={id} />;
}

type RevealField = keyof RevealResult;

function WorkerDetail({ id }: { id: string }) {
  const t = useT();
  const can = usePermission();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { label } = useEnumLabels();
  const worker = useWorker(id);
  const reveal = useRevealWorker(id);
  const [revealed, setRevealed] = useState<RevealResult>({});
  const [pending, setPending] = useState<RevealField | null>(null);
  const [editing, setEditing] = useState(false);

  if (worker.isPending) return <PageSpin />;
  if (worker.isError) return <ErrorResult error={worker.error} onRetry={() => void worker.refetch()} />;
  const w: Worker = worker.data;

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

  const items: DescriptionsProps['items'] = [
    { key: 'name', label: t('worker.name'), children: w.name },
    {
      key: 'idNumber',
      label: t('worker.idNumber'),
      children: sensitive('idNumber', w.idNumberMasked, 'worker-reveal-id'),
    },
    { key: 'gender', label: t('worker.gender'), children: label('genders', w.gender) },
    { key: 'birthDate', label: t('worker.birthDate'), children: formatDate(w.birthDate) },
    { key: 'age', label: t('worker.age'), children: w.age },
    { key: 'phone', label: t('worker.phone'), children: sensitive('phone', w.phoneMasked, 'worker-reveal-phone') },
    { key: 'org', label: t('worker.org'), children: `${w.orgName}（${w.orgCode}）` },
    { key: 'street', label: t('worker.street'), children: w.streetName ? `${w.streetName}（${w.streetCode}）` : '—' },
    { key: 'post', label: t('worker.post'), children: label('posts', w.post) },
    { key: 'postCategory', label: t('worker.postCategory'), children: label('postCategories', w.postCategory) || '—' },
    { key: 'status', label: t('worker.status'), children: <WorkerStatusTag code={w.status} /> },
    { key: 'education', label: t('worker.education'), children: label('educations', w.education) || '—' },
    {
      key: 'politicalStatus',
      label: t('worker.politicalStatus'),
      children: label('politicalStatuses', w.politicalStatus) || '—',
    },
    { key: 'workStartDate', label: t('worker.workStartDate'), children: formatDate(w.workStartDate) },
    { key: 'createdAt', label: t('common.createdAt'), children: formatDateTime(w.createdAt) },
    { key: 'updatedAt', label: t('common.updatedAt'), children: formatDateTime(w.updatedAt) },
  ];

  return (
    <>
      <PageTitle
        title={
          <Space>
            {w.name}
            <WorkerStatusTag code={w.status} />
          </Space>
        }
        subtitle={w.orgName}
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)}>
              {t('common.back')}
            </Button>
            {can('workers:write') && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="worker-edit">
                {t('common.edit')}
              </Button>
            )}
          </>
        }
      />
      <Card>
        <Descriptions
          bordered
          size="middle"
          column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 3 }}
          items={items}
          data-testid="worker-detail"
        />
      </Card>
      <WorkerFormDrawer
        open={editing}
        mode="edit"
        worker={w}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          setRevealed({});
        }}
      />
    </>
  );
}
