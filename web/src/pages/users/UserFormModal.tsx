import { Alert, App, Button, Flex, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useCurrentUser } from '../../api/auth';
import { fieldErrorsFromDetails } from '../../api/client';
import { useEnumLabels } from '../../api/meta';
import type { Role, User } from '../../api/types';
import { useCreateUser, useUpdateUser } from '../../api/users';
import { OrgSelect } from '../../components/OrgSelect';
import { useT } from '../../i18n';

interface FormValues {
  username: string;
  displayName: string;
  role: Role;
  orgCode: string;
}

const FIELDS = ['username', 'displayName', 'role', 'orgCode'] as const;

/** Roles each role may hand out; mirrors ASSIGNABLE_ROLES in server/src/modules/auth/roles.ts (the server enforces it). */
const ASSIGNABLE_ROLES: Record<Role, readonly Role[]> = {
  sys_admin: ['sys_admin', 'region_admin', 'street_hr', 'community_lead', 'worker', 'auditor'],
  region_admin: ['region_admin', 'street_hr', 'community_lead', 'worker', 'auditor'],
  street_hr: ['community_lead', 'worker'],
  community_lead: [],
  worker: [],
  auditor: [],
};

export interface UserFormModalProps {
  open: boolean;
  /** Absent: create a user. */
  user?: User;
  onClose: () => void;
  onCreated: (user: User, temporaryPassword?: string) => void;
}

export function UserFormModal(props: UserFormModalProps) {
  const t = useT();
  return (
    <Modal
      open={props.open}
      title={props.user ? t('users.edit') : t('users.create')}
      onCancel={props.onClose}
      footer={null}
      destroyOnHidden
      mask={{ closable: false }}
    >
      {props.open && <UserForm {...props} />}
    </Modal>
  );
}

function UserForm({ user, onClose, onCreated }: UserFormModalProps) {
  const t = useT();
  const { message } = App.useApp();
  const { options } = useEnumLabels();
  const me = useCurrentUser();
  const assignable = ASSIGNABLE_ROLES[me.role] ?? [];
  // Keep the user's current role visible when editing even if this admin could not assign it.
  const roleOptions = options('roles').filter((o) => assignable.includes(o.value as Role) || o.value === user?.role);
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<string | null>(null);
  const create = useCreateUser();
  const update = useUpdateUser();

  const onError = (err: Error) => {
    const fields = fieldErrorsFromDetails(err, FIELDS);
    if (fields.length) form.setFields(fields);
    setError(err.message);
  };

  const onFinish = (v: FormValues) => {
    setError(null);
    if (!user) {
      create.mutate(
        { username: v.username.trim(), displayName: v.displayName.trim(), role: v.role, orgCode: v.orgCode },
        { onSuccess: (res) => onCreated(res.user, res.temporaryPassword), onError },
      );
      return;
    }
    const patch: Partial<FormValues> = {};
    if (v.displayName.trim() !== user.displayName) patch.displayName = v.displayName.trim();
    if (v.role !== user.role) patch.role = v.role;
    if (v.orgCode !== user.orgCode) patch.orgCode = v.orgCode;
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    update.mutate(
      { id: user.id, patch },
      {
        onSuccess: () => {
          message.success(t('common.saved'));
          onClose();
        },
        onError,
      },
    );
  };

  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      initialValues={user ? { ...user } : undefined}
      onFinish={onFinish}
      data-testid="user-form"
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form.Item
        name="username"
        label={t('user.username')}
        rules={[
          { required: true, whitespace: true, message: t('validation.required') },
          { pattern: /^[A-Za-z0-9_.@-]{2,64}$/, message: t('validation.username') },
        ]}
      >
        <Input disabled={!!user} autoComplete="off" data-testid="user-form-username" />
      </Form.Item>
      <Form.Item
        name="displayName"
        label={t('user.displayName')}
        rules={[
          { required: true, whitespace: true, message: t('validation.required') },
          { max: 50, message: t('validation.max', { n: 50 }) },
        ]}
      >
        <Input data-testid="user-form-display-name" />
      </Form.Item>
      <Form.Item name="role" label={t('user.role')} rules={[{ required: true, message: t('validation.required') }]}>
        <Select options={roleOptions} data-testid="user-form-role" />
      </Form.Item>
      <Form.Item name="orgCode" label={t('user.org')} rules={[{ required: true, message: t('validation.required') }]}>
        <OrgSelect allowClear={false} data-testid="user-form-org" />
      </Form.Item>
      {!user && <Alert type="info" showIcon title={t('users.createHint')} style={{ marginBottom: 16 }} />}
      <Flex gap={8} justify="flex-end">
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={create.isPending || update.isPending} data-testid="user-form-submit">
          {user ? t('common.save') : t('common.create')}
        </Button>
      </Flex>
    </Form>
  );
}
