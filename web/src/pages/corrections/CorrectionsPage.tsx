import { Card, Segmented } from 'antd';
import { useCorrections } from '../../api/corrections';
import type { CorrectionStatus } from '../../api/types';
import { OrgSelect } from '../../components/OrgSelect';
import { PageTitle } from '../../components/PageTitle';
import { ErrorResult } from '../../components/status';
import { useT } from '../../i18n';
import { useSearchState } from '../../utils/hooks';
import { CorrectionsTable } from './CorrectionsTable';
import { useCorrectionFormat } from './fields';

const KEYS = ['status', 'org', 'page'] as const;
const STATUSES: CorrectionStatus[] = ['pending', 'approved', 'rejected', 'withdrawn'];

/** 更正申请: the street office's queue of correction requests in its scope (pending first by default). */
export default function CorrectionsPage() {
  const t = useT();
  const fmt = useCorrectionFormat();
  const [state, setState] = useSearchState(KEYS);
  const status = state.status === 'all' ? undefined : ((state.status as CorrectionStatus | undefined) ?? 'pending');
  const page = Number(state.page ?? '1') || 1;
  const pageSize = 20;
  const list = useCorrections({ status, orgCode: state.org, page, pageSize });

  return (
    <>
      <PageTitle
        title={t('correction.title')}
        subtitle={t('correction.subtitle')}
        extra={
          <OrgSelect
            value={state.org}
            onChange={(code) => setState({ org: code, page: undefined })}
            style={{ width: 260, maxWidth: '100%' }}
            data-testid="corrections-org-select"
          />
        }
      />
      <Card>
        <Segmented
          value={status ?? 'all'}
          onChange={(v) => setState({ status: v === 'pending' ? undefined : String(v), page: undefined })}
          options={[...STATUSES.map((s) => ({ value: s, label: fmt.status(s) })), { value: 'all', label: t('correction.status.all') }]}
          style={{ marginBottom: 16 }}
          data-testid="corrections-status"
        />
        {list.isError ? (
          <ErrorResult error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <CorrectionsTable
            items={list.data?.items ?? []}
            loading={list.isFetching}
            showWorker
            pagination={{
              current: page,
              pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: false,
              onChange: (p) => setState({ page: p === 1 ? undefined : String(p) }),
            }}
          />
        )}
      </Card>
    </>
  );
}
