import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Row, Select, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { describeError } from '../../api/errors';
import { request } from '../../api/graphql';
import { formatDate } from '../../format';
import { graphql } from '../../gql';
import { useCut } from './useCut';

const Replay = graphql(`
  query CommunityReplay($communityId: String!, $asRecordedAt: DateTime, $asHappenedOn: Date) {
    replay(communityId: $communityId, asRecordedAt: $asRecordedAt, asHappenedOn: $asHappenedOn)
    communities {
      id
      name
    }
  }
`);

interface Report {
  log_position: number;
  communities: {
    dashboard: { name?: string; households?: number | null; residents?: number | null } | null;
    open_issues: { issue_id?: string; title?: string }[];
    property: { compound_id?: string; name?: string; property_company?: string | null; company_since?: string | null }[];
    heating: { project_id?: string; compound_id?: string; milestones_done?: number }[];
  }[];
}

/** A community's dashboard, open issues and property companies as they stood, on either axis. */
export function CommunityAsOf() {
  const { t, i18n } = useTranslation();
  const [community, setCommunity] = useState('guangsha');
  const [cut, controls] = useCut();
  const { data, error, isFetching } = useQuery({
    queryKey: ['community-replay', community, cut],
    queryFn: () => request(Replay, { communityId: community, ...(cut ?? { asHappenedOn: null, asRecordedAt: null }) }),
    enabled: cut !== null,
    placeholderData: (previous) => previous,
  });
  const report = data?.replay as Report | undefined;
  const c = report?.communities[0];
  return (
    <section aria-label={t('travel.communityTitle')} style={{ marginTop: 24 }}>
      <Typography.Title level={3}>{t('travel.communityTitle')}</Typography.Title>
      <Select
        aria-label={t('issue.community')}
        value={community}
        onChange={setCommunity}
        style={{ width: 140, marginBottom: 8 }}
        options={(data?.communities ?? [{ id: community, name: community }]).map((x) => ({ value: x.id, label: x.name }))}
      />
      {controls}
      {error && <Alert type="error" title={describeError(error, t)} />}
      {report && (
        <div data-testid="community-as-of" aria-busy={isFetching}>
          <Typography.Paragraph>{t('travel.replayedTo', { position: report.log_position })}</Typography.Paragraph>
          {!c ? (
            <Alert type="info" role="status" title={t('travel.noCommunityYet')} />
          ) : (
            <>
              <Row gutter={16}>
                <Col xs={8}>
                  <Card size="small">
                    <Statistic title={t('community.households')} value={c.dashboard?.households ?? '—'} />
                  </Card>
                </Col>
                <Col xs={8}>
                  <Card size="small">
                    <Statistic title={t('community.residents')} value={c.dashboard?.residents ?? '—'} />
                  </Card>
                </Col>
                <Col xs={8}>
                  <Card size="small">
                    <Statistic title={t('issues.open')} value={c.open_issues.length} />
                  </Card>
                </Col>
              </Row>
              <Table
                style={{ marginTop: 8 }}
                rowKey={(r) => r.compound_id ?? r.name ?? ''}
                size="small"
                pagination={false}
                dataSource={c.property}
                locale={{ emptyText: t('common.none') }}
                columns={[
                  { title: t('compound.name'), dataIndex: 'name' },
                  { title: t('compound.company'), dataIndex: 'property_company', render: (v: string | null) => v ?? '—' },
                  { title: t('compound.since'), dataIndex: 'company_since', render: (v: string | null) => formatDate(v, i18n.language) },
                ]}
              />
            </>
          )}
        </div>
      )}
    </section>
  );
}
