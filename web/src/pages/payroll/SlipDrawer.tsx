import { Descriptions, Drawer, Table, Tag, Typography } from 'antd';
import { formatFen, usePayslip, type SlipLine, type SlipLineKind } from '../../api/payroll';
import { ErrorResult } from '../../components/status';
import { useT, type TFunction } from '../../i18n';

const SIGN: Record<SlipLineKind, 1 | -1> = { earning: 1, preTaxDeduction: -1, insurance: -1, tax: -1, postTaxDeduction: -1 };

/** 三岗十八级 band keys; other schemes' keys are shown as stored. */
const BAND_LABELS: Record<string, string> = { principal: '正职', deputy: '副职', staff: '其他' };
export const bandLabel = (band: string) => BAND_LABELS[band] ?? band;

function kindLabel(t: TFunction, kind: SlipLineKind): string {
  return t(`payroll.line.${kind}` as Parameters<TFunction>[0]);
}

/** A pay slip with every line item, its totals and the rule versions that produced it. */
export function SlipDrawer({ slipId, onClose }: { slipId: number | undefined; onClose: () => void }) {
  const t = useT();
  const slip = usePayslip(slipId);
  const s = slip.data;
  return (
    <Drawer open={!!slipId} onClose={onClose} size="large" title={t('payroll.slip.title')} destroyOnHidden>
      {slip.isError ? (
        <ErrorResult error={slip.error} onRetry={() => void slip.refetch()} />
      ) : s ? (
        <div data-testid="payslip-drawer">
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('payroll.slip.worker')}>{s.workerName}</Descriptions.Item>
            <Descriptions.Item label={t('payroll.month')}>{s.month}</Descriptions.Item>
            <Descriptions.Item label={t('payroll.slip.org')}>{s.orgName}</Descriptions.Item>
            <Descriptions.Item label={t('payroll.slip.grade')}>
              {bandLabel(s.band)} {t('payroll.slip.level', { level: s.level })}
              {!s.isFinal && (
                <Tag color="orange" style={{ marginInlineStart: 8 }}>
                  {t('payroll.slip.draft')}
                </Tag>
              )}
            </Descriptions.Item>
          </Descriptions>
          <Table<SlipLine>
            style={{ marginTop: 16 }}
            size="small"
            rowKey={(l, i) => `${l.code}-${i}`}
            pagination={false}
            dataSource={s.lines}
            data-testid="payslip-lines"
            columns={[
              { title: t('payroll.slip.item'), dataIndex: 'nameZh', key: 'name' },
              { title: t('payroll.slip.kind'), dataIndex: 'kind', key: 'kind', render: (k: SlipLineKind) => kindLabel(t, k) },
              {
                title: t('payroll.slip.amount'),
                key: 'amount',
                align: 'right',
                render: (_, l) => (
                  <Typography.Text type={SIGN[l.kind] < 0 && l.amountFen > 0 ? 'danger' : undefined}>
                    {SIGN[l.kind] < 0 && l.amountFen > 0 ? '−' : ''}
                    {formatFen(l.amountFen)}
                  </Typography.Text>
                ),
              },
              {
                title: t('payroll.slip.rule'),
                dataIndex: 'ruleRef',
                key: 'rule',
                render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text>,
              },
            ]}
          />
          <Descriptions style={{ marginTop: 16 }} size="small" column={1} bordered>
            <Descriptions.Item label={t('payroll.gross')}>{formatFen(s.grossFen)}</Descriptions.Item>
            <Descriptions.Item label={t('payroll.employeeInsurance')}>{formatFen(s.employeeInsuranceFen)}</Descriptions.Item>
            <Descriptions.Item label={t('payroll.tax')}>{formatFen(s.taxFen)}</Descriptions.Item>
            <Descriptions.Item label={t('payroll.net')}>
              <Typography.Text strong data-testid="payslip-net">
                {formatFen(s.netFen)}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('payroll.employerInsurance')}>{formatFen(s.employerInsuranceFen)}</Descriptions.Item>
            <Descriptions.Item label={t('payroll.slip.cumulative')}>
              {t('payroll.slip.cumulativeText', {
                months: s.taxMonths,
                gross: formatFen(s.cumulativeGrossFen),
                tax: formatFen(s.cumulativeTaxFen),
              })}
            </Descriptions.Item>
            <Descriptions.Item label={t('payroll.slip.rules')}>
              {s.rules.payTable} · {s.rules.insuranceRule} · {s.rules.taxRule}
            </Descriptions.Item>
          </Descriptions>
        </div>
      ) : null}
    </Drawer>
  );
}
