import { useQuery, useQueryClient } from '@tanstack/react-query';
import { message as msg, Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { describeError } from '../api/errors';
import { request } from '../api/graphql';
import { Failure } from '../components/Failure';
import { WideTable } from '../components/WideTable';
import { formatDateTime } from '../format';
import { graphql } from '../gql';

const SessionsQuery = graphql(`
  query MySessions {
    mySessions {
      id
      signedInAt
      renewedAt
      expiresAt
      userAgent
    }
  }
`);

const Revoke = graphql(`
  mutation RevokeSession($id: UUID!) {
    revokeSession(id: $id)
  }
`);

/** The user's own sessions, each of which they may end. */
export default function Sessions() {
  const { t, i18n } = useTranslation();
  const [message, messages] = msg.useMessage();
  const client = useQueryClient();
  const { data, error, isPending } = useQuery({ queryKey: ['sessions'], queryFn: () => request(SessionsQuery) });
  if (error) return <Failure error={error} />;
  const when = (v: string) => formatDateTime(v, i18n.language);
  return (
    <>
      {messages}
      <Typography.Title level={2}>{t('sessions.title')}</Typography.Title>
      <WideTable
        label={t('sessions.title')}
        rowKey="id"
        size="small"
        loading={isPending}
        pagination={false}
        dataSource={data?.mySessions ?? []}
        columns={[
          { title: t('sessions.signedIn'), dataIndex: 'signedInAt', render: when },
          { title: t('sessions.renewed'), dataIndex: 'renewedAt', render: when },
          { title: t('sessions.expires'), dataIndex: 'expiresAt', render: when },
          { title: t('sessions.device'), dataIndex: 'userAgent', render: (v: string | null) => <Typography.Text ellipsis style={{ maxWidth: 280 }}>{v ?? '—'}</Typography.Text> },
          {
            title: t('accounts.actions'),
            key: 'revoke',
            render: (_, s) => (
              <Button
                size="small"
                danger
                onClick={async () => {
                  try {
                    await request(Revoke, { id: s.id });
                    await client.invalidateQueries({ queryKey: ['sessions'] });
                  } catch (e) {
                    message.error(describeError(e, t));
                  }
                }}
              >
                {t('sessions.revoke')}
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}
