import {
  ApartmentOutlined,
  RiseOutlined,
  SafetyCertificateOutlined,
  StopOutlined,
  AuditOutlined,
  EditOutlined,
  FormOutlined,
  HomeOutlined,
  LockOutlined,
  LogoutOutlined,
  MenuOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserDeleteOutlined,
  UserOutlined,
  UserSwitchOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { Button, Drawer, Flex, Layout, Menu, Tag, Tooltip, Typography, type MenuProps } from 'antd';
import { Suspense, useState, type ReactNode } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useCurrentUser, useLogout, usePermission } from '../api/auth';
import { useRoleLabel } from '../api/meta';
import { LangSwitch } from '../components/LangSwitch';
import { PageSpin } from '../components/status';
import { useT } from '../i18n';
import { useIsMobile } from '../utils/hooks';

type MenuItem = NonNullable<MenuProps['items']>[number];

function selectedMenuKey(pathname: string): string {
  const first = pathname.split('/')[1] ?? '';
  return first ? `/${first}` : '/';
}

export default function AppLayout() {
  const me = useCurrentUser();
  const t = useT();
  const can = usePermission();
  const roleLabel = useRoleLabel();
  const isMobile = useIsMobile();
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  const [drawerOpen, setDrawerOpen] = useState(false);

  const entry = (key: string, icon: ReactNode, label: string, testId: string): MenuItem => ({
    key,
    icon,
    label: <span data-testid={testId}>{label}</span>,
  });
  const items: MenuItem[] = [
    entry('/', <HomeOutlined />, t('nav.home'), 'menu-home'),
    ...(can('workers:read') ? [entry('/workers', <TeamOutlined />, t('nav.workers'), 'menu-workers')] : []),
    // The review queue: the street office decides, the community lead follows its community's requests.
    ...(can('corrections:review') || can('workers:write')
      ? [entry('/corrections', <FormOutlined />, t('nav.corrections'), 'menu-corrections')]
      : []),
    // Grading is the street office's and the region's work; a worker sees their own grade on their record.
    ...(can('grades:read') && me.role !== 'worker' ? [entry('/grades', <RiseOutlined />, t('nav.grades'), 'menu-grades')] : []),
    ...(can('payroll:read') ? [entry('/payroll', <WalletOutlined />, t('nav.payroll'), 'menu-payroll')] : []),
    ...(can('payroll:write') ? [entry('/pay-inputs', <EditOutlined />, t('nav.payInputs'), 'menu-pay-inputs')] : []),
    ...(can('payroll:read') ? [entry('/floor-report', <SafetyCertificateOutlined />, t('nav.floorReport'), 'menu-floor-report')] : []),
    // Self-service: a worker's own approved slips.
    ...(me.role === 'worker' && can('payslips:read')
      ? [entry('/my-payslips', <WalletOutlined />, t('nav.myPayslips'), 'menu-my-payslips')]
      : []),
    ...(can('assessment:read') ? [entry('/assessment', <TrophyOutlined />, t('nav.assessment'), 'menu-assessment')] : []),
    ...(can('exits:read') ? [entry('/exits', <UserDeleteOutlined />, t('nav.exits'), 'menu-exits')] : []),
    // The register is the street office's and the region's; a worker sees their own sanctions on their record.
    ...(can('sanctions:read') && me.role !== 'worker' ? [entry('/sanctions', <StopOutlined />, t('nav.sanctions'), 'menu-sanctions')] : []),
    entry('/orgs', <ApartmentOutlined />, t('nav.orgs'), 'menu-orgs'),
    ...(can('users:manage') ? [entry('/users', <UserSwitchOutlined />, t('nav.users'), 'menu-users')] : []),
    ...(can('audit:read') ? [entry('/audit', <AuditOutlined />, t('nav.audit'), 'menu-audit')] : []),
  ];

  const menu = (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={[selectedMenuKey(location.pathname)]}
      onClick={({ key }) => {
        setDrawerOpen(false);
        navigate(key);
      }}
      style={{ borderInlineEnd: 'none' }}
    />
  );

  const onLogout = () => {
    logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });
  };

  const userInfo = (
    <Flex vertical className="sg-user-info">
      <span className="sg-user-name" data-testid="header-user-name">
        <UserOutlined /> {me.displayName}
      </span>
      <span className="sg-user-meta">
        <Tag color="blue" style={{ marginInlineEnd: 6 }} data-testid="header-role">
          {roleLabel(me.role)}
        </Tag>
        <span data-testid="header-org">{me.orgName}</span>
      </span>
    </Flex>
  );

  return (
    <Layout className="sg-layout">
      <Layout.Header className="sg-header">
        {isMobile && (
          <Button
            type="text"
            className="sg-header-btn"
            icon={<MenuOutlined />}
            aria-label={t('nav.openMenu')}
            data-testid="menu-toggle"
            onClick={() => setDrawerOpen(true)}
          />
        )}
        <div className="sg-brand" onClick={() => navigate('/')} role="link" tabIndex={0}>
          <span className="sg-brand-mark">{t('app.name')}</span>
          {!isMobile && <span className="sg-brand-sub">{t('app.subtitle')}</span>}
        </div>
        <div className="sg-header-spacer" />
        {!isMobile && userInfo}
        <LangSwitch />
        <Tooltip title={t('nav.changePassword')}>
          <Button
            type="text"
            className="sg-header-btn"
            icon={<LockOutlined />}
            aria-label={t('nav.changePassword')}
            data-testid="change-password"
            onClick={() => navigate('/change-password')}
          />
        </Tooltip>
        <Button
          type="text"
          className="sg-header-btn"
          icon={<LogoutOutlined />}
          loading={logout.isPending}
          onClick={onLogout}
          data-testid="logout"
        >
          {isMobile ? null : t('nav.logout')}
        </Button>
      </Layout.Header>
      <Layout>
        {!isMobile && (
          <Layout.Sider width={208} theme="light" className="sg-sider">
            {menu}
          </Layout.Sider>
        )}
        <Layout.Content className="sg-content">
          <Suspense fallback={<PageSpin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      {isMobile && (
        <Drawer
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          placement="left"
          size={260}
          title={t('app.name')}
          styles={{ body: { padding: 0 } }}
        >
          <div className="sg-drawer-user">{userInfo}</div>
          {menu}
          <Typography.Paragraph type="secondary" className="sg-drawer-foot">
            {t('app.subtitle')}
          </Typography.Paragraph>
        </Drawer>
      )}
    </Layout>
  );
}
