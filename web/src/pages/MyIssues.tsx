import { useQuery } from '@tanstack/react-query';
import { Button, List, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { read } from '../api/graphql';
import { Failure } from '../components/Failure';
import { StatusTag } from '../components/labels';
import { useMe } from '../components/me';
import { formatDateTime } from '../format';
import { graphql } from '../gql';
import type { IssueFilter } from '../gql/graphql';

const MineQuery = graphql(`
  query MyIssues($filter: IssueFilter, $atLeastPosition: Int) {
    issues(filter: $filter, first: 50, atLeastPosition: $atLeastPosition) {
      nodes {
        id
        title
        location
        status
        reportedAt
        overdue
      }
    }
  }
`);

function Mine({ title, filter }: { title: string; filter: IssueFilter }) {
  const { t, i18n } = useTranslation();
  const { data, error, isPending } = useQuery({
    queryKey: ['mine', filter],
    queryFn: () => read(MineQuery, { filter }),
  });
  return (
    <section aria-label={title}>
      <Typography.Title level={3}>{title}</Typography.Title>
      {error && <Failure error={error} />}
      {isPending ? (
        <Skeleton active />
      ) : (
        <List
          bordered
          dataSource={data?.issues.nodes ?? []}
          locale={{ emptyText: t('mine.none') }}
          renderItem={(i) => (
            <List.Item>
              <List.Item.Meta
                title={<Link to={`/issues/${i.id}`}>{i.title}</Link>}
                description={`${i.location} · ${formatDateTime(i.reportedAt, i18n.language)}`}
              />
              <Space>
                <StatusTag status={i.status} />
                {i.overdue && <Tag color="red">{t('issues.overdue')}</Tag>}
              </Space>
            </List.Item>
          )}
        />
      )}
    </section>
  );
}

/** A grid worker's own issues: those they reported and those assigned to them. */
export default function MyIssues() {
  const { t } = useTranslation();
  const me = useMe();
  if (me.error) return <Failure error={me.error} />;
  if (!me.data) return <Skeleton active />;
  const name = me.data.me.displayName;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('mine.title')}
        </Typography.Title>
        <Link to="/issues/new">
          <Button type="primary" size="large">
            {t('nav.report')}
          </Button>
        </Link>
      </Space>
      <Mine title={t('mine.reported')} filter={{ reporter: name }} />
      <Mine title={t('mine.assigned')} filter={{ assignee: name }} />
    </Space>
  );
}
