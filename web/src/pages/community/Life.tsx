import { Card, Col, Descriptions, Row, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { WideTable } from '../../components/WideTable';
import { formatCount, formatDate, formatFen } from '../../format';
import type { CommunityPageQuery } from '../../gql/graphql';

type Community = CommunityPageQuery['community'];

/** Community life: the newsroom and its videos, activities, and the charity sale ledger. */
export function Life({ c }: { c: Community }) {
  const { t, i18n } = useTranslation();
  const date = (v: string | null | undefined) => formatDate(v, i18n.language);
  return (
    <>
      <Typography.Title level={3}>{t('life.newsroom')}</Typography.Title>
      {c.newsroom ? (
        <Descriptions size="small" bordered column={{ xs: 1, md: 4 }}>
          <Descriptions.Item label={t('life.newsroomName')}>{c.newsroom.name}</Descriptions.Item>
          <Descriptions.Item label={t('life.founded')}>{date(c.newsroom.foundedOn)}</Descriptions.Item>
          <Descriptions.Item label={t('life.videoCount')}>{c.newsroom.videoCount}</Descriptions.Item>
          <Descriptions.Item label={t('life.totalViews')}>{formatCount(c.newsroom.totalViews)}</Descriptions.Item>
        </Descriptions>
      ) : (
        <Typography.Paragraph>{t('common.none')}</Typography.Paragraph>
      )}
      <WideTable
        label={t('life.newsroom')}
        style={{ marginTop: 16 }}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={c.videos}
        columns={[
          { title: t('life.video'), dataIndex: 'title' },
          { title: t('life.topic'), dataIndex: 'topic' },
          { title: t('life.published'), dataIndex: 'publishedOn', render: date },
          { title: t('life.views'), dataIndex: 'views', render: (v: number) => formatCount(v) },
          {
            title: t('life.recommended'),
            dataIndex: 'recommendedBy',
            render: (by: string | null, v) => (by ? <Tag color="red">{`${by} · ${v.contest ?? ''}`}</Tag> : '—'),
          },
        ]}
      />
      <Typography.Title level={3} style={{ marginTop: 24 }}>
        {t('life.activities')}
      </Typography.Title>
      {c.activities.length === 0 && <Typography.Paragraph>{t('common.none')}</Typography.Paragraph>}
      <Row gutter={[16, 16]}>
        {c.activities.map((a) => (
          <Col xs={24} md={12} key={a.id}>
            <Card size="small" title={a.title} extra={date(a.heldOn)}>
              <Typography.Paragraph>{a.summary}</Typography.Paragraph>
              <Row gutter={8}>
                <Col span={6}>
                  <Statistic title={t('life.participants')} value={a.participants} />
                </Col>
                <Col span={6}>
                  <Statistic title={t('life.volunteers')} value={a.volunteers} />
                </Col>
                <Col span={6}>
                  <Statistic title={t('life.minutes')} value={a.durationMinutes} />
                </Col>
                <Col span={6}>
                  <Statistic title={t('life.works')} value={a.worksMade} />
                </Col>
              </Row>
            </Card>
          </Col>
        ))}
      </Row>
      <Typography.Title level={3} style={{ marginTop: 24 }}>
        {t('life.charity')}
      </Typography.Title>
      <Statistic title={t('life.proceeds')} value={formatFen(c.charityProceedsFen)} />
      <WideTable
        label={t('life.charity')}
        style={{ marginTop: 16 }}
        rowKey={(r) => `${r.saleId}/${r.itemId}`}
        size="small"
        pagination={false}
        dataSource={c.charityItems}
        columns={[
          { title: t('life.sale'), dataIndex: 'saleTitle' },
          { title: t('life.item'), dataIndex: 'name' },
          { title: t('life.price'), dataIndex: 'priceFen', render: (v: number) => formatFen(v) },
          { title: t('life.itemStatus'), dataIndex: 'status', render: (s: string) => <Tag>{t(`charityStatus.${s}`)}</Tag> },
          { title: t('life.sold'), dataIndex: 'soldFen', render: (v: number | null) => formatFen(v) },
        ]}
      />
    </>
  );
}
