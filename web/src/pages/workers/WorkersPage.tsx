import { DownloadOutlined, PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { usePermission } from '../../api/auth';
import { buildUrl } from '../../api/client';
import { useEnumLabels } from '../../api/meta';
import type { Worker, WorkerSummary } from '../../api/types';
import { useWorkers } from '../../api/workers';
import { OrgSelect } from '../../components/OrgSelect';
import { PageTitle } from '../../components/PageTitle';
import { SearchInput } from '../../components/SearchInput';
import { ErrorResult } from '../../components/status';
import { useT } from '../../i18n';
import { formatNumber } from '../../utils/format';
import { toInt, useIsMobile, useSearchState } from '../../utils/hooks';
import { ConcurrentTag, usePostOptions, WorkerStatusTag } from './shared';
import { ContractAlertsCard } from './ContractAlertsCard';
import { WorkerFormDrawer } from './WorkerFormDrawer';

const KEYS = [
  'orgCode',
  'q',
  'status',
  'post',
  'education',
  'politicalStatus',
  'qualificationLevel',
  'ageMin',
  'ageMax',
  'onRoll',
  'sort',
  'order',
  'page',
  'pageSize',
] as const;

/** A whole non-negative number from the URL, or undefined (a bad value is ignored, not sent). */
function toAge(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,3}$/.test(value)) return undefined;
  const n = Number(value);
  return n <= 120 ? n : undefined;
}

export default function WorkersPage() {
  const t = useT();
  const can = usePermission();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const { label, options } = useEnumLabels();
  const postOptions = usePostOptions();
  const [state, setState] = useSearchState(KEYS);
  const [creating, setCreating] = useState(false);
  const page = toInt(state.page, 1);
  const pageSize = toInt(state.pageSize, 20);
  const ageMin = toAge(state.ageMin);
  const ageMax = toAge(state.ageMax);

  const filters = {
    orgCode: state.orgCode,
    q: state.q,
    status: state.status,
    post: state.post,
    education: state.education,
    politicalStatus: state.politicalStatus,
    qualificationLevel: state.qualificationLevel,
    ageMin,
    ageMax,
    onRoll: state.onRoll === '1' ? '1' : undefined,
  };
  // The roster (花名册) with the filters on screen, streamed as .xlsx (masked; the export is audited).
  const exportUrl = buildUrl('/workers/export', filters);
  const sort = state.sort === 'name' || state.sort === 'birthDate' ? state.sort : undefined;
  const order = state.order === 'desc' ? 'desc' : 'asc';
  // The age column sorts by birth date the other way round (older first = earlier birth date first).
  const sortOrderOf = (column: 'name' | 'age') => {
    if (column === 'name' && sort === 'name') return order === 'asc' ? 'ascend' : 'descend';
    if (column === 'age' && sort === 'birthDate') return order === 'asc' ? 'descend' : 'ascend';
    return null;
  };
  const list = useWorkers({
    sort,
    order: sort ? order : undefined,
    page,
    pageSize,
    orgCode: state.orgCode,
    q: state.q,
    status: state.status,
    post: state.post,
    education: state.education,
    politicalStatus: state.politicalStatus,
    qualificationLevel: state.qualificationLevel,
    ageMin,
    ageMax,
    onRoll: state.onRoll === '1' ? '1' : undefined,
  });

  // Filters without a control of their own (set from the home-page charts), shown as closable tags.
  const extraFilters = [
    state.onRoll === '1' && {
      key: 'onRoll',
      text: t('workers.onRollOnly'),
      clear: { onRoll: undefined },
    },
    state.education && {
      key: 'education',
      text: `${t('worker.education')}：${label('educations', state.education)}`,
      clear: { education: undefined },
    },
    state.politicalStatus && {
      key: 'politicalStatus',
      text: `${t('worker.politicalStatus')}：${label('politicalStatuses', state.politicalStatus)}`,
      clear: { politicalStatus: undefined },
    },
    state.qualificationLevel && {
      key: 'qualificationLevel',
      text: `${t('worker.qualificationLevel')}：${label('qualificationLevels', state.qualificationLevel)}`,
      clear: { qualificationLevel: undefined },
    },
    (ageMin !== undefined || ageMax !== undefined) && {
      key: 'age',
      text: `${t('worker.age')}：${
        ageMin !== undefined && ageMax !== undefined
          ? t('workers.ageBetween', { min: ageMin, max: ageMax })
          : ageMin !== undefined
            ? t('workers.ageAtLeast', { min: ageMin })
            : t('workers.ageAtMost', { max: ageMax ?? 0 })
      }`,
      clear: { ageMin: undefined, ageMax: undefined },
    },
  ].filter((f) => !!f);

  const columns: TableColumnsType<WorkerSummary> = [
    {
      title: t('worker.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      sortOrder: sortOrderOf('name'),
      fixed: isMobile ? undefined : 'left',
      width: 110,
      render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
    },
    {
      title: t('worker.idNumber'),
      dataIndex: 'idNumberMasked',
      key: 'idNumberMasked',
      width: 190,
      render: (v: string) => <span className="sg-mono">{v}</span>,
    },
    {
      title: t('worker.gender'),
      dataIndex: 'gender',
      key: 'gender',
      width: 70,
      render: (v: string) => label('genders', v),
    },
    { title: t('worker.age'), dataIndex: 'age', key: 'age', width: 80, align: 'right', sorter: true, sortOrder: sortOrderOf('age') },
    { title: t('worker.org'), dataIndex: 'orgName', key: 'orgName', ellipsis: true },
    {
      title: t('worker.post'),
      dataIndex: 'post',
      key: 'post',
      render: (v: string, row: WorkerSummary) => (
        <>
          {label('posts', v)}
          {row.isConcurrent && <ConcurrentTag />}
        </>
      ),
    },
    {
      title: t('worker.status'),
      dataIndex: 'status',
      key: 'status',
      width: 100,
      render: (v: string) => <WorkerStatusTag code={v} />,
    },
  ];

  const reset = () =>
    setState({
      sort: undefined,
      order: undefined,
      orgCode: undefined,
      q: undefined,
      status: undefined,
      post: undefined,
      education: undefined,
      politicalStatus: undefined,
      qualificationLevel: undefined,
      ageMin: undefined,
      ageMax: undefined,
      onRoll: undefined,
      page: undefined,
    });

  return (
    <>
      <PageTitle
        title={t('workers.title')}
        extra={
          <>
            <Button icon={<DownloadOutlined />} href={exportUrl} data-testid="workers-export">
              {t('workers.export')}
            </Button>
            {can('workers:write') && (
              <Link to="/workers/import">
                <Button icon={<UploadOutlined />} data-testid="workers-import">
                  {t('workers.import')}
                </Button>
              </Link>
            )}
            {can('workers:write') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="worker-create">
                {t('workers.create')}
              </Button>
            )}
          </>
        }
      />
      {can('contracts:read') && <ContractAlertsCard orgCode={state.orgCode} />}
      <Card size="small">
        <Flex className="sg-filters" gap={8} wrap>
          <OrgSelect
            className="sg-filter"
            value={state.orgCode}
            onChange={(code) => setState({ orgCode: code, page: undefined })}
            placeholder={t('filter.orgAll')}
            data-testid="workers-filter-org"
          />
          <SearchInput
            className="sg-filter"
            value={state.q}
            placeholder={t('workers.searchPlaceholder')}
            onSearch={(q) => setState({ q, page: undefined })}
            data-testid="workers-search"
          />
          <Select
            className="sg-filter"
            value={state.status}
            options={options('statuses')}
            placeholder={t('worker.status')}
            allowClear
            onChange={(v?: string) => setState({ status: v, page: undefined })}
            data-testid="workers-filter-status"
          />
          <Select
            className="sg-filter"
            value={state.post}
            options={postOptions}
            listHeight={400}
            placeholder={t('worker.post')}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            onChange={(v?: string) => setState({ post: v, page: undefined })}
            data-testid="workers-filter-post"
          />
          <Button icon={<ReloadOutlined />} onClick={reset}>
            {t('common.reset')}
          </Button>
        </Flex>
        {extraFilters.length > 0 && (
          <Flex gap={4} wrap align="center" style={{ marginTop: 8 }} data-testid="workers-extra-filters">
            <Typography.Text type="secondary">{t('workers.extraFilters')}</Typography.Text>
            {extraFilters.map((f) => (
              <Tag
                key={f.key}
                closable
                color="blue"
                onClose={() => setState({ ...f.clear, page: undefined })}
                data-testid={`workers-extra-filter-${f.key}`}
              >
                {f.text}
              </Tag>
            ))}
          </Flex>
        )}
        {list.isError && !list.data ? (
          <ErrorResult error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <div data-testid="workers-table">
            <Table<WorkerSummary>
              rowKey={(r) => String(r.id)}
              size="middle"
              columns={columns}
              dataSource={list.data?.items ?? []}
              loading={list.isFetching}
              scroll={{ x: 880 }}
              rowClassName={() => 'sg-clickable-row'}
              onRow={(row) => ({ onClick: () => navigate(`/workers/${encodeURIComponent(String(row.id))}`) })}
              onChange={(_p, _f, sorter, extra) => {
                if (extra.action !== 'sort') return;
                const s = Array.isArray(sorter) ? sorter[0] : sorter;
                if (!s?.order) return setState({ sort: undefined, order: undefined, page: undefined });
                const isAge = s.columnKey === 'age';
                const asc = s.order === 'ascend';
                setState({ sort: isAge ? 'birthDate' : 'name', order: (isAge ? !asc : asc) ? undefined : 'desc', page: undefined });
              }}
              pagination={{
                current: page,
                pageSize,
                total: list.data?.total ?? 0,
                showSizeChanger: true,
                pageSizeOptions: [10, 20, 50, 100],
                showTotal: (total) =>
                  list.data?.totalCapped ? t('common.totalAtLeast', { n: formatNumber(total) }) : t('common.total', { n: total }),
                size: isMobile ? 'small' : undefined,
                onChange: (p, ps) => setState({ page: p === 1 ? undefined : p, pageSize: ps === 20 ? undefined : ps }),
              }}
            />
          </div>
        )}
      </Card>
      <WorkerFormDrawer
        open={creating}
        mode="create"
        defaultOrgCode={state.orgCode}
        onClose={() => setCreating(false)}
        onSaved={(w: Worker) => {
          setCreating(false);
          navigate(`/workers/${encodeURIComponent(String(w.id))}`);
        }}
      />
    </>
  );
}
