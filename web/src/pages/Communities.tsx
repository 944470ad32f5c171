import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Skeleton, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { read } from '../api/graphql';
import { Failure } from '../components/Failure';
import { graphql } from '../gql';

const CommunitiesQuery = graphql(`
  query Communities($atLeastPosition: Int) {
    communities(atLeastPosition: $atLeastPosition) {
      id
      name
      street
      households
      residents
      compounds
      coBuildingUnits
      merchants
      issueStats {
        open
        overdue
        resolved
      }
    }
  }
`);

/** The street's communities side by side, with their profiles and open work. */
export default function Communities() {
  const { t } = useTranslation();
  const { data, error, isPending } = useQuery({
    queryKey: ['communities'],
    queryFn: () => read(CommunitiesQuery, {}),
  });
  return (
    <>
      <Typography.Title level={2}>{t('communities.title')}</Typography.Title>
      {error && <Failure error={error} />}
      {isPending && <Skeleton active />}
      <Row gutter={[16, 16]}>
        {data?.communities.map((c) => (
          <Col xs={24} md={12} key={c.id}>
            <Card
              title={
                <Link to={`/communities/${c.id}`} data-testid={`community-${c.id}`}>
                  {c.name}
                </Link>
              }
              extra={c.street}
            >
              <Row gutter={[8, 16]}>
                <Col span={8}>
                  <Statistic title={t('community.households')} value={c.households ?? '—'} />
                </Col>
                <Col span={8}>
                  <Statistic title={t('community.residents')} value={c.residents ?? '—'} />
                </Col>
                <Col span={8}>
                  <Statistic title={t('community.compounds')} value={c.compounds ?? '—'} />
                </Col>
                <Col span={8}>
                  <Statistic title={t('community.coBuildingUnits')} value={c.coBuildingUnits ?? '—'} />
                </Col>
                <Col span={8}>
                  <Statistic title={t('community.merchants')} value={c.merchants ?? '—'} />
                </Col>
                <Col span={8}>
                  <Link to={`/issues?community=${c.id}&status=REPORTED`}>
                    <Statistic title={t('issues.open')} value={c.issueStats.open} />
                  </Link>
                </Col>
                <Col span={8}>
                  <Statistic
                    title={t('issues.overdue')}
                    value={c.issueStats.overdue}
                    styles={{ content: { color: c.issueStats.overdue > 0 ? '#cf1322' : undefined } }}
                  />
                </Col>
                <Col span={8}>
                  <Statistic title={t('issues.resolved')} value={c.issueStats.resolved} />
                </Col>
              </Row>
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}
