import { BarChartOutlined, EditOutlined, SearchOutlined, TeamOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Space,
  Spin,
  Tag,
  Tree,
  Typography,
  type DescriptionsProps,
} from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useCurrentUser, usePermission } from '../../api/auth';
import { showServerError } from '../../api/client';
import { useEnumLabels } from '../../api/meta';
import { useOrg, useOrgSearch, useUpdateOrg } from '../../api/orgs';
import type { Org } from '../../api/types';
import { useLazyOrgTree, type OrgTreeNode } from '../../components/orgTree';
import { PageTitle } from '../../components/PageTitle';
import { ErrorResult, PageSpin } from '../../components/status';
import { isMessageKey, useT, type TFunction } from '../../i18n';
import { formatNumber } from '../../utils/format';
import { StaffingStandardCard } from './StaffingStandardCard';
import { useDebouncedValue, useIsMobile, useSearchState } from '../../utils/hooks';

const KEYS = ['code'] as const;

export function useLevelLabel(): (level: number) => string {
  const { label, loaded } = useEnumLabels();
  const t = useT();
  return (level: number) => {
    if (loaded) {
      const l = label('orgLevels', String(level));
      if (l && l !== String(level)) return l;
    }
    const key = `org.level.${level}`;
    return isMessageKey(key) ? t(key) : String(level);
  };
}

export default function OrgsPage() {
  const t = useT();
  const me = useCurrentUser();
  const isMobile = useIsMobile();
  const [state, setState] = useSearchState(KEYS);
  const selected = state.code ?? me.orgCode;
  const tree = useLazyOrgTree(me.orgCode);
  const [expanded, setExpanded] = useState<string[]>([me.orgCode]);
  const [search, setSearch] = useState('');
  const debounced = useDebouncedValue(search, 300);
  const results = useOrgSearch(debounced, 50);
  const searching = search.trim().length > 0;

  const select = (code: string) => setState({ code: code === me.orgCode ? undefined : code });

  /** Selects a search hit and opens the tree down to it. */
  const reveal = async (org: Org) => {
    select(org.code);
    const ancestry = org.path.map((p) => p.code);
    const start = ancestry.indexOf(me.orgCode);
    const chain = start >= 0 ? ancestry.slice(start) : [];
    try {
      for (const code of chain) await tree.load(code);
    } catch {
      // the tree stays as it is; the side panel still shows the org
    }
    setExpanded((prev) => [...new Set([...prev, ...chain])]);
    setSearch('');
  };

  return (
    <>
      <PageTitle title={t('orgs.title')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} md={10} xl={9}>
          <Card size="small">
            <Input
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder={t('orgs.searchPlaceholder')}
              prefix={<SearchOutlined style={{ color: 'rgba(0,0,0,0.35)' }} />}
              allowClear
              style={{ marginBottom: 12 }}
              data-testid="orgs-search"
            />
            {searching ? (
              <Spin spinning={results.isFetching || search !== debounced}>
                {(results.data?.items ?? []).length === 0 ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.noData')} />
                ) : (
                  <ul className="sg-result-list">
                    {(results.data?.items ?? []).map((org) => (
                      <li
                        key={org.code}
                        role="button"
                        tabIndex={0}
                        onClick={() => void reveal(org)}
                        onKeyDown={(e) => {
                          if (e.key === 'Enter') void reveal(org);
                        }}
                        data-testid="orgs-search-result"
                      >
                        <div className="sg-result-title">{org.name}</div>
                        <Typography.Text type="secondary" className="sg-result-desc">
                          {[...org.path.map((p) => p.name), org.code].join(' / ')}
                        </Typography.Text>
                      </li>
                    ))}
                  </ul>
                )}
                {results.data && results.data.total > results.data.items.length && (
                  <Typography.Text type="secondary">
                    {t('orgs.searchMore', { shown: results.data.items.length, total: results.data.total })}
                  </Typography.Text>
                )}
              </Spin>
            ) : tree.root.isPending ? (
              <PageSpin />
            ) : tree.root.isError ? (
              <ErrorResult error={tree.root.error} />
            ) : (
              <Tree<OrgTreeNode>
                treeData={tree.treeData}
                loadData={(node) => tree.load(String(node.key))}
                expandedKeys={expanded}
                onExpand={(keys) => setExpanded(keys.map(String))}
                selectedKeys={[selected]}
                onSelect={(keys) => {
                  if (keys.length) select(String(keys[0]));
                }}
                height={isMobile ? undefined : 600}
                blockNode
                titleRender={(node) => (
                  <span>
                    {node.org.name}
                    <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
                      {node.org.code}
                    </Typography.Text>
                  </span>
                )}
                data-testid="orgs-tree"
              />
            )}
          </Card>
        </Col>
        <Col xs={24} md={14} xl={15}>
          <Flex vertical gap={16}>
            <OrgPanel code={selected} key={selected} onSaved={tree.replace} />
            <OrgStandard code={selected} key={`std-${selected}`} />
          </Flex>
        </Col>
      </Row>
    </>
  );
}

interface OrgForm {
  population: number | null;
  households: number | null;
}

function OrgPanel({ code, onSaved }: { code: string; onSaved: (org: Org) => void }) {
  const t = useT();
  const can = usePermission();
  const navigate = useNavigate();
  const levelLabel = useLevelLabel();
  const { message } = App.useApp();
  const org = useOrg(code);
  const update = useUpdateOrg();
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<OrgForm>();

  if (org.isPending) {
    return (
      <Card>
        <Spin />
      </Card>
    );
  }
  if (org.isError) return <ErrorResult error={org.error} onRetry={() => void org.refetch()} />;
  const o = org.data;

  const onFinish = (v: OrgForm) => {
    update.mutate(
      { code: o.code, patch: { population: v.population ?? null, households: v.households ?? null } },
      {
        onSuccess: (saved) => {
          message.success(t('common.saved'));
          onSaved(saved);
          setEditing(false);
        },
        onError: (err) => showServerError(form, err, ['population', 'households'] as const, (m) => void message.error(m)),
      },
    );
  };

  const items: DescriptionsProps['items'] = [
    { key: 'name', label: t('org.name'), children: o.name },
    { key: 'code', label: t('org.code'), children: <span className="sg-mono">{o.code}</span> },
    { key: 'level', label: t('org.level'), children: <Tag>{levelLabel(o.level)}</Tag> },
    {
      key: 'path',
      label: t('org.path'),
      children: o.path.length ? o.path.map((p) => p.name).join(' / ') : '—',
    },
    { key: 'population', label: t('org.population'), children: popText(o.population, t) },
    { key: 'households', label: t('org.households'), children: popText(o.households, t) },
  ];

  return (
    <Card
      title={o.name}
      extra={
        <Space wrap>
          {can('dashboard:read') && (
            <Button size="small" icon={<BarChartOutlined />} onClick={() => navigate(`/?org=${encodeURIComponent(o.code)}`)}>
              {t('orgs.viewDashboard')}
            </Button>
          )}
          {can('workers:read') && (
            <Button size="small" icon={<TeamOutlined />} onClick={() => navigate(`/workers?orgCode=${encodeURIComponent(o.code)}`)}>
              {t('orgs.viewWorkers')}
            </Button>
          )}
        </Space>
      }
      data-testid="org-panel"
    >
      <Descriptions bordered size="small" column={1} items={items} />
      {can('orgs:write') && !editing && (
        <Button style={{ marginTop: 16 }} icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="org-edit">
          {t('orgs.editPopulation')}
        </Button>
      )}
      {editing && (
        <Form<OrgForm>
          form={form}
          layout="vertical"
          style={{ marginTop: 16, maxWidth: 420 }}
          initialValues={{ population: o.population, households: o.households }}
          onFinish={onFinish}
        >
          <Form.Item name="population" label={t('org.population')}>
            <InputNumber min={0} precision={0} step={100} style={{ width: '100%' }} data-testid="org-population" />
          </Form.Item>
          <Form.Item
            name="households"
            label={t('org.households')}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, value: number | null) => {
                  const pop = getFieldValue('population') as number | null;
                  return value == null || pop == null || value <= pop
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('orgs.householdsTooMany')));
                },
              }),
            ]}
          >
            <InputNumber min={0} precision={0} step={10} style={{ width: '100%' }} data-testid="org-households" />
          </Form.Item>
          <Flex gap={8}>
            <Button onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
            <Button type="primary" htmlType="submit" loading={update.isPending} data-testid="org-save">
              {t('common.save')}
            </Button>
          </Flex>
        </Form>
      )}
      {!o.hasChildren && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('orgs.leaf')} style={{ marginTop: 16 }} />}
    </Card>
  );
}

/** The staffing standard card, for users who may read the figures (the endpoint needs dashboard:read). */
function OrgStandard({ code }: { code: string }) {
  const can = usePermission();
  const org = useOrg(code);
  if (!can('dashboard:read') || !org.data) return null;
  return <StaffingStandardCard org={org.data} />;
}

function popText(v: number | null, t: TFunction) {
  return v === null ? <Typography.Text type="secondary">{t('org.notEntered')}</Typography.Text> : formatNumber(v);
}
