import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';
import { LangSwitch } from '../../components/LangSwitch';
import { useT } from '../../i18n';

/** Centered card used by the login and change-password pages. */
export function AuthShell({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  const t = useT();
  return (
    <div className="sg-auth-page">
      <div className="sg-auth-top">
        {extra}
        <LangSwitch />
      </div>
      <Card className="sg-auth-card">
        <div className="sg-auth-brand">
          <h1>{t('app.name')}</h1>
          <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
        </div>
        {children}
      </Card>
    </div>
  );
}
