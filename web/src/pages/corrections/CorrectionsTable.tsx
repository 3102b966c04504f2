import {
  App,
  Button,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
  type TablePaginationConfig,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { usePermission } from '../../api/auth';
import { useApproveCorrection, useRejectCorrection, useWithdrawCorrection } from '../../api/corrections';
import type { Correction } from '../../api/types';
import { useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { STATUS_COLORS, useCorrectionFormat } from './fields';

/**
 * Correction requests with what each one changes (old → new) and its state; reviewers approve or
 * reject pending ones (a reason is required to reject), the requester may withdraw them.
 */
export function CorrectionsTable({
  items,
  loading,
  showWorker,
  pagination = false,
}: {
  items: Correction[];
  loading?: boolean;
  showWorker: boolean;
  pagination?: TablePaginationConfig | false;
}) {
  const t = useT();
  const can = usePermission();
  const { message } = App.useApp();
  const fmt = useCorrectionFormat();
  const approve = useApproveCorrection();
  const withdraw = useWithdrawCorrection();
  const [rejecting, setRejecting] = useState<Correction | null>(null);
  const canReview = can('corrections:review');
  const canWithdraw = can('corrections:request');

  const columns: TableColumnsType<Correction> = [
    ...(showWorker
      ? [
          {
            key: 'worker',
            title: t('correction.worker'),
            width: 140,
            render: (_: unknown, c: Correction) => (
              <Flex vertical>
                <Link to={`/workers/${c.workerId}`}>{c.workerName}</Link>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {c.orgName ?? c.orgCode}
                </Typography.Text>
              </Flex>
            ),
          },
        ]
      : []),
    {
      key: 'changes',
      title: t('correction.changes'),
      render: (_, c) => (
        <Flex vertical gap={2} data-testid="correction-changes">
          {c.changes.map((ch) => (
            <span key={ch.field}>
              <Typography.Text strong>{fmt.fieldLabel(ch.field)}</Typography.Text>：
              <Typography.Text delete type="secondary">
                {fmt.value(ch.field, ch.oldValue)}
              </Typography.Text>
              {' → '}
              <Typography.Text>{fmt.value(ch.field, ch.newValue)}</Typography.Text>
            </span>
          ))}
        </Flex>
      ),
    },
    { key: 'reason', title: t('correction.reason'), dataIndex: 'reason', width: 180 },
    { key: 'createdAt', title: t('correction.createdAt'), width: 170, render: (_, c) => formatDateTime(c.createdAt) },
    {
      key: 'status',
      title: t('correction.status'),
      width: 180,
      render: (_, c) => (
        <Flex vertical gap={2}>
          <span>
            <Tag color={STATUS_COLORS[c.status]} data-testid="correction-status">
              {fmt.status(c.status)}
            </Tag>
          </span>
          {c.reviewedAt && c.reviewerName && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('correction.reviewedBy', { name: c.reviewerName, date: formatDateTime(c.reviewedAt) })}
            </Typography.Text>
          )}
          {c.reviewReason && <Typography.Text data-testid="correction-review-reason">{c.reviewReason}</Typography.Text>}
        </Flex>
      ),
    },
    ...(canReview || canWithdraw
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            width: 150,
            fixed: 'right' as const,
            render: (_: unknown, c: Correction) =>
              c.status !== 'pending' ? null : (
                <Space wrap size={4}>
                  {canReview && (
                    <Popconfirm
                      title={t('correction.approveConfirm')}
                      onConfirm={() =>
                        approve.mutate(c.id, {
                          onSuccess: () => message.success(t('correction.approved')),
                          onError: (err) => message.error(err.message),
                        })
                      }
                    >
                      <Button
                        size="small"
                        type="primary"
                        loading={approve.isPending && approve.variables === c.id}
                        data-testid="correction-approve"
                      >
                        {t('correction.approve')}
                      </Button>
                    </Popconfirm>
                  )}
                  {canReview && (
                    <Button size="small" danger onClick={() => setRejecting(c)} data-testid="correction-reject">
                      {t('correction.reject')}
                    </Button>
                  )}
                  {canWithdraw && (
                    <Popconfirm
                      title={t('correction.withdrawConfirm')}
                      onConfirm={() =>
                        withdraw.mutate(c.id, {
                          onSuccess: () => message.success(t('correction.withdrawn')),
                          onError: (err) => message.error(err.message),
                        })
                      }
                    >
                      <Button size="small" data-testid="correction-withdraw">
                        {t('correction.withdraw')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Table<Correction>
        rowKey="id"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={items}
        pagination={pagination}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('correction.none') }}
        data-testid="corrections-table"
      />
      <RejectModal correction={rejecting} onClose={() => setRejecting(null)} />
    </>
  );
}

function RejectModal({ correction, onClose }: { correction: Correction | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const reject = useRejectCorrection();
  const onFinish = ({ reason }: { reason: string }) => {
    if (!correction) return;
    reject.mutate(
      { id: correction.id, reason },
      {
        onSuccess: () => {
          message.success(t('correction.rejected'));
          onClose();
        },
        onError: (err) => message.error(err.message),
      },
    );
  };
  return (
    <Modal
      open={!!correction}
      title={t('correction.rejectTitle')}
      okText={t('correction.reject')}
      okButtonProps={{ danger: true, 'data-testid': 'correction-reject-ok' }}
      confirmLoading={reject.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={onFinish} preserve={false}>
        <Form.Item
          name="reason"
          label={t('correction.rejectReason')}
          rules={[{ required: true, whitespace: true, message: t('correction.rejectReasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="correction-reject-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
