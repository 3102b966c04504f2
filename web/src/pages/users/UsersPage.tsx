import { EditOutlined, KeyOutlined, LockOutlined, PlusOutlined, ReloadOutlined, UnlockOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Popconfirm, Select, Space, Table, Tag, Tooltip, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useCurrentUser } from '../../api/auth';
import { useEnumLabels, useRoleLabel } from '../../api/meta';
import type { User } from '../../api/types';
import { useResetPassword, useUpdateUser, useUsers } from '../../api/users';
import { OrgSelect } from '../../components/OrgSelect';
import { PageTitle } from '../../components/PageTitle';
import { SearchInput } from '../../components/SearchInput';
import { ErrorResult } from '../../components/status';
import { useT } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { toInt, useIsMobile, useSearchState } from '../../utils/hooks';
import { TempPasswordModal, type TempPassword } from './TempPasswordModal';
import { UserFormModal } from './UserFormModal';

const KEYS = ['orgCode', 'q', 'role', 'page', 'pageSize'] as const;

export default function UsersPage() {
  const t = useT();
  const me = useCurrentUser();
  const isMobile = useIsMobile();
  const { message } = App.useApp();
  const { options } = useEnumLabels();
  const roleLabel = useRoleLabel();
  const [state, setState] = useSearchState(KEYS);
  const page = toInt(state.page, 1);
  const pageSize = toInt(state.pageSize, 20);
  const list = useUsers({ page, pageSize, orgCode: state.orgCode, q: state.q, role: state.role });
  const update = useUpdateUser();
  const resetPassword = useResetPassword();
  const [formOpen, setFormOpen] = useState(false);
  const [editing, setEditing] = useState<User | undefined>(undefined);
  const [temp, setTemp] = useState<TempPassword | null>(null);
  const [busyId, setBusyId] = useState<User['id'] | null>(null);

  const setDisabled = (user: User, isDisabled: boolean) => {
    setBusyId(user.id);
    update.mutate(
      { id: user.id, patch: { isDisabled } },
      {
        onSuccess: () => message.success(isDisabled ? t('users.disabled') : t('users.enabled')),
        onError: (err) => message.error(err.message),
        onSettled: () => setBusyId(null),
      },
    );
  };

  const doReset = (user: User) => {
    setBusyId(user.id);
    resetPassword.mutate(user.id, {
      onSuccess: (res) => setTemp({ username: user.username, password: res.temporaryPassword, reason: 'reset' }),
      onError: (err) => message.error(err.message),
      onSettled: () => setBusyId(null),
    });
  };

  const statusTags = (u: User) => {
    const tags = [];
    if (u.isDisabled)
      tags.push(
        <Tag key="d" color="red">
          {t('users.status.disabled')}
        </Tag>,
      );
    if (u.lockedUntil && dayjs(u.lockedUntil).isAfter(dayjs())) {
      tags.push(
        <Tooltip key="l" title={t('users.lockedUntil', { time: formatDateTime(u.lockedUntil) })}>
          <Tag color="orange">{t('users.status.locked')}</Tag>
        </Tooltip>,
      );
    }
    if (u.mustChangePassword)
      tags.push(
        <Tag key="m" color="blue">
          {t('users.status.mustChange')}
        </Tag>,
      );
    if (tags.length === 0)
      tags.push(
        <Tag key="o" color="green">
          {t('users.status.active')}
        </Tag>,
      );
    return (
      <Space size={4} wrap>
        {tags}
      </Space>
    );
  };

  const columns: TableColumnsType<User> = [
    {
      title: t('user.username'),
      dataIndex: 'username',
      key: 'username',
      fixed: isMobile ? undefined : 'left',
      width: 140,
    },
    { title: t('user.displayName'), dataIndex: 'displayName', key: 'displayName', width: 120 },
    { title: t('user.role'), dataIndex: 'role', key: 'role', width: 130, render: (v: string) => roleLabel(v) },
    { title: t('user.org'), dataIndex: 'orgName', key: 'orgName', ellipsis: true },
    { title: t('user.status'), key: 'status', width: 150, render: (_, u) => statusTags(u) },
    {
      title: t('user.lastLoginAt'),
      dataIndex: 'lastLoginAt',
      key: 'lastLoginAt',
      width: 170,
      render: (v: string | null) => formatDateTime(v),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 250,
      fixed: isMobile ? undefined : 'right',
      render: (_, u) => (
        <Space size={0} wrap>
          <Button
            type="link"
            size="small"
            icon={<EditOutlined />}
            onClick={() => {
              setEditing(u);
              setFormOpen(true);
            }}
          >
            {t('common.edit')}
          </Button>
          {String(u.id) !== String(me.id) &&
            (u.isDisabled ? (
              <Button
                type="link"
                size="small"
                icon={<UnlockOutlined />}
                loading={busyId === u.id && update.isPending}
                onClick={() => setDisabled(u, false)}
                data-testid="user-enable"
              >
                {t('users.enable')}
              </Button>
            ) : (
              <Popconfirm title={t('users.disableConfirm', { name: u.displayName })} onConfirm={() => setDisabled(u, true)}>
                <Button
                  type="link"
                  size="small"
                  danger
                  icon={<LockOutlined />}
                  loading={busyId === u.id && update.isPending}
                  data-testid="user-disable"
                >
                  {t('users.disable')}
                </Button>
              </Popconfirm>
            ))}
          <Popconfirm title={t('users.resetConfirm', { name: u.displayName })} onConfirm={() => doReset(u)}>
            <Button
              type="link"
              size="small"
              icon={<KeyOutlined />}
              loading={busyId === u.id && resetPassword.isPending}
              data-testid="user-reset-password"
            >
              {t('users.resetPassword')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        title={t('users.title')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setEditing(undefined);
              setFormOpen(true);
            }}
            data-testid="user-create"
          >
            {t('users.create')}
          </Button>
        }
      />
      <Card size="small">
        <Flex className="sg-filters" gap={8} wrap>
          <OrgSelect
            className="sg-filter"
            value={state.orgCode}
            onChange={(code) => setState({ orgCode: code, page: undefined })}
            placeholder={t('filter.orgAll')}
          />
          <SearchInput
            className="sg-filter"
            value={state.q}
            placeholder={t('users.searchPlaceholder')}
            onSearch={(q) => setState({ q, page: undefined })}
            data-testid="users-search"
          />
          <Select
            className="sg-filter"
            value={state.role}
            options={options('roles')}
            placeholder={t('user.role')}
            allowClear
            onChange={(v?: string) => setState({ role: v, page: undefined })}
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={() => setState({ orgCode: undefined, q: undefined, role: undefined, page: undefined })}
          >
            {t('common.reset')}
          </Button>
        </Flex>
        {list.isError && !list.data ? (
          <ErrorResult error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <div data-testid="users-table">
            <Table<User>
              rowKey={(r) => String(r.id)}
              size="middle"
              columns={columns}
              dataSource={list.data?.items ?? []}
              loading={list.isFetching}
              scroll={{ x: 1100 }}
              pagination={{
                current: page,
                pageSize,
                total: list.data?.total ?? 0,
                showSizeChanger: true,
                pageSizeOptions: [10, 20, 50, 100],
                showTotal: (total) => t('common.total', { n: total }),
                onChange: (p, ps) => setState({ page: p === 1 ? undefined : p, pageSize: ps === 20 ? undefined : ps }),
              }}
            />
          </div>
        )}
      </Card>
      <UserFormModal
        open={formOpen}
        user={editing}
        onClose={() => setFormOpen(false)}
        onCreated={(user, temporaryPassword) => {
          setFormOpen(false);
          message.success(t('users.created'));
          if (temporaryPassword) setTemp({ username: user.username, password: temporaryPassword, reason: 'created' });
        }}
      />
      <TempPasswordModal value={temp} onClose={() => setTemp(null)} />
    </>
  );
}
