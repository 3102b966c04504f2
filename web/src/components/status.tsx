import { Button, Result, Spin } from 'antd';
import { Link } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useT } from '../i18n';

export function FullPageSpin() {
  return (
    <div className="sg-fullpage-spin">
      <Spin size="large" />
    </div>
  );
}

export function PageSpin() {
  return (
    <div className="sg-page-spin">
      <Spin />
    </div>
  );
}

/** A failed load: 404 / 403 get their own wording, everything else shows the server's message. */
export function ErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const status = error instanceof ApiError ? error.status : 0;
  const message = error instanceof Error ? error.message : String(error);
  if (status === 404) {
    return (
      <Result
        status="404"
        title={t('error.notFound.title')}
        subTitle={message || t('error.notFound.text')}
        extra={
          <Link to="/">
            <Button type="primary">{t('common.backHome')}</Button>
          </Link>
        }
      />
    );
  }
  if (status === 403) {
    return <Result status="403" title={t('error.forbidden.title')} subTitle={message} />;
  }
  return (
    <Result
      status="error"
      title={t('error.loadFailed')}
      subTitle={message}
      extra={onRetry ? <Button onClick={onRetry}>{t('common.retry')}</Button> : undefined}
    />
  );
}

export function Forbidden() {
  const t = useT();
  return (
    <Result
      status="403"
      title={t('error.forbidden.title')}
      subTitle={t('error.forbidden.text')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}

export function NotFound() {
  const t = useT();
  return (
    <Result
      status="404"
      title={t('error.notFound.title')}
      subTitle={t('error.notFound.text')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}
