import { WarningOutlined } from '@ant-design/icons';
import { Badge, Collapse, Empty, List, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useContractAlerts } from '../../api/contracts';
import type { ContractAlert } from '../../api/types';
import { isMessageKey, useT } from '../../i18n';
import { formatDate } from '../../utils/format';

const SHOWN = 10;
const KIND_COLOR: Record<string, string> = {
  contract_ending: 'orange',
  probation_ending: 'blue',
  no_contract: 'red',
  missing_insurance: 'gold',
};

/** 合同预警: contracts and probation ending, no contract, missing insurance — collapsed, with the count. */
export function ContractAlertsCard({ orgCode }: { orgCode?: string }) {
  const t = useT();
  const q = useContractAlerts({ orgCode, page: 1, pageSize: SHOWN });
  const total = q.data?.total ?? 0;
  const kindLabel = (kind: string) => {
    const key = `alerts.kind.${kind}`;
    return isMessageKey(key) ? t(key) : kind;
  };
  if (q.isError) return null;
  return (
    <Collapse
      size="small"
      style={{ marginBottom: 16, background: '#fff' }}
      data-testid="contract-alerts"
      items={[
        {
          key: 'alerts',
          label: (
            <Space>
              <WarningOutlined style={{ color: total ? '#fa8c16' : undefined }} />
              {t('alerts.title')}
              <Badge count={total} overflowCount={999} showZero color={total ? '#fa8c16' : '#bfbfbf'} />
            </Space>
          ),
          children:
            total === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('alerts.none')} />
            ) : (
              <>
                <List<ContractAlert>
                  size="small"
                  dataSource={q.data?.items ?? []}
                  renderItem={(a) => (
                    <List.Item>
                      <Space wrap size={[8, 2]}>
                        <Tag color={KIND_COLOR[a.kind] ?? 'default'}>{kindLabel(a.kind)}</Tag>
                        <Link to={`/workers/${a.workerId}`}>{a.workerName}</Link>
                        <Typography.Text type="secondary">{a.orgName}</Typography.Text>
                        {a.dueDate && <Typography.Text>{t('alerts.due', { date: formatDate(a.dueDate) })}</Typography.Text>}
                        <Typography.Text type="secondary">{a.detail}</Typography.Text>
                      </Space>
                    </List.Item>
                  )}
                />
                {total > SHOWN && <Typography.Text type="secondary">{t('alerts.more', { n: total, shown: SHOWN })}</Typography.Text>}
              </>
            ),
        },
      ]}
    />
  );
}
