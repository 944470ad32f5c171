import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError, describeError } from '../api/errors';
import { request } from '../api/graphql';
import { freshSession } from '../api/session';
import { Failure } from '../components/Failure';
import { ActorLabel } from '../components/labels';
import { DateInput } from '../components/pickers';
import { WideTable } from '../components/WideTable';
import { formatDateTime, shanghaiMoment } from '../format';
import { graphql } from '../gql';
import { AccessAsOf } from './audit/AccessAsOf';
import { CommunityAsOf } from './audit/CommunityAsOf';
import { StreamDrawer } from './audit/StreamDrawer';
import { Verify } from './audit/Verify';

const LogQuery = graphql(`
  query AuditLog($after: Int!, $streamId: String, $actorId: String, $eventType: String, $recordedUntil: DateTime) {
    log(after: $after, first: 50, streamId: $streamId, actorId: $actorId, eventType: $eventType, recordedUntil: $recordedUntil) {
      entries {
        position
        streamId
        eventType
        actorId
        actorName
        recordedAt
        hash
      }
      endPosition
      hasMore
    }
    integrity {
      headPosition
      headHash
      lastVerification {
        verifiedAt
        passed
        message
      }
    }
  }
`);

interface Filter {
  streamId?: string;
  actorId?: string;
  eventType?: string;
  /** A Shanghai calendar day: only events recorded by its end. */
  until?: string;
}

/** Downloads the filtered log from `/audit/export`, in the format of `civic audit export`. */
async function download(format: 'jsonl' | 'csv', filter: Filter) {
  const session = await freshSession();
  const params = new URLSearchParams({ format });
  if (filter.streamId) params.set('stream', filter.streamId);
  if (filter.actorId) params.set('actor', filter.actorId);
  if (filter.eventType) params.set('type', filter.eventType);
  if (filter.until) params.set('until', shanghaiMoment(filter.until, '23:59:59.999'));
  const response = await fetch(`/audit/export?${params}`, {
    headers: session ? { authorization: `Bearer ${session.accessToken}` } : {},
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string; code?: string };
    throw new ApiError(body.error ?? response.statusText, body.code ?? 'INTERNAL');
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `civic-log.${format}`;
  link.click();
  URL.revokeObjectURL(url);
}

/** The log, filtered and paged by position, with each event's hash, and the chain's head. */
export default function AuditLog() {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState<Filter>({});
  const [pages, setPages] = useState<number[]>([0]);
  const [stream, setStream] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const after = pages[pages.length - 1] ?? 0;
  const { data, error, isPending } = useQuery({
    queryKey: ['log', filter, after],
    queryFn: () =>
      request(LogQuery, {
        after,
        streamId: filter.streamId || null,
        actorId: filter.actorId || null,
        eventType: filter.eventType || null,
        recordedUntil: filter.until ? shanghaiMoment(filter.until, '23:59:59.999') : null,
      }),
  });
  const head = data?.integrity;
  return (
    <>
      <Typography.Title level={2}>{t('audit.title')}</Typography.Title>
      {error && <Failure error={error} />}
      {head && (
        <Card size="small" title={t('audit.integrity')} style={{ marginBottom: 16 }}>
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('audit.head')}>{head.headPosition}</Descriptions.Item>
            <Descriptions.Item label={t('audit.headHash')}>
              <Typography.Text code copyable>
                {head.headHash}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('audit.lastVerification')} span={2}>
              {head.lastVerification ? (
                <Space>
                  <Tag color={head.lastVerification.passed ? 'green' : 'red'}>{head.lastVerification.passed ? t('audit.passed') : t('audit.failed')}</Tag>
                  {formatDateTime(head.lastVerification.verifiedAt, i18n.language)}
                </Space>
              ) : (
                t('audit.never')
              )}
            </Descriptions.Item>
          </Descriptions>
          <Verify />
        </Card>
      )}
      <Form
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v: Filter) => {
          setFilter({ streamId: v.streamId?.trim(), actorId: v.actorId?.trim(), eventType: v.eventType?.trim(), until: v.until || undefined });
          setPages([0]);
        }}
      >
        <Form.Item name="streamId" label={t('audit.stream')}>
          <Input style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="actorId" label={t('audit.actor')}>
          <Input style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="eventType" label={t('audit.eventType')}>
          <Input style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="until" label={t('audit.until')}>
          <DateInput style={{ width: 170 }} />
        </Form.Item>
        <Space wrap>
          <Button type="primary" htmlType="submit">
            {t('board.apply')}
          </Button>
          {(['jsonl', 'csv'] as const).map((format) => (
            <Button
              key={format}
              onClick={() => {
                setExportError(null);
                download(format, filter).catch((e: unknown) => setExportError(describeError(e, t)));
              }}
            >
              {t('audit.export', { format: format.toUpperCase() })}
            </Button>
          ))}
        </Space>
      </Form>
      {exportError && <Alert type="error" showIcon role="alert" title={exportError} style={{ marginBottom: 16 }} />}
      <WideTable
        label={t('audit.title')}
        rowKey="position"
        size="small"
        loading={isPending}
        pagination={false}
        dataSource={data?.log.entries ?? []}
        columns={[
          { title: '#', dataIndex: 'position' },
          { title: t('audit.recordedAt'), dataIndex: 'recordedAt', render: (v: string) => formatDateTime(v, i18n.language) },
          {
            title: t('audit.stream'),
            dataIndex: 'streamId',
            render: (id: string) => (
              <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setStream(id)}>
                {id}
              </Button>
            ),
          },
          { title: t('audit.eventType'), dataIndex: 'eventType' },
          { title: t('audit.actor'), key: 'actor', render: (_: unknown, e: { actorId: string; actorName?: string | null }) => <ActorLabel id={e.actorId} name={e.actorName} /> },
          { title: t('audit.hash'), dataIndex: 'hash', render: (h: string) => <Typography.Text code>{h.slice(0, 16)}…</Typography.Text> },
        ]}
      />
      <StreamDrawer streamId={stream} onClose={() => setStream(null)} />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={pages.length < 2} onClick={() => setPages(pages.slice(0, -1))}>
          {t('board.previous')}
        </Button>
        <Button disabled={!data?.log.hasMore} onClick={() => data && setPages([...pages, data.log.endPosition])}>
          {t('board.next')}
        </Button>
      </Space>
      <CommunityAsOf />
      <AccessAsOf />
    </>
  );
}
