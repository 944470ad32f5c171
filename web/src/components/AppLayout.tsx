import { MenuOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Link, Outlet, useLocation } from 'react-router';

import { useConnected } from '../api/live';
import { signOut, type Session } from '../api/session';
import { useMe } from './me';
import { menuOf } from './nav';
import { LanguageSwitch } from './LanguageSwitch';

const { Header, Sider, Content } = Layout;

/** The frame of every screen: the role's menu, who is signed in, language, sign-out. */
export function AppLayout({ session }: { session: Session }) {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useMe();
  const [collapsed, setCollapsed] = useState(false);
  const connected = useConnected();
  const items = menuOf(session).map(([path, key]) => ({
    key: path,
    label: <Link to={path}>{t(key)}</Link>,
  }));
  // The longest menu path that the current location starts with.
  const selected = items
    .map((i) => i.key)
    .filter((k) => location.pathname === k || location.pathname.startsWith(`${k}/`))
    .sort((a, b) => b.length - a.length)[0];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <Sider
        breakpoint="lg"
        collapsedWidth={0}
        collapsed={collapsed}
        onCollapse={setCollapsed}
        trigger={null}
        width={200}
        aria-label={t('nav.menu')}
      >
        <div style={{ color: '#fff', padding: '16px', fontWeight: 600 }}>{t('app.title')}</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          items={items}
          onClick={() => {
            if (window.innerWidth < 992) setCollapsed(true);
          }}
        />
      </Sider>
      <Layout>
        <Header
          style={{
            background: '#fff',
            // Grows instead of clipping when a long name, the language switch and sign-out
            // wrap onto a second line on a phone (the header's own height is fixed).
            height: 'auto',
            minHeight: 64,
            lineHeight: 1.5,
            padding: '8px 16px',
            display: 'flex',
            justifyContent: 'space-between',
            alignItems: 'center',
            gap: 8,
          }}
        >
          <Button
            type="text"
            icon={<MenuOutlined />}
            aria-label={t('nav.menu')}
            aria-expanded={!collapsed}
            onClick={() => setCollapsed(!collapsed)}
          />
          <Space wrap size="small" style={{ justifyContent: 'flex-end' }}>
            {!connected && (
              <Tag color="orange" role="status">
                {t('nav.offline')}
              </Tag>
            )}
            <Typography.Text data-testid="who">
              {me.data?.me.displayName ?? session.login} · {t(`roles.${session.role}`)}
            </Typography.Text>
            <LanguageSwitch />
            <Button size="small" onClick={() => void signOut()}>
              {t('nav.signOut')}
            </Button>
          </Space>
        </Header>
        <Content id="main" tabIndex={-1}>
          <main className="page">
            <Outlet />
          </main>
        </Content>
      </Layout>
    </Layout>
  );
}
