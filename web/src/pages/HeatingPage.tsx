import { useQuery } from '@tanstack/react-query';
import { Descriptions, Progress, Skeleton, Steps, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { read } from '../api/graphql';
import { Failure } from '../components/Failure';
import { usePlaceNames } from '../components/places';
import { formatDate } from '../format';
import { graphql } from '../gql';
import type { HeatingMilestone } from '../gql/graphql';

const HeatingQuery = graphql(`
  query HeatingPage($id: String!, $atLeastPosition: Int) {
    heatingProject(id: $id, atLeastPosition: $atLeastPosition) {
      id
      communityId
      compoundId
      contractor
      households
      targetDate
      milestonesDone
      currentMilestone
      householdsDone
      commissionedOn
      late
      percent
      milestones {
        milestone
        householdsDone
        completedOn
        updatedOn
      }
    }
  }
`);

const ORDER: HeatingMilestone[] = ['MAIN_PIPES_DRILLED', 'PIPES_LAID', 'RADIATORS_INSTALLED', 'PRESSURE_TESTED', 'HEATING_COMMISSIONED'];

/** A heating project: its milestones in their order, with partial progress. */
export default function HeatingPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const place = usePlaceNames();
  const { data, error, isPending } = useQuery({
    queryKey: ['heating', id],
    queryFn: () => read(HeatingQuery, { id }),
  });
  if (error) return <Failure error={error} />;
  if (isPending || !data) return <Skeleton active />;
  const p = data.heatingProject;
  const byMilestone = new Map(p.milestones.map((m) => [m.milestone, m]));
  return (
    <>
      <Typography.Title level={2}>
        {t('heating.title', { compound: place.compound(p.compoundId) })} {p.late && <Tag color="red">{t('heating.late')}</Tag>}
      </Typography.Title>
      <Descriptions bordered size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('issue.community')}>
          <Link to={`/communities/${p.communityId}`}>{place.community(p.communityId)}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('issue.compound')}>
          <Link to={`/compounds/${p.compoundId}`}>{place.compound(p.compoundId)}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('heating.contractor')}>{p.contractor}</Descriptions.Item>
        <Descriptions.Item label={t('heating.households')}>{p.households}</Descriptions.Item>
        <Descriptions.Item label={t('heating.target')}>{formatDate(p.targetDate, i18n.language)}</Descriptions.Item>
        <Descriptions.Item label={t('heating.commissioned')}>{formatDate(p.commissionedOn, i18n.language)}</Descriptions.Item>
      </Descriptions>
      <Progress percent={Math.round(p.percent)} style={{ marginTop: 16 }} aria-label={t('heating.progress')} />
      <Steps
        orientation="vertical"
        style={{ marginTop: 16 }}
        current={p.milestonesDone}
        items={ORDER.map((m) => {
          const done = byMilestone.get(m);
          return {
            title: t(`milestone.${m}`),
            status: done?.completedOn ? 'finish' : done ? 'process' : 'wait',
            content: done
              ? done.completedOn
                ? t('heating.completedOn', { date: formatDate(done.completedOn, i18n.language), households: done.householdsDone })
                : t('heating.partial', { households: done.householdsDone, total: p.households, date: formatDate(done.updatedOn, i18n.language) })
              : t('heating.notStarted'),
          };
        })}
      />
    </>
  );
}
