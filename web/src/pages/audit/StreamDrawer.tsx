import { useQuery } from '@tanstack/react-query';
import { Alert, Drawer, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { describeError } from '../../api/errors';
import { request } from '../../api/graphql';
import { ActorLabel } from '../../components/labels';
import { WideTable } from '../../components/WideTable';
import { formatDateTime } from '../../format';
import { graphql } from '../../gql';
import { TimeTravel } from './TimeTravel';

const History = graphql(`
  query StreamHistory($streamId: String!) {
    streamHistory(streamId: $streamId) {
      position
      streamVersion
      eventType
      actorId
      actorName
      recordedAt
      hash
    }
  }
`);


/** One stream: its events in order, and its state on either time axis. */
export function StreamDrawer({ streamId, onClose }: { streamId: string | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const history = useQuery({
    queryKey: ['stream-history', streamId],
    queryFn: () => request(History, { streamId: streamId ?? '' }),
    enabled: streamId !== null,
  });
  return (
    <Drawer open={streamId !== null} onClose={onClose} title={streamId} size="large" destroyOnHidden>
      <Typography.Title level={3}>{t('audit.history')}</Typography.Title>
      {history.error && <Alert type="error" title={describeError(history.error, t)} />}
      <WideTable
        label={t('audit.history')}
        rowKey="position"
        size="small"
        pagination={false}
        loading={history.isPending}
        dataSource={history.data?.streamHistory ?? []}
        columns={[
          { title: '#', dataIndex: 'position' },
          { title: t('audit.version'), dataIndex: 'streamVersion' },
          { title: t('audit.eventType'), dataIndex: 'eventType' },
          { title: t('audit.actor'), key: 'actor', render: (_: unknown, e: { actorId: string; actorName?: string | null }) => <ActorLabel id={e.actorId} name={e.actorName} /> },
          { title: t('audit.recordedAt'), dataIndex: 'recordedAt', render: (v: string) => formatDateTime(v, i18n.language) },
        ]}
      />
      {streamId && <TimeTravel streamId={streamId} />}
    </Drawer>
  );
}
