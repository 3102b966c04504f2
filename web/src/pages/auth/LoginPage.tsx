import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useLogin, useMe } from '../../api/auth';
import { ApiError } from '../../api/client';
import { useT } from '../../i18n';
import { AuthShell } from './AuthShell';

interface LoginForm {
  username: string;
  password: string;
}

function safeFrom(state: unknown): string {
  const from = state && typeof state === 'object' ? (state as { from?: unknown }).from : undefined;
  if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login')) {
    return from;
  }
  return '/';
}

export default function LoginPage() {
  const t = useT();
  const me = useMe();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<LoginForm>();
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const from = safeFrom(location.state);

  if (me.data && !login.isPending) {
    return <Navigate to={me.data.mustChangePassword ? '/change-password' : from} replace />;
  }

  const onFinish = (values: LoginForm) => {
    setError(null);
    login.mutate(
      { username: values.username.trim(), password: values.password },
      {
        onSuccess: (res) => navigate(res.user.mustChangePassword ? '/change-password' : from, { replace: true }),
        onError: (err) => {
          setError({
            code: err instanceof ApiError ? err.code : 'ERROR',
            message: err.message || t('login.failed'),
          });
          form.setFieldValue('password', '');
        },
      },
    );
  };

  return (
    <AuthShell>
      {error && (
        <Alert
          type={error.code === 'INVALID_CREDENTIALS' ? 'error' : 'warning'}
          showIcon
          title={error.message}
          style={{ marginBottom: 16 }}
          data-testid="login-error"
        />
      )}
      <Form<LoginForm> form={form} layout="vertical" onFinish={onFinish} requiredMark={false} autoComplete="on">
        <Form.Item
          name="username"
          label={t('login.username')}
          rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
        >
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" data-testid="login-username" />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" data-testid="login-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={login.isPending} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form>
    </AuthShell>
  );
}
