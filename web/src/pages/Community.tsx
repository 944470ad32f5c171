import { useQuery } from '@tanstack/react-query';
import { Card, Col, Descriptions, List, Progress, Row, Skeleton, Statistic, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { read } from '../api/graphql';
import { Failure } from '../components/Failure';
import { WideTable } from '../components/WideTable';
import { formatDate } from '../format';
import type { CommunityPageQuery } from '../gql/graphql';
import { Life } from './community/Life';
import { CommunityQuery } from './community/query';

type Community = CommunityPageQuery['community'];

function Profile({ c }: { c: Community }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <Row gutter={[16, 16]}>
        {(
          [
            ['households', c.households],
            ['residents', c.residents],
            ['compounds', c.compounds],
            ['coBuildingUnits', c.coBuildingUnits],
            ['merchants', c.merchants],
          ] as const
        ).map(([key, value]) => (
          <Col xs={12} sm={8} md={4} key={key}>
            <Card size="small">
              <Statistic title={t(`community.${key}`)} value={value ?? '—'} />
            </Card>
          </Col>
        ))}
        <Col xs={12} sm={8} md={4}>
          <Card size="small">
            <Statistic title={t('issues.open')} value={c.issueStats.open} />
          </Card>
        </Col>
      </Row>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginTop: 16 }}>
        <Descriptions.Item label={t('community.street')}>{c.street}</Descriptions.Item>
        <Descriptions.Item label={t('community.established')}>{formatDate(c.establishedOn, i18n.language)}</Descriptions.Item>
        <Descriptions.Item label={t('community.area')}>{c.areaM2.toLocaleString('zh-CN')} m²</Descriptions.Item>
        <Descriptions.Item label={t('community.profileAsOf')}>{formatDate(c.profileAsOf, i18n.language)}</Descriptions.Item>
        <Descriptions.Item label={t('community.partySecretary')}>{c.partySecretary ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('community.firstSecretary')}>{c.firstSecretary ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('issues.overdue')}>{c.issueStats.overdue}</Descriptions.Item>
        <Descriptions.Item label={t('issues.resolved')}>{c.issueStats.resolved}</Descriptions.Item>
      </Descriptions>
    </>
  );
}

function Grids({ c }: { c: Community }) {
  const { t } = useTranslation();
  return (
    <List
      grid={{ gutter: 16, xs: 1, md: 2, lg: 3 }}
      dataSource={c.grids}
      locale={{ emptyText: t('common.none') }}
      renderItem={(g) => (
        <List.Item>
          <Card size="small" title={g.name}>
            {g.workers.map((w) => (
              <Tag key={`${w.kind}-${w.name}`} color={w.kind === 'GRID_WORKER' ? 'blue' : 'cyan'}>
                {w.name} · {t(`gridWorkerKind.${w.kind}`)}
              </Tag>
            ))}
          </Card>
        </List.Item>
      )}
    />
  );
}

function Compounds({ c }: { c: Community }) {
  const { t, i18n } = useTranslation();
  return (
    <WideTable
      label={t('community.tabs.compounds')}
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={c.compoundsList}
      columns={[
        { title: t('compound.name'), dataIndex: 'name', render: (name: string, r) => <Link to={`/compounds/${r.id}`}>{name}</Link> },
        { title: t('compound.company'), dataIndex: 'propertyCompany', render: (v: string | null) => v ?? '—' },
        { title: t('compound.since'), dataIndex: 'companySince', render: (v: string | null) => formatDate(v, i18n.language) },
      ]}
    />
  );
}

function Heating({ c }: { c: Community }) {
  const { t, i18n } = useTranslation();
  const compounds = new Map(c.compoundsList.map((x) => [x.id, x.name]));
  return (
    <WideTable
      label={t('community.tabs.heating')}
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={c.heatingProjects}
      columns={[
        {
          title: t('heating.project'),
          dataIndex: 'id',
          // Named as its page names it, by its compound; an id until the compound is known.
          render: (id: string, r) => <Link to={`/heating/${id}`}>{t('heating.title', { compound: compounds.get(r.compoundId) ?? r.compoundId })}</Link>,
        },
        { title: t('heating.contractor'), dataIndex: 'contractor' },
        { title: t('heating.households'), dataIndex: 'households' },
        {
          title: t('heating.progress'),
          dataIndex: 'percent',
          render: (p: number, r) => (
            <Progress percent={Math.round(p)} size="small" status={r.late ? 'exception' : undefined} aria-label={t('heating.progress')} />
          ),
        },
        { title: t('heating.target'), dataIndex: 'targetDate', render: (v: string) => formatDate(v, i18n.language) },
      ]}
    />
  );
}

function Stars({ c }: { c: Community }) {
  const { t, i18n } = useTranslation();
  return (
    <List
      dataSource={c.stars}
      locale={{ emptyText: t('common.none') }}
      renderItem={(s) => (
        <List.Item>
          <List.Item.Meta
            title={s.star}
            description={
              s.awardedOn ? (
                <Tag color="gold">{t('stars.awarded', { date: formatDate(s.awardedOn, i18n.language) })}</Tag>
              ) : (
                <Tag>{t('stars.aimed')}</Tag>
              )
            }
          />
        </List.Item>
      )}
    />
  );
}

/** One community: profile, leaders, grids, compounds, heating, five-star aims, its life. */
export default function Community() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { data, error, isPending } = useQuery({
    queryKey: ['community', id],
    queryFn: () => read(CommunityQuery, { id }),
  });
  if (error) return <Failure error={error} />;
  if (isPending || !data) return <Skeleton active />;
  const c = data.community;
  return (
    <>
      <Typography.Title level={2}>{c.name}</Typography.Title>
      <Tabs
        items={[
          { key: 'profile', label: t('community.tabs.profile'), children: <Profile c={c} /> },
          { key: 'grids', label: t('community.tabs.grids'), children: <Grids c={c} /> },
          { key: 'compounds', label: t('community.tabs.compounds'), children: <Compounds c={c} /> },
          { key: 'heating', label: t('community.tabs.heating'), children: <Heating c={c} /> },
          { key: 'stars', label: t('community.tabs.stars'), children: <Stars c={c} /> },
          { key: 'life', label: t('community.tabs.life'), children: <Life c={c} /> },
        ]}
      />
    </>
  );
}
