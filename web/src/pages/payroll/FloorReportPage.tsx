import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, DatePicker, Descriptions, Empty, Flex, Row, Space, Statistic, Table, Tag, type TableProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useCurrentUser } from '../../api/auth';
import { formatFen, usePaySettings } from '../../api/payroll';
import { floorReportExportUrl, useFloorReport, type FloorReport } from '../../api/payroll-inputs';
import { OrgSelect } from '../../components/OrgSelect';
import { PageTitle } from '../../components/PageTitle';
import { ErrorResult } from '../../components/status';
import { useT } from '../../i18n';

type FloorItem = FloorReport['items'][number];

/** 最低工资保障核查: workers of an org node whose pay of a year falls below the previous year's local average urban wage. */
export default function FloorReportPage() {
  const t = useT();
  const me = useCurrentUser();
  const [orgCode, setOrgCode] = useState<string>(me.orgCode);
  // The last complete year is the one to check; the current one is annualised so far.
  const [year, setYear] = useState<Dayjs>(dayjs());
  const query = { orgCode, year: year.year() };
  const report = useFloorReport(query);
  const settings = usePaySettings(orgCode);
  const r = report.data;
  // The wage-floor setting the report used: the floor year's row of the most specific region above the org.
  const floorSetting = r
    ? (settings.data?.wageFloors ?? [])
        .filter((f) => f.year === r.floorYear && (f.regionCode === 'CN' || orgCode.startsWith(f.regionCode)))
        .sort((a, b) => (a.regionCode === 'CN' ? 0 : a.regionCode.length) - (b.regionCode === 'CN' ? 0 : b.regionCode.length))
        .pop()
    : undefined;

  const columns: TableProps<FloorItem>['columns'] = [
    { title: t('floor.worker'), dataIndex: 'workerName', key: 'name' },
    { title: t('floor.community'), dataIndex: 'orgName', key: 'org' },
    { title: t('floor.months'), dataIndex: 'months', key: 'months', align: 'right' },
    { title: t('floor.gross'), dataIndex: 'grossFen', key: 'gross', align: 'right', render: (v: number) => formatFen(v) },
    {
      title: t('floor.annualised'),
      dataIndex: 'annualisedGrossFen',
      key: 'annualised',
      align: 'right',
      render: (v: number) => formatFen(v),
    },
    {
      title: t('floor.floorColumn'),
      key: 'floor',
      align: 'right',
      render: (_, i) => formatFen(i.annualisedGrossFen + i.shortfallFen),
    },
    {
      title: t('floor.shortfall'),
      dataIndex: 'shortfallFen',
      key: 'shortfall',
      align: 'right',
      render: (v: number) => <span style={{ color: '#cf1322' }}>{formatFen(v)}</span>,
    },
    { title: t('floor.message'), dataIndex: 'message', key: 'message' },
  ];

  return (
    <>
      <PageTitle
        title={t('floor.title')}
        subtitle={t('floor.subtitle')}
        extra={
          <Space wrap>
            <OrgSelect
              value={orgCode}
              onChange={(code) => setOrgCode(code ?? me.orgCode)}
              allowClear={false}
              style={{ width: 260, maxWidth: '100%' }}
              data-testid="floor-org"
            />
            <DatePicker
              picker="year"
              value={year}
              allowClear={false}
              onChange={(v) => v && setYear(v)}
              aria-label={t('floor.year')}
              data-testid="floor-year"
            />
            <Button icon={<DownloadOutlined />} href={floorReportExportUrl(query)} data-testid="floor-export">
              {t('floor.export')}
            </Button>
          </Space>
        }
      />
      {report.isError ? (
        <ErrorResult error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <Flex vertical gap={16}>
          {r && r.floorFen === null && <Alert type="warning" showIcon title={t('floor.noFloor', { year: r.floorYear })} />}
          <Card loading={report.isLoading} data-testid="floor-summary">
            <Row gutter={[16, 16]}>
              <Col xs={12} md={6}>
                <Statistic title={t('floor.checked')} value={r?.workersChecked ?? 0} />
              </Col>
              <Col xs={12} md={6}>
                <Statistic
                  title={t('floor.below')}
                  value={r?.items.length ?? 0}
                  styles={{ content: { color: r && r.items.length > 0 ? '#cf1322' : undefined } }}
                  data-testid="floor-below-count"
                />
              </Col>
              <Col xs={24} md={12}>
                <Statistic
                  title={t('floor.floor')}
                  value={r?.floorFen === null || !r ? '—' : formatFen(r.floorFen)}
                  data-testid="floor-floor"
                />
              </Col>
            </Row>
            {r && r.floorFen !== null && (
              <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginTop: 16 }}>
                <Descriptions.Item label={t('floor.floorOf', { year: r.floorYear })}>
                  {formatFen(r.floorFen)}
                  {r.isDemoFloor && (
                    <Tag color="orange" style={{ marginInlineStart: 8 }}>
                      {t('floor.demo')}
                    </Tag>
                  )}
                </Descriptions.Item>
                <Descriptions.Item label={t('floor.region')}>{floorSetting?.regionCode ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('floor.source')}>{floorSetting?.source ?? t('floor.sourceUnknown')}</Descriptions.Item>
              </Descriptions>
            )}
          </Card>
          <Card>
            <Table<FloorItem>
              rowKey="workerId"
              size="small"
              loading={report.isFetching}
              columns={columns}
              dataSource={r?.items ?? []}
              scroll={{ x: 900 }}
              locale={{ emptyText: <Empty description={t('floor.none')} /> }}
              pagination={{ pageSize: 50, showSizeChanger: false }}
              data-testid="floor-table"
            />
          </Card>
        </Flex>
      )}
    </>
  );
}
