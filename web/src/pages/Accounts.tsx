import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, message as msg, Form, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { describeError } from '../api/errors';
import { read, request, seen } from '../api/graphql';
import { uuid } from '../api/ids';
import { getSession } from '../api/session';
import { Failure } from '../components/Failure';
import { WideTable } from '../components/WideTable';
import { graphql } from '../gql';
import type { AccountAction, AccountRole } from '../gql/graphql';

const AccountsQuery = graphql(`
  query Accounts($communityId: String, $atLeastPosition: Int) {
    accounts(communityId: $communityId, atLeastPosition: $atLeastPosition) {
      login
      displayName
      kind
      status
      role
      communities
      availableActions
    }
    communities {
      id
      name
    }
  }
`);

const OpenAccount = graphql(`
  mutation OpenAccount($input: OpenAccountInput!) {
    openAccount(input: $input) {
      result {
        position
      }
      oneTimePassword
    }
  }
`);

const Suspend = graphql(`
  mutation SuspendAccount($input: SuspendAccountInput!) {
    suspendAccount(input: $input) {
      position
    }
  }
`);

const Grant = graphql(`
  mutation GrantAccess($input: GrantAccessInput!) {
    grantAccess(input: $input) {
      position
    }
  }
`);

const Reinstate = graphql(`
  mutation ReinstateAccount($input: AccountInput!) {
    reinstateAccount(input: $input) {
      position
    }
  }
`);

const Close = graphql(`
  mutation CloseAccount($input: AccountInput!) {
    closeAccount(input: $input) {
      position
    }
  }
`);

const Reset = graphql(`
  mutation ResetPassword($input: AccountInput!) {
    resetPassword(input: $input) {
      result {
        position
      }
      oneTimePassword
    }
  }
`);

const ROLES: AccountRole[] = ['STREET_ADMIN', 'COMMUNITY_STAFF', 'GRID_WORKER', 'AUDITOR'];

interface NewAccount {
  login: string;
  displayName: string;
  role: AccountRole;
  communities?: string[];
}

/** Accounts: open one with its role and communities, suspend, reinstate, close, reset a password. */
export default function Accounts() {
  const { t } = useTranslation();
  const [message, messages] = msg.useMessage();
  const [modal, modals] = Modal.useModal();
  const client = useQueryClient();
  const session = getSession();
  const staff = session?.role === 'community_staff';
  const communityId = staff ? (session?.communities[0] ?? null) : null;
  const { data, error, isPending } = useQuery({
    queryKey: ['accounts', communityId],
    queryFn: () => read(AccountsQuery, { communityId }),
  });
  const [creating, setCreating] = useState<string | null>(null);
  const [suspending, setSuspending] = useState<{ login: string; commandId: string } | null>(null);
  const [granting, setGranting] = useState<{ login: string; commandId: string } | null>(null);
  const [grantForm] = Form.useForm<{ role: AccountRole; communities?: string[] }>();
  const grantRole = Form.useWatch('role', grantForm);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [openForm] = Form.useForm<NewAccount>();
  const [suspendForm] = Form.useForm<{ reason: string }>();
  const role = Form.useWatch('role', openForm);

  if (error) return <Failure error={error} />;
  const names = new Map((data?.communities ?? []).map((c) => [c.id, c.name]));

  async function done(position: number | undefined, password?: string | null) {
    if (position) seen(position);
    await client.invalidateQueries();
    if (password) {
      modal.info({
        title: t('accounts.oneTimePassword'),
        content: (
          <div>
            <Typography.Paragraph>{t('accounts.passwordOnce')}</Typography.Paragraph>
            <Typography.Text code copyable data-testid="one-time-password">
              {password}
            </Typography.Text>
          </div>
        ),
      });
    } else {
      message.success(t('accounts.saved'));
    }
  }

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setFailure(null);
    try {
      await work();
    } catch (e) {
      const words = describeError(e, t);
      setFailure(words);
      message.error(words);
    } finally {
      setBusy(false);
    }
  }

  function act(login: string, action: AccountAction) {
    const input = { login, commandId: uuid() };
    switch (action) {
      case 'GRANT': {
        const account = data?.accounts.find((a) => a.login === login);
        setGranting(input);
        grantForm.setFieldsValue({ role: account?.role ?? 'GRID_WORKER', communities: account?.communities ?? [] });
        return;
      }
      case 'SUSPEND':
        setSuspending(input);
        suspendForm.resetFields();
        return;
      case 'REINSTATE':
        void run(async () => done((await request(Reinstate, { input })).reinstateAccount.position));
        return;
      case 'CLOSE':
        modal.confirm({
          title: t('accounts.confirmClose', { login }),
          okText: t('accountActions.CLOSE'),
          cancelText: t('form.cancel'),
          onOk: () => run(async () => done((await request(Close, { input })).closeAccount.position)),
        });
        return;
      case 'RESET_PASSWORD':
        void run(async () => {
          const r = (await request(Reset, { input })).resetPassword;
          await done(r.result.position, r.oneTimePassword);
        });
        return;
    }
  }

  const roleOptions = (staff ? (['GRID_WORKER'] as AccountRole[]) : ROLES).map((r) => ({ value: r, label: t(`roles.${r.toLowerCase()}`) }));
  const needsCommunities = role === 'COMMUNITY_STAFF' || role === 'GRID_WORKER';

  return (
    <>
      {messages}
      {modals}
      <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 16 }} wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('accounts.title')}
        </Typography.Title>
        <Button
          type="primary"
          onClick={() => {
            setCreating(uuid());
            setFailure(null);
            openForm.resetFields();
          }}
        >
          {t('accounts.open')}
        </Button>
      </Space>
      {failure && <Alert type="error" showIcon role="alert" title={failure} style={{ marginBottom: 16 }} />}
      <WideTable
        label={t('accounts.title')}
        rowKey="login"
        size="small"
        loading={isPending}
        pagination={false}
        dataSource={data?.accounts ?? []}
        columns={[
          { title: t('accounts.login'), dataIndex: 'login' },
          { title: t('accounts.displayName'), dataIndex: 'displayName' },
          { title: t('accounts.role'), dataIndex: 'role', render: (r: AccountRole) => t(`roles.${r.toLowerCase()}`) },
          { title: t('accounts.communities'), dataIndex: 'communities', render: (cs: string[]) => cs.map((c) => names.get(c) ?? c).join('、') || t('accounts.street') },
          {
            title: t('accounts.status'),
            dataIndex: 'status',
            render: (s: string) => <Tag color={s === 'active' ? 'green' : s === 'suspended' ? 'orange' : 'default'}>{t(`accountStatus.${s}`, { defaultValue: s })}</Tag>,
          },
          {
            title: t('accounts.actions'),
            key: 'actions',
            render: (_, a) => (
              <Space wrap size={4}>
                {a.availableActions.map((action) => (
                  <Button key={action} size="small" danger={action === 'CLOSE' || action === 'SUSPEND'} onClick={() => act(a.login, action)} aria-label={`${t(`accountActions.${action}`)} ${a.login}`}>
                    {t(`accountActions.${action}`)}
                  </Button>
                ))}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={creating !== null}
        title={t('accounts.open')}
        okText={t('form.submit')}
        cancelText={t('form.cancel')}
        confirmLoading={busy}
        onCancel={() => setCreating(null)}
        onOk={() => openForm.submit()}
      >
        <Form
          form={openForm}
          layout="vertical"
          requiredMark={false}
          initialValues={{ role: staff ? 'GRID_WORKER' : 'COMMUNITY_STAFF', communities: communityId ? [communityId] : [] }}
          onFinish={(v) =>
            run(async () => {
              const r = (
                await request(OpenAccount, {
                  input: {
                    login: v.login.trim(),
                    displayName: v.displayName.trim(),
                    role: v.role,
                    communities: needsCommunities ? (v.communities ?? []) : [],
                    commandId: creating,
                  },
                })
              ).openAccount;
              setCreating(null);
              await done(r.result.position, r.oneTimePassword);
            })
          }
        >
          <Form.Item name="login" label={t('accounts.login')} extra={t('accounts.loginRule')} rules={[{ required: true, message: t('form.required') }, { pattern: /^[a-z0-9][a-z0-9._-]{1,63}$/, message: t('accounts.loginRule') }]}>
            <Input autoCapitalize="none" />
          </Form.Item>
          <Form.Item name="displayName" label={t('accounts.displayName')} rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 200 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="role" label={t('accounts.role')}>
            <Select options={roleOptions} />
          </Form.Item>
          {needsCommunities && (
            <Form.Item name="communities" label={t('accounts.communities')} rules={[{ required: true, type: 'array', min: 1, message: t('accounts.needCommunity') }]}>
              <Select mode="multiple" options={(data?.communities ?? []).filter((c) => !staff || c.id === communityId).map((c) => ({ value: c.id, label: c.name }))} />
            </Form.Item>
          )}
        </Form>
      </Modal>
      <Modal
        open={granting !== null}
        title={t('accountActions.GRANT')}
        okText={t('form.submit')}
        cancelText={t('form.cancel')}
        confirmLoading={busy}
        onCancel={() => setGranting(null)}
        onOk={() => grantForm.submit()}
      >
        <Form
          form={grantForm}
          layout="vertical"
          requiredMark={false}
          onFinish={(v) =>
            run(async () => {
              if (!granting) return;
              const scoped = v.role === 'COMMUNITY_STAFF' || v.role === 'GRID_WORKER';
              const r = await request(Grant, {
                input: { ...granting, role: v.role, communities: scoped ? (v.communities ?? []) : [] },
              });
              setGranting(null);
              await done(r.grantAccess.position);
            })
          }
        >
          <Form.Item name="role" label={t('accounts.role')}>
            <Select options={roleOptions} />
          </Form.Item>
          {(grantRole === 'COMMUNITY_STAFF' || grantRole === 'GRID_WORKER') && (
            <Form.Item name="communities" label={t('accounts.communities')} rules={[{ required: true, type: 'array', min: 1, message: t('accounts.needCommunity') }]}>
              <Select mode="multiple" options={(data?.communities ?? []).filter((c) => !staff || c.id === communityId).map((c) => ({ value: c.id, label: c.name }))} />
            </Form.Item>
          )}
        </Form>
      </Modal>
      <Modal
        open={suspending !== null}
        title={t('accountActions.SUSPEND')}
        okText={t('accountActions.SUSPEND')}
        okButtonProps={{ danger: true }}
        cancelText={t('form.cancel')}
        confirmLoading={busy}
        onCancel={() => setSuspending(null)}
        onOk={() => suspendForm.submit()}
      >
        <Form
          form={suspendForm}
          layout="vertical"
          requiredMark={false}
          onFinish={(v) =>
            run(async () => {
              if (!suspending) return;
              const r = await request(Suspend, { input: { ...suspending, reason: v.reason.trim() } });
              setSuspending(null);
              await done(r.suspendAccount.position);
            })
          }
        >
          <Form.Item name="reason" label={t('accounts.reason')} rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 200 }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
