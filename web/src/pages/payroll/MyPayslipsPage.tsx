import { Button, Card, Table } from 'antd';
import { useState } from 'react';
import { formatFen, useMyPayslips, type PayslipSummary } from '../../api/payroll';
import { PageTitle } from '../../components/PageTitle';
import { ErrorResult } from '../../components/status';
import { useT } from '../../i18n';
import { SlipDrawer } from './SlipDrawer';

/** 我的工资条: the worker's own approved slips, newest first. */
export default function MyPayslipsPage() {
  const t = useT();
  const [page, setPage] = useState(1);
  const [slipId, setSlipId] = useState<number | undefined>();
  const slips = useMyPayslips({ page, pageSize: 12 });
  return (
    <>
      <PageTitle title={t('payroll.mine.title')} />
      <Card>
        {slips.isError ? (
          <ErrorResult error={slips.error} onRetry={() => void slips.refetch()} />
        ) : (
          <Table<PayslipSummary>
            rowKey="id"
            size="small"
            loading={slips.isFetching}
            dataSource={slips.data?.items ?? []}
            pagination={{ current: page, pageSize: 12, total: slips.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
            data-testid="my-payslips-table"
            columns={[
              {
                title: t('payroll.month'),
                key: 'month',
                render: (_, s) => (
                  <Button type="link" size="small" onClick={() => setSlipId(s.id)} data-testid={`my-payslip-${s.month}`}>
                    {s.month}
                  </Button>
                ),
              },
              { title: t('payroll.gross'), key: 'gross', align: 'right', render: (_, s) => formatFen(s.grossFen) },
              { title: t('payroll.employeeInsurance'), key: 'ins', align: 'right', render: (_, s) => formatFen(s.employeeInsuranceFen) },
              { title: t('payroll.tax'), key: 'tax', align: 'right', render: (_, s) => formatFen(s.taxFen) },
              { title: t('payroll.net'), key: 'net', align: 'right', render: (_, s) => formatFen(s.netFen) },
            ]}
          />
        )}
      </Card>
      <SlipDrawer slipId={slipId} onClose={() => setSlipId(undefined)} />
    </>
  );
}
