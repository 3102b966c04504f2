import { Alert, Button, Card, Flex, Input, Radio, Result, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { useCastBallot, usePublicBallot } from '../../api/assessment';
import { isApiError } from '../../api/client';
import { useT } from '../../i18n';

/**
 * 居民满意度测评: the public, phone-first ballot page reached by a code's QR or a community's link. No
 * sign-in; it shows each worker's name and post only.
 */
export default function PublicBallotPage() {
  const t = useT();
  const { token = '' } = useParams();
  const page = usePublicBallot(token);
  const cast = useCastBallot(token);
  const [voterKind, setVoterKind] = useState<string>('ordinary_resident');
  const [choices, setChoices] = useState<Record<number, string>>({});
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);

  const shell = (children: React.ReactNode) => (
    <div style={{ maxWidth: 560, margin: '0 auto', padding: 12, minHeight: '100vh', background: '#f5f7fb' }}>{children}</div>
  );

  if (page.isLoading) return shell(<Spin style={{ display: 'block', marginTop: 80 }} />);
  if (page.isError || !page.data) {
    return shell(
      <Result status="warning" title={isApiError(page.error) ? page.error.message : t('ballot.invalid')} data-testid="ballot-invalid" />,
    );
  }
  const b = page.data;
  if (cast.isSuccess) {
    return shell(<Result status="success" title={cast.data.message} subTitle={t('ballot.thanks')} data-testid="ballot-done" />);
  }
  if (b.status !== 'open' || b.used) {
    const title = b.used ? t('ballot.used') : b.status === 'closed' ? t('ballot.closed') : t('ballot.notOpen');
    return shell(<Result status="info" title={title} data-testid="ballot-unavailable" />);
  }

  const submit = async () => {
    setError(null);
    const ratings = Object.entries(choices).map(([workerId, choice]) => ({ workerId: Number(workerId), choice }));
    if (ratings.length === 0) {
      setError(t('ballot.rateOne'));
      return;
    }
    try {
      await cast.mutateAsync({ voterKind, ratings, ...(comment.trim() ? { comment } : {}) });
    } catch (err) {
      setError(isApiError(err) ? err.message : String(err));
    }
  };

  return shell(
    <Flex vertical gap={12} data-testid="ballot-page">
      <div>
        <Typography.Title level={4} style={{ marginBottom: 0 }}>
          {b.communityName} · {t('ballot.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{b.cycleName}</Typography.Text>
      </div>
      <Alert type="info" showIcon message={t('ballot.anonymous')} />
      <Card size="small" title={t('ballot.voterKind')}>
        <Radio.Group value={voterKind} onChange={(e) => setVoterKind(e.target.value as string)} data-testid="ballot-voter-kind">
          <Flex vertical gap={4}>
            {b.voterKinds.map((k) => (
              <Radio key={k.code} value={k.code}>
                {k.label}
              </Radio>
            ))}
          </Flex>
        </Radio.Group>
      </Card>
      {b.workers.map((w) => (
        <Card key={w.id} size="small" data-testid={`ballot-worker-${w.id}`}>
          <Flex gap={12} align="center" wrap>
            <div
              aria-hidden
              style={{
                width: 48,
                height: 48,
                borderRadius: 24,
                background: '#dbe4ff',
                display: 'grid',
                placeItems: 'center',
                fontSize: 20,
              }}
            >
              {w.name.slice(0, 1)}
            </div>
            <div style={{ flex: 1, minWidth: 120 }}>
              <Typography.Text strong>{w.name}</Typography.Text>
              <br />
              <Typography.Text type="secondary">{w.postLabel}</Typography.Text>
            </div>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              value={choices[w.id]}
              onChange={(e) => setChoices((c) => ({ ...c, [w.id]: e.target.value as string }))}
              options={b.choices.map((c) => ({ value: c.code, label: c.label }))}
              data-testid={`ballot-choice-${w.id}`}
            />
          </Flex>
        </Card>
      ))}
      <Card size="small" title={t('ballot.comment')}>
        <Input.TextArea
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={b.commentMaxChars}
          showCount
          rows={3}
          placeholder={t('ballot.commentHint')}
          data-testid="ballot-comment"
        />
      </Card>
      {error && <Alert type="error" showIcon message={error} data-testid="ballot-error" />}
      <Button type="primary" size="large" block loading={cast.isPending} onClick={() => void submit()} data-testid="ballot-submit">
        {t('ballot.submit')}
      </Button>
    </Flex>,
  );
}
