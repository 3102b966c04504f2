import { ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, AutoComplete, Button, Card, DatePicker, Descriptions, Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useAuditLog, useVerifyAudit } from '../../api/audit';
import { useCurrentUser } from '../../api/auth';
import { useRoleLabel } from '../../api/meta';
import type { AuditEntry, AuditVerifyResult } from '../../api/types';
import { JsonDiff } from '../../components/JsonDiff';
import { OrgSelect } from '../../components/OrgSelect';
import { PageTitle } from '../../components/PageTitle';
import { SearchInput } from '../../components/SearchInput';
import { ErrorResult } from '../../components/status';
import { useLang, useT } from '../../i18n';
import { DATE_FORMAT, formatDateTime } from '../../utils/format';
import { toInt, useIsMobile, useSearchState } from '../../utils/hooks';
import { auditActionLabel } from './action-labels';

const KEYS = ['action', 'actor', 'entityType', 'from', 'to', 'orgCode', 'page', 'pageSize'] as const;
const VERIFY_ROLES = ['sys_admin', 'auditor'];
const ENTITY_TYPES = ['worker', 'user', 'org', 'session', 'auth'];

export default function AuditPage() {
  const t = useT();
  const { lang } = useLang();
  const me = useCurrentUser();
  const isMobile = useIsMobile();
  const roleLabel = useRoleLabel();
  const [state, setState] = useSearchState(KEYS);
  const page = toInt(state.page, 1);
  const pageSize = toInt(state.pageSize, 20);
  const from = state.from && dayjs(state.from).isValid() ? dayjs(state.from) : null;
  const to = state.to && dayjs(state.to).isValid() ? dayjs(state.to) : null;

  const list = useAuditLog({
    page,
    pageSize,
    action: state.action,
    actor: state.actor,
    entityType: state.entityType,
    orgCode: state.orgCode,
    from: from ? from.startOf('day').toISOString() : undefined,
    to: to ? to.endOf('day').toISOString() : undefined,
  });
  const verify = useVerifyAudit();
  const [verifyResult, setVerifyResult] = useState<AuditVerifyResult | null>(null);
  const [verifyError, setVerifyError] = useState<string | null>(null);

  // Suggestions for the free-text filters: what this page has already shown.
  const [seenActions, setSeenActions] = useState<string[]>([]);
  const items = list.data?.items;
  const actionOptions = useMemo(() => {
    const all = new Set([...seenActions, ...(items ?? []).map((i) => i.action)]);
    return [...all].sort().map((a) => ({ value: a, label: `${auditActionLabel(a, lang)} (${a})` }));
  }, [seenActions, items, lang]);
  const entityOptions = useMemo(() => {
    const all = new Set([...ENTITY_TYPES, ...(items ?? []).map((i) => i.entityType)]);
    return [...all].sort().map((a) => ({ value: a }));
  }, [items]);

  const runVerify = () => {
    setVerifyError(null);
    setVerifyResult(null);
    verify.mutate(undefined, {
      onSuccess: (res) => setVerifyResult(res),
      onError: (err) => setVerifyError(err.message),
    });
  };

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.seq'), dataIndex: 'seq', key: 'seq', width: 80, fixed: isMobile ? undefined : 'left' },
    { title: t('audit.ts'), dataIndex: 'ts', key: 'ts', width: 170, render: (v: string) => formatDateTime(v) },
    {
      title: t('audit.actor'),
      key: 'actor',
      width: 170,
      render: (_, e) =>
        e.actorName || e.actorId ? (
          <Flex vertical>
            <span>{e.actorName ?? e.actorId}</span>
            {e.actorRole && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {roleLabel(e.actorRole)}
              </Typography.Text>
            )}
          </Flex>
        ) : (
          <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>
        ),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      key: 'action',
      width: 180,
      render: (v: string) => (
        <Tag color="geekblue" title={v}>
          {auditActionLabel(v, lang)}
        </Tag>
      ),
    },
    { title: t('audit.entityType'), dataIndex: 'entityType', key: 'entityType', width: 110 },
    {
      title: t('audit.entityId'),
      dataIndex: 'entityId',
      key: 'entityId',
      width: 140,
      ellipsis: true,
      render: (v: string | null) => v ?? '—',
    },
    { title: t('audit.org'), dataIndex: 'orgCode', key: 'orgCode', width: 130, render: (v: string | null) => v ?? '—' },
    { title: t('audit.ip'), dataIndex: 'ip', key: 'ip', width: 130, render: (v: string | null) => v ?? '—' },
  ];

  return (
    <>
      <PageTitle
        title={t('audit.title')}
        extra={
          VERIFY_ROLES.includes(me.role) && (
            <Button icon={<SafetyCertificateOutlined />} onClick={runVerify} loading={verify.isPending} data-testid="audit-verify">
              {t('audit.verify')}
            </Button>
          )
        }
      />
      {verifyResult && (
        <Alert
          type={verifyResult.ok ? 'success' : 'error'}
          showIcon
          closable={{ onClose: () => setVerifyResult(null) }}
          style={{ marginBottom: 16 }}
          title={
            verifyResult.ok
              ? t('audit.verifyOk', { n: verifyResult.checked })
              : t('audit.verifyBroken', {
                  seq: verifyResult.firstBrokenSeq ?? '?',
                  n: verifyResult.checked,
                })
          }
          description={verifyResult.ok ? undefined : verifyResult.reason}
          data-testid="audit-verify-result"
        />
      )}
      {verifyError && (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => setVerifyError(null) }}
          style={{ marginBottom: 16 }}
          title={verifyError}
          data-testid="audit-verify-result"
        />
      )}
      <Card size="small">
        <Flex className="sg-filters" gap={8} wrap>
          <AutoComplete
            className="sg-filter"
            key={`a-${state.action ?? ''}`}
            defaultValue={state.action}
            options={actionOptions}
            allowClear
            placeholder={t('audit.action')}
            onSelect={(v: string) => setState({ action: v, page: undefined })}
            onBlur={(e) => {
              const v = (e.target as HTMLInputElement).value.trim();
              if (v !== (state.action ?? '')) setState({ action: v || undefined, page: undefined });
            }}
            onClear={() => setState({ action: undefined, page: undefined })}
            showSearch={{
              filterOption: (input, option) => String(option?.value ?? '').includes(input),
            }}
            data-testid="audit-filter-action"
          />
          <SearchInput
            className="sg-filter"
            value={state.actor}
            placeholder={t('audit.actorPlaceholder')}
            onSearch={(v) => setState({ actor: v, page: undefined })}
            data-testid="audit-filter-actor"
          />
          <AutoComplete
            className="sg-filter"
            key={`e-${state.entityType ?? ''}`}
            defaultValue={state.entityType}
            options={entityOptions}
            allowClear
            placeholder={t('audit.entityType')}
            onSelect={(v: string) => setState({ entityType: v, page: undefined })}
            onBlur={(e) => {
              const v = (e.target as HTMLInputElement).value.trim();
              if (v !== (state.entityType ?? '')) setState({ entityType: v || undefined, page: undefined });
            }}
            onClear={() => setState({ entityType: undefined, page: undefined })}
            data-testid="audit-filter-entity"
          />
          <DatePicker.RangePicker
            className="sg-filter"
            style={{ width: isMobile ? '100%' : 260 }}
            value={[from, to]}
            allowEmpty={[true, true]}
            format={DATE_FORMAT}
            onChange={(range) =>
              setState({
                from: range?.[0]?.format(DATE_FORMAT),
                to: range?.[1]?.format(DATE_FORMAT),
                page: undefined,
              })
            }
            data-testid="audit-filter-dates"
          />
          <OrgSelect
            className="sg-filter"
            value={state.orgCode}
            onChange={(code) => setState({ orgCode: code, page: undefined })}
            placeholder={t('filter.orgAll')}
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={() => {
              setSeenActions(actionOptions.map((o) => o.value));
              setState({
                action: undefined,
                actor: undefined,
                entityType: undefined,
                from: undefined,
                to: undefined,
                orgCode: undefined,
                page: undefined,
              });
            }}
          >
            {t('common.reset')}
          </Button>
        </Flex>
        {list.isError && !list.data ? (
          <ErrorResult error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <div data-testid="audit-table">
            <Table<AuditEntry>
              rowKey="seq"
              size="middle"
              columns={columns}
              dataSource={items ?? []}
              loading={list.isFetching}
              scroll={{ x: 1110 }}
              expandable={{
                expandedRowRender: (e) => (
                  <div style={{ maxWidth: isMobile ? '85vw' : 960 }}>
                    <Descriptions
                      size="small"
                      column={{ xs: 1, sm: 2, md: 3 }}
                      style={{ marginBottom: 8 }}
                      items={[
                        { key: 'actorId', label: t('audit.actorId'), children: e.actorId ?? '—' },
                        { key: 'entity', label: t('audit.entity'), children: `${e.entityType} ${e.entityId ?? ''}` },
                        { key: 'ts', label: t('audit.ts'), children: e.ts },
                      ]}
                    />
                    <JsonDiff before={e.before} after={e.after} />
                  </div>
                ),
              }}
              pagination={{
                current: page,
                pageSize,
                total: list.data?.total ?? 0,
                showSizeChanger: true,
                pageSizeOptions: [20, 50, 100, 200],
                showTotal: (total) => t('common.total', { n: total }),
                onChange: (p, ps) => setState({ page: p === 1 ? undefined : p, pageSize: ps === 20 ? undefined : ps }),
              }}
            />
          </div>
        )}
      </Card>
    </>
  );
}
