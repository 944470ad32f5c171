import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { request } from '../api/graphql';
import { Failure } from '../components/Failure';
import { formatDateTime } from '../format';
import { graphql } from '../gql';

const LogQuery = graphql(`
  query AuditLog($after: Int!, $streamId: String, $actorId: String, $eventType: String) {
    log(after: $after, first: 50, streamId: $streamId, actorId: $actorId, eventType: $eventType) {
      entries {
        position
        streamId
        eventType
        actorId
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
}

/** The log, filtered and paged by position, with each event's hash, and the chain's head. */
export default function AuditLog() {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState<Filter>({});
  const [pages, setPages] = useState<number[]>([0]);
  const after = pages[pages.length - 1] ?? 0;
  const { data, error, isPending } = useQuery({
    queryKey: ['log', filter, after],
    queryFn: () => request(LogQuery, { after, streamId: filter.streamId || null, actorId: filter.actorId || null, eventType: filter.eventType || null }),
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
            <Descriptions.Item label={t('audit.lastVerification')}>
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
        </Card>
      )}
      <Form
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v: Filter) => {
          setFilter({ streamId: v.streamId?.trim(), actorId: v.actorId?.trim(), eventType: v.eventType?.trim() });
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
        <Button type="primary" htmlType="submit">
          {t('board.apply')}
        </Button>
      </Form>
      <Table
        rowKey="position"
        size="small"
        loading={isPending}
        pagination={false}
        scroll={{ x: true }}
        dataSource={data?.log.entries ?? []}
        columns={[
          { title: '#', dataIndex: 'position' },
          { title: t('audit.recordedAt'), dataIndex: 'recordedAt', render: (v: string) => formatDateTime(v, i18n.language) },
          { title: t('audit.stream'), dataIndex: 'streamId' },
          { title: t('audit.eventType'), dataIndex: 'eventType' },
          { title: t('audit.actor'), dataIndex: 'actorId' },
          { title: t('audit.hash'), dataIndex: 'hash', render: (h: string) => <Typography.Text code>{h.slice(0, 16)}…</Typography.Text> },
        ]}
      />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={pages.length < 2} onClick={() => setPages(pages.slice(0, -1))}>
          {t('board.previous')}
        </Button>
        <Button disabled={!data?.log.hasMore} onClick={() => data && setPages([...pages, data.log.endPosition])}>
          {t('board.next')}
        </Button>
      </Space>
    </>
  );
}
