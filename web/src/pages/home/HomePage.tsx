import { ArrowDownOutlined, ArrowUpOutlined, RightOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Card, Col, Empty, Result, Row, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useMemo } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useCurrentUser, usePermission } from '../../api/auth';
import { useDashboardSummary } from '../../api/dashboard';
import { useEnumLabels } from '../../api/meta';
import type { DashboardChild, DashboardSummary } from '../../api/types';
import { EChart, type EChartItem } from '../../components/ECharts';
import { OrgSelect } from '../../components/OrgSelect';
import { PageTitle } from '../../components/PageTitle';
import { ErrorResult, PageSpin } from '../../components/status';
import { useT } from '../../i18n';
import { formatNumber, formatRatio } from '../../utils/format';
import { useIsMobile, useSearchState } from '../../utils/hooks';
import { ageBandFilter, donut, horizontalBar, verticalBar, type Datum } from './charts';

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
        subTitle={
          me.role === 'worker' && me.workerId ? (
            <>
              {t('home.noDashboard', { org: me.orgName })}
              <br />
              {t('home.myRecordHint')}
            </>
          ) : (
            t('home.noDashboard', { org: me.orgName })
          )
        }
        extra={
          can('workers:read') ? (
            <Link to={me.role === 'worker' && me.workerId ? `/workers/${me.workerId}` : '/workers'}>
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

  const navigate = useNavigate();
  const unknown = t('common.unknown');
  /** Chart data whose items carry the worker-list filter they lead to (none: not clickable). */
  const charts = useMemo(() => {
    const coded = (rows: { code: string; count: number }[], kind: Parameters<typeof label>[0], param: string, empty = 'unknown') =>
      rows.map((d) => ({
        name: !d.code || d.code === 'unknown' ? unknown : d.code === empty ? t('home.qualificationNone') : label(kind, d.code),
        value: d.count,
        filter: !d.code || d.code === 'unknown' || d.code === empty ? undefined : { [param]: d.code },
      }));
    return {
      post: coded(data.byPost, 'posts', 'post'),
      education: coded(data.byEducation, 'educations', 'education'),
      age: data.byAgeBand.map((d) => ({ name: d.band, value: d.count, filter: ageBandFilter(d.band) })),
      politicalStatus: coded(data.byPoliticalStatus, 'politicalStatuses', 'politicalStatus'),
      qualification: coded(data.byQualification, 'qualificationLevels', 'qualificationLevel', 'none'),
      postCategory: data.byPostCategory.map((d) => ({ name: label('postCategories', d.code), value: d.count })),
    };
  }, [data, label, t, unknown]);

  const openList = useCallback(
    (items: (Datum & { filter?: Record<string, string | number> })[]) => (item: EChartItem) => {
      const filter = items.find((d) => d.name === item.name)?.filter;
      if (!filter) return;
      // The charts count workers on the roll; the list shows the same people.
      const qs = new URLSearchParams({ orgCode: data.org.code, onRoll: '1' });
      for (const [k, v] of Object.entries(filter)) qs.set(k, String(v));
      navigate(`/workers?${qs.toString()}`);
    },
    [data.org.code, navigate],
  );

  const postOption = useMemo(() => horizontalBar(charts.post, t('home.headcount')), [charts.post, t]);
  const eduOption = useMemo(() => donut(charts.education, t('home.chart.education')), [charts.education, t]);
  const ageOption = useMemo(() => verticalBar(charts.age, t('home.headcount')), [charts.age, t]);
  const politicalOption = useMemo(() => donut(charts.politicalStatus, t('home.chart.politicalStatus')), [charts.politicalStatus, t]);
  const qualificationOption = useMemo(() => donut(charts.qualification, t('home.chart.qualification')), [charts.qualification, t]);
  const postCategoryOption = useMemo(
    () => donut(charts.postCategory, t('home.chart.postCategory'), { clickable: false }),
    [charts.postCategory, t],
  );
  const onPost = useMemo(() => openList(charts.post), [openList, charts.post]);
  const onEducation = useMemo(() => openList(charts.education), [openList, charts.education]);
  const onAge = useMemo(() => openList(charts.age), [openList, charts.age]);
  const onPolitical = useMemo(() => openList(charts.politicalStatus), [openList, charts.politicalStatus]);
  const onQualification = useMemo(() => openList(charts.qualification), [openList, charts.qualification]);

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

      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
        {t('home.chart.hint')}
      </Typography.Paragraph>
      <Row gutter={[16, 16]} style={{ marginTop: 8 }}>
        <Col xs={24} lg={8}>
          <Card title={t('home.chart.post')} size="small">
            {hasCharts ? <EChart option={postOption} height={280} onItemClick={onPost} data-testid="chart-post" /> : <Empty />}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('home.chart.education')} size="small">
            {hasCharts ? <EChart option={eduOption} height={280} onItemClick={onEducation} data-testid="chart-education" /> : <Empty />}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('home.chart.age')} size="small">
            {hasCharts ? <EChart option={ageOption} height={280} onItemClick={onAge} data-testid="chart-age" /> : <Empty />}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('home.chart.politicalStatus')} size="small">
            {hasCharts ? (
              <EChart option={politicalOption} height={280} onItemClick={onPolitical} data-testid="chart-political-status" />
            ) : (
              <Empty />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('home.chart.qualification')} size="small">
            {hasCharts ? (
              <EChart option={qualificationOption} height={280} onItemClick={onQualification} data-testid="chart-qualification" />
            ) : (
              <Empty />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('home.chart.postCategory')} size="small">
            {hasCharts ? <EChart option={postCategoryOption} height={280} data-testid="chart-post-category" /> : <Empty />}
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
