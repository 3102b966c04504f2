import { ArrowDownOutlined, ArrowUpOutlined, RightOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Card, Col, Empty, Result, Row, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { useCurrentUser, usePermission } from '../../api/auth';
import { useDashboardSummary } from '../../api/dashboard';
import { useEnumLabels } from '../../api/meta';
import type { DashboardChild, DashboardSummary } from '../../api/types';
import { EChart } from '../../components/ECharts';
import { OrgSelect } from '../../components/OrgSelect';
import { PageTitle } from '../../components/PageTitle';
import { ErrorResult, PageSpin } from '../../components/status';
import { useT } from '../../i18n';
import { formatNumber, formatRatio } from '../../utils/format';
import { useIsMobile, useSearchState } from '../../utils/hooks';
import { donut, horizontalBar, verticalBar } from './charts';

const KEYS = ['org'] as const;

export default function HomePage() {
  const can = usePermission();
  const me = useCurrentUser();
  const t = useT();
  if (!can('dashboard:read')) {
    return (
      <Result
        status="info"
        title={t('home.welcome', { name: me.displayName })}
        subTitle={t('home.noDashboard', { org: me.orgName })}
        extra={
          can('workers:read') ? (
            <Link to="/workers">
              <Button type="primary">{me.role === 'worker' ? t('home.myRecord') : t('nav.workers')}</Button>
            </Link>
          ) : undefined
        }
      />
    );
  }
  return <Dashboard />;
}

function ratioOk(ratio: number | null, standard: number): boolean | null {
  if (ratio === null || ratio === undefined) return null;
  return ratio >= standard;
}

function Dashboard() {
  const t = useT();
  const me = useCurrentUser();
  const [state, setState] = useSearchState(KEYS);
  const orgCode = state.org ?? me.orgCode;
  const summary = useDashboardSummary(orgCode);
  const select = (code: string | undefined) => setState({ org: !code || code === me.orgCode ? undefined : code }, { push: true });

  return (
    <>
      <PageTitle
        title={t('home.title')}
        extra={
          <OrgSelect
            value={orgCode}
            allowClear={false}
            onChange={select}
            style={{ width: 260, maxWidth: '100%' }}
            data-testid="home-org-select"
          />
        }
      />
      {summary.isPending ? (
        <PageSpin />
      ) : summary.isError ? (
        <ErrorResult error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <DashboardBody data={summary.data} rootCode={me.orgCode} onSelect={select} loading={summary.isFetching} />
      )}
    </>
  );
}

function DashboardBody({
  data,
  rootCode,
  onSelect,
  loading,
}: {
  data: DashboardSummary;
  rootCode: string;
  onSelect: (code: string) => void;
  loading: boolean;
}) {
  const t = useT();
  const { label } = useEnumLabels();
  const isMobile = useIsMobile();
  const ok = ratioOk(data.ratioPer10k, data.standardPer10k);

  // Ancestors at or below the user's own org are reachable; the ones above are shown as plain text.
  const rootIndex = data.org.path.findIndex((p) => p.code === rootCode);
  const crumbs = [
    ...data.org.path.map((p, i) => ({
      title:
        rootIndex >= 0 && i >= rootIndex ? (
          <a
            onClick={(e) => {
              e.preventDefault();
              onSelect(p.code);
            }}
            href={`/?org=${encodeURIComponent(p.code)}`}
          >
            {p.name}
          </a>
        ) : (
          p.name
        ),
    })),
    { title: data.org.name },
  ];

  const postOption = useMemo(
    () =>
      horizontalBar(
        data.byPost.map((d) => ({ name: d.code && d.code !== 'unknown' ? label('posts', d.code) : t('common.unknown'), value: d.count })),
        t('home.headcount'),
      ),
    [data.byPost, label, t],
  );
  const eduOption = useMemo(
    () =>
      donut(
        data.byEducation.map((d) => ({
          name: d.code && d.code !== 'unknown' ? label('educations', d.code) : t('common.unknown'),
          value: d.count,
        })),
        t('home.chart.education'),
      ),
    [data.byEducation, label, t],
  );
  const ageOption = useMemo(
    () =>
      verticalBar(
        data.byAgeBand.map((d) => ({ name: d.band, value: d.count })),
        t('home.headcount'),
      ),
    [data.byAgeBand, t],
  );

  const childColumns: TableColumnsType<DashboardChild> = [
    { title: t('home.children.name'), dataIndex: 'name', key: 'name', fixed: isMobile ? undefined : 'left' },
    {
      title: t('home.headcount'),
      dataIndex: 'headcount',
      key: 'headcount',
      align: 'right',
      render: (v: number) => formatNumber(v),
      sorter: (a, b) => a.headcount - b.headcount,
    },
    {
      title: t('home.population'),
      dataIndex: 'population',
      key: 'population',
      align: 'right',
      render: (v: number | null) => formatNumber(v),
      sorter: (a, b) => (a.population ?? -1) - (b.population ?? -1),
    },
    {
      title: t('home.standard'),
      dataIndex: 'standardHeadcount',
      key: 'standardHeadcount',
      align: 'right',
      render: (v: number | null) => formatNumber(v),
    },
    {
      title: t('home.ratio'),
      dataIndex: 'ratioPer10k',
      key: 'ratioPer10k',
      align: 'right',
      sorter: (a, b) => (a.ratioPer10k ?? -1) - (b.ratioPer10k ?? -1),
      render: (v: number | null, row: DashboardChild) => {
        const good = ratioOk(v, row.standardPer10k);
        if (good === null) return <Typography.Text type="secondary">—</Typography.Text>;
        return <Tag color={good ? 'success' : 'error'}>{formatRatio(v)}</Tag>;
      },
    },
    {
      key: 'go',
      width: 48,
      render: () => <RightOutlined style={{ color: 'rgba(0,0,0,0.35)' }} />,
    },
  ];

  const hasCharts = data.headcount > 0;

  return (
    <div data-testid="home-dashboard">
      <Breadcrumb items={crumbs} style={{ marginBottom: 12 }} />
      <Row gutter={[16, 16]}>
        <Col xs={12} xl={6}>
          <Card className="sg-stat-card">
            <Statistic
              title={t('home.headcount')}
              value={data.headcount}
              formatter={(v) => <span data-testid="home-headcount">{typeof v === 'number' ? formatNumber(v) : v}</span>}
            />
            <div className="sg-stat-note">{t('home.headcountNote')}</div>
          </Card>
        </Col>
        <Col xs={12} xl={6}>
          <Card className="sg-stat-card">
            <Statistic
              title={t('home.population')}
              value={data.population ?? '—'}
              formatter={(v) => <span data-testid="home-population">{typeof v === 'number' ? formatNumber(v) : v}</span>}
            />
            <div className="sg-stat-note">
              {data.population === null
                ? t('home.populationMissing')
                : data.households === null
                  ? t('home.householdsMissing')
                  : t('home.households', { n: formatNumber(data.households) })}
            </div>
          </Card>
        </Col>
        <Col xs={12} xl={6}>
          <Card className="sg-stat-card">
            <Statistic
              title={t('home.standard')}
              value={data.standardHeadcount ?? '—'}
              formatter={(v) => <span data-testid="home-standard">{typeof v === 'number' ? formatNumber(v) : v}</span>}
            />
            <div className="sg-stat-note" data-testid="home-standard-source">
              {t('home.standardNote', { n: data.standardPer10k })}
              {data.standard.source === 'rule'
                ? t('home.standardRule', { org: data.standard.orgName ?? '', date: data.standard.effectiveFrom ?? '' })
                : t('home.standardDefault')}
            </div>
          </Card>
        </Col>
        <Col xs={12} xl={6}>
          <Card className="sg-stat-card">
            <Statistic
              title={t('home.ratio')}
              value={data.ratioPer10k ?? '—'}
              prefix={ok === null ? undefined : ok ? <ArrowUpOutlined /> : <ArrowDownOutlined />}
              styles={{ content: { color: ok === null ? undefined : ok ? '#389e0d' : '#cf1322' } }}
              formatter={(v) => (
                <span data-testid="home-ratio" data-status={ok === null ? 'unknown' : ok ? 'ok' : 'below'}>
                  {typeof v === 'number' ? formatRatio(v) : v}
                </span>
              )}
            />
            <div className={`sg-stat-note ${ok === null ? '' : ok ? 'sg-ok' : 'sg-bad'}`}>
              {ok === null
                ? t('home.ratioUnknown')
                : ok
                  ? t('home.ratioOk', { n: data.standardPer10k })
                  : t('home.ratioBelow', { n: data.standardPer10k })}
            </div>
          </Card>
        </Col>
      </Row>

      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={8}>
          <Card title={t('home.chart.post')} size="small">
            {hasCharts ? <EChart option={postOption} height={280} data-testid="chart-post" /> : <Empty />}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('home.chart.education')} size="small">
            {hasCharts ? <EChart option={eduOption} height={280} data-testid="chart-education" /> : <Empty />}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('home.chart.age')} size="small">
            {hasCharts ? <EChart option={ageOption} height={280} data-testid="chart-age" /> : <Empty />}
          </Card>
        </Col>
      </Row>

      <Card title={t('home.children.title')} size="small" style={{ marginTop: 16 }}>
        <div data-testid="home-children">
          <Table<DashboardChild>
            rowKey="code"
            size="middle"
            columns={childColumns}
            dataSource={data.children}
            loading={loading}
            pagination={data.children.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            scroll={{ x: 720 }}
            rowClassName={() => 'sg-clickable-row'}
            onRow={(row) => ({ onClick: () => onSelect(row.code) })}
            locale={{ emptyText: t('home.children.empty') }}
          />
        </div>
      </Card>
    </div>
  );
}
