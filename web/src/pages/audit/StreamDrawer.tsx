import { useQuery } from '@tanstack/react-query';
import { Alert, Drawer, Input, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError, describeError } from '../../api/errors';
import { request } from '../../api/graphql';
import { formatDateTime, shanghaiMoment } from '../../format';
import { graphql } from '../../gql';

const History = graphql(`
  query StreamHistory($streamId: String!) {
    streamHistory(streamId: $streamId) {
      position
      streamVersion
      eventType
      actorId
      recordedAt
      hash
    }
  }
`);

const State = graphql(`
  query StreamStateAt($streamId: String!, $atTime: DateTime) {
    streamState(streamId: $streamId, atTime: $atTime) {
      asOfPosition
      version
      state
    }
  }
`);

/** One stream: its events in order, and its state as recorded at a chosen moment. */
export function StreamDrawer({ streamId, onClose }: { streamId: string | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [date, setDate] = useState('');
  const [time, setTime] = useState('23:59');
  const atTime = date ? shanghaiMoment(date, time || '23:59') : null;
  const history = useQuery({
    queryKey: ['stream-history', streamId],
    queryFn: () => request(History, { streamId: streamId ?? '' }),
    enabled: streamId !== null,
  });
  const state = useQuery({
    queryKey: ['stream-state', streamId, atTime],
    queryFn: () => request(State, { streamId: streamId ?? '', atTime }),
    enabled: streamId !== null,
  });
  return (
    <Drawer open={streamId !== null} onClose={onClose} title={streamId} size="large" destroyOnHidden>
      <Typography.Title level={3}>{t('audit.history')}</Typography.Title>
      {history.error && <Alert type="error" title={describeError(history.error, t)} />}
      <Table
        rowKey="position"
        size="small"
        pagination={false}
        scroll={{ x: true }}
        loading={history.isPending}
        dataSource={history.data?.streamHistory ?? []}
        columns={[
          { title: '#', dataIndex: 'position' },
          { title: t('audit.version'), dataIndex: 'streamVersion' },
          { title: t('audit.eventType'), dataIndex: 'eventType' },
          { title: t('audit.actor'), dataIndex: 'actorId' },
          { title: t('audit.recordedAt'), dataIndex: 'recordedAt', render: (v: string) => formatDateTime(v, i18n.language) },
        ]}
      />
      <Typography.Title level={3} style={{ marginTop: 24 }}>
        {t('audit.stateAsOf')}
      </Typography.Title>
      <Space wrap>
        <label>
          {t('audit.recordedBy')}{' '}
          <Input type="date" value={date} onChange={(e) => setDate(e.target.value)} style={{ width: 170 }} aria-label={t('audit.date')} />
        </label>
        <Input type="time" value={time} onChange={(e) => setTime(e.target.value)} style={{ width: 120 }} aria-label={t('audit.time')} />
      </Space>
      {state.error &&
        (state.error instanceof ApiError && state.error.code === 'NOT_FOUND' ? (
          <Alert type="info" role="status" title={t('audit.noStateYet')} style={{ marginTop: 8 }} />
        ) : (
          <Alert type="error" title={describeError(state.error, t)} style={{ marginTop: 8 }} />
        ))}
      {state.data && (
        <>
          <Typography.Paragraph style={{ marginTop: 8 }}>
            {t('audit.stateAt', { position: state.data.streamState.asOfPosition, version: state.data.streamState.version })}
          </Typography.Paragraph>
          <pre data-testid="stream-state" style={{ background: '#fafafa', padding: 8, maxHeight: 400, overflow: 'auto', whiteSpace: 'pre-wrap' }}>
            {JSON.stringify(state.data.streamState.state, null, 2)}
          </pre>
        </>
      )}
    </Drawer>
  );
}
