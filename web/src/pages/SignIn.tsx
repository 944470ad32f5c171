import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';


import { describeError } from '../api/errors';
import { changePassword, endReason, signIn } from '../api/session';
import { LanguageSwitch } from '../components/LanguageSwitch';

interface Credentials {
  login: string;
  password: string;
}

/** Sign-in, and the password change a one-time password requires first. */
export function SignIn() {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<Credentials | null>(null);
  const ended = endReason();

  async function submit(values: Credentials) {
    setBusy(true);
    setError(null);
    try {
      const outcome = await signIn(values.login.trim(), values.password);
      if (outcome.kind === 'change-required') setPending(values);
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  }

  async function change(values: { newPassword: string }) {
    if (!pending) return;
    setBusy(true);
    setError(null);
    try {
      await changePassword(pending.login.trim(), pending.password, values.newPassword);
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="center-screen">
      <main className="signin-card">
        <Card>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
              <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
                {t('app.title')}
              </Typography.Title>
              <LanguageSwitch />
            </div>
            {ended && !error && <Alert type="warning" showIcon role="alert" title={t(`reasons.${ended === 'EXPIRED' ? 'TOKEN_EXPIRED' : ended}`)} />}
            {error && <Alert type="error" showIcon role="alert" title={error} />}
            {pending ? (
              <Form layout="vertical" onFinish={change} requiredMark={false} key="change">
                <Typography.Paragraph>{t('signIn.changeRequired')}</Typography.Paragraph>
                <Form.Item
                  label={t('signIn.newPassword')}
                  name="newPassword"
                  extra={t('signIn.passwordRule')}
                  rules={[
                    { required: true, message: t('form.required') },
                    { min: 12, message: t('signIn.tooShort') },
                    {
                      validator: (_, value: string) =>
                        value && value === pending.login ? Promise.reject(new Error(t('signIn.notLogin'))) : Promise.resolve(),
                    },
                  ]}
                >
                  <Input.Password autoComplete="new-password" size="large" />
                </Form.Item>
                <Form.Item
                  label={t('signIn.confirmPassword')}
                  name="confirm"
                  dependencies={['newPassword']}
                  rules={[
                    { required: true, message: t('form.required') },
                    ({ getFieldValue }) => ({
                      validator: (_, value: string) =>
                        value === getFieldValue('newPassword')
                          ? Promise.resolve()
                          : Promise.reject(new Error(t('signIn.mismatch'))),
                    }),
                  ]}
                >
                  <Input.Password autoComplete="new-password" size="large" />
                </Form.Item>
                <Button type="primary" htmlType="submit" block size="large" loading={busy}>
                  {t('signIn.setPassword')}
                </Button>
              </Form>
            ) : (
              <Form layout="vertical" onFinish={submit} requiredMark={false} key="signin">
                <Form.Item label={t('signIn.login')} name="login" rules={[{ required: true, message: t('form.required') }]}>
                  <Input autoComplete="username" size="large" autoCapitalize="none" />
                </Form.Item>
                <Form.Item label={t('signIn.password')} name="password" rules={[{ required: true, message: t('form.required') }]}>
                  <Input.Password autoComplete="current-password" size="large" />
                </Form.Item>
                <Button type="primary" htmlType="submit" block size="large" loading={busy}>
                  {t('signIn.submit')}
                </Button>
              </Form>
            )}
          </Space>
        </Card>
      </main>
    </div>
  );
}
