import { CheckCircleFilled, CloseCircleOutlined, LogoutOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useChangePassword, useCurrentUser, useLogout } from '../../api/auth';
import { ApiError } from '../../api/client';
import { useT } from '../../i18n';
import { checkPassword, passwordOk } from '../../utils/validation';
import { AuthShell } from './AuthShell';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

function Check({ ok, text }: { ok: boolean; text: string }) {
  return (
    <li>
      {ok ? <CheckCircleFilled style={{ color: '#389e0d' }} /> : <CloseCircleOutlined style={{ color: 'rgba(0,0,0,0.35)' }} />}{' '}
      <Typography.Text type={ok ? 'success' : 'secondary'}>{text}</Typography.Text>
    </li>
  );
}

export default function ChangePasswordPage() {
  const t = useT();
  const me = useCurrentUser();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const change = useChangePassword();
  const logout = useLogout();
  const [form] = Form.useForm<PasswordForm>();
  const newPassword = Form.useWatch('newPassword', form) ?? '';
  const [error, setError] = useState<string | null>(null);
  const checks = checkPassword(newPassword, me.username);
  const forced = me.mustChangePassword;

  const onFinish = (values: PasswordForm) => {
    setError(null);
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: () => {
          message.success(t('pw.success'));
          navigate('/', { replace: true });
        },
        onError: (err) => {
          if (err instanceof ApiError && err.code === 'INVALID_CREDENTIALS') {
            form.setFields([{ name: 'currentPassword', errors: [err.message] }]);
          } else if (err instanceof ApiError && err.code === 'WEAK_PASSWORD') {
            form.setFields([{ name: 'newPassword', errors: [err.message] }]);
          } else {
            setError(err.message);
          }
        },
      },
    );
  };

  const onLogout = () => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });

  return (
    <AuthShell
      extra={
        <Button type="text" icon={<LogoutOutlined />} onClick={onLogout} data-testid="logout">
          {t('nav.logout')}
        </Button>
      }
    >
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('pw.title')}
      </Typography.Title>
      {forced && <Alert type="warning" showIcon title={t('pw.forced')} style={{ marginBottom: 16 }} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<PasswordForm> form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
        <input type="text" name="username" value={me.username} autoComplete="username" readOnly hidden />
        <Form.Item name="currentPassword" label={t('pw.current')} rules={[{ required: true, message: t('pw.currentRequired') }]}>
          <Input.Password autoComplete="current-password" data-testid="pw-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('pw.new')}
          dependencies={['currentPassword']}
          rules={[
            { required: true, message: t('pw.newRequired') },
            {
              validator: (_, value: string | undefined) =>
                !value || passwordOk(value, me.username) ? Promise.resolve() : Promise.reject(new Error(t('pw.policyFailed'))),
            },
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                !value || value !== getFieldValue('currentPassword') ? Promise.resolve() : Promise.reject(new Error(t('pw.sameAsCurrent'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="pw-new" />
        </Form.Item>
        <div style={{ marginTop: -8, marginBottom: 16 }} data-testid="pw-policy">
          <Typography.Text type="secondary">{t('pw.policyTitle')}</Typography.Text>
          <ul className="sg-policy-list">
            <Check ok={checks.length} text={t('pw.policy.length')} />
            <Check ok={checks.classes} text={t('pw.policy.classes', { n: checks.classCount })} />
            <Check ok={newPassword.length > 0 && checks.notUsername} text={t('pw.policy.username')} />
          </ul>
        </div>
        <Form.Item
          name="confirm"
          label={t('pw.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('pw.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('pw.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="pw-confirm" />
        </Form.Item>
        <Flex gap={8}>
          {!forced && (
            <Button onClick={() => navigate(-1)} style={{ flex: 1 }}>
              {t('common.back')}
            </Button>
          )}
          <Button type="primary" htmlType="submit" loading={change.isPending} style={{ flex: 2 }} data-testid="pw-submit">
            {t('pw.submit')}
          </Button>
        </Flex>
      </Form>
    </AuthShell>
  );
}
