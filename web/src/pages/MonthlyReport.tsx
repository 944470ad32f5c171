import { useQuery } from '@tanstack/react-query';
import { Button, Descriptions, Select, Skeleton, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { read } from '../api/graphql';
import { Chart, type ChartOption } from '../components/Chart';
import { Failure } from '../components/Failure';
import { MonthInput } from '../components/pickers';
import { usePlaceNames } from '../components/places';
import { WideTable } from '../components/WideTable';
import { formatCount, formatDate, formatDateTime, shanghaiToday } from '../format';
import { graphql } from '../gql';

const MonthQuery = graphql(`
  query MonthlyReport($id: String!, $filter: IssueFilter!, $after: String, $atLeastPosition: Int) {
    community(id: $id, atLeastPosition: $atLeastPosition) {
      id
      name
      households
      residents
      compoundsList {
        id
        name
        history {
          position
          kind
          happenedOn
          details
        }
      }
      heatingProjects {
        id
        compoundId
        percent
        milestones {
          milestone
          householdsDone
          completedOn
          updatedOn
        }
      }
      newsroom {
        name
        totalViews
      }
      videos {
        id
        title
        publishedOn
        views
      }
      activities {
        id
        title
        heldOn
        participants
      }
    }
    issues(filter: $filter, first: 100, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        title
        category
        status
        reportedAt
        resolvedAt
      }
    }
  }
`);

const ScopeQuery = graphql(`
  query MonthlyReportScope($atLeastPosition: Int) {
    communities(atLeastPosition: $atLeastPosition) {
      id
      name
    }
  }
`);

function monthBounds(month: string): { from: string; to: string; first: string; last: string } {
  const [y, m] = month.split('-').map(Number);
  const year = y ?? 1970;
  const mon = m ?? 1;
  const next = mon === 12 ? `${year + 1}-01` : `${year}-${String(mon + 1).padStart(2, '0')}`;
  const lastDay = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  return {
    from: `${month}-01T00:00:00+08:00`,
    to: `${next}-01T00:00:00+08:00`,
    first: `${month}-01`,
    last: `${month}-${String(lastDay).padStart(2, '0')}`,
  };
}

/** A community's monthly report (社区月报): printable on A4 from the browser. */
export default function MonthlyReport() {
  const { t, i18n } = useTranslation();
  const place = usePlaceNames();
  const [params, setParams] = useSearchParams();
  const scope = useQuery({ queryKey: ['report-scope-2'], queryFn: () => read(ScopeQuery, {}) });
  const community = params.get('community') ?? scope.data?.communities[0]?.id ?? '';
  const month = params.get('month') ?? shanghaiToday().slice(0, 7);
  const bounds = monthBounds(month);
  const { data, error, isPending } = useQuery({
    queryKey: ['monthly', community, month],
    enabled: community !== '',
    queryFn: async () => {
      // Every issue of the month, page by page.
      const filter = { communityId: community, reportedFrom: bounds.from, reportedTo: bounds.to };
      const first = await read(MonthQuery, { id: community, filter, after: null });
      const issues = [...first.issues.nodes];
      let page = first.issues.pageInfo;
      while (page.hasNextPage) {
        const next = await read(MonthQuery, { id: community, filter, after: page.endCursor ?? null });
        issues.push(...next.issues.nodes);
        page = next.issues.pageInfo;
      }
      return { community: first.community, issues };
    },
  });
  const inMonth = (d: string | null | undefined) => !!d && d >= bounds.first && d <= bounds.last;
  const categories = useMemo(() => {
    const counts = new Map<string, number>();
    for (const i of data?.issues ?? []) counts.set(i.category, (counts.get(i.category) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1]);
  }, [data]);
  if (error) return <Failure error={error} />;
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next);
  };
  const controls = (
    <Space wrap className="no-print" style={{ marginBottom: 16 }}>
      {(scope.data?.communities.length ?? 0) > 1 && (
        <Select aria-label={t('issue.community')} value={community} style={{ width: 140 }} onChange={(v) => set('community', v)} options={scope.data?.communities.map((c) => ({ value: c.id, label: c.name }))} />
      )}
      <MonthInput aria-label={t('report2.month')} value={month} onChange={(value) => value && set('month', value)} style={{ width: 170 }} />
      <Button type="primary" onClick={() => window.print()}>
        {t('report2.print')}
      </Button>
    </Space>
  );
  if (isPending || !data) return <>{controls}<Skeleton active /></>;
  const c = data.community;
  const issues = data.issues;
  const resolved = issues.filter((i) => i.resolvedAt);
  const hours = resolved.map((i) => (Date.parse(i.resolvedAt ?? '') - Date.parse(i.reportedAt)) / 3_600_000);
  const mean = hours.length ? hours.reduce((a, b) => a + b, 0) / hours.length : null;
  const property = c.compoundsList.flatMap((x) => x.history.filter((h) => inMonth(h.happenedOn)).map((h) => ({ ...h, compound: x.name })));
  const heating = c.heatingProjects.flatMap((p) =>
    p.milestones
      .filter((m) => inMonth(m.completedOn) || inMonth(m.updatedOn))
      .map((m) => ({ ...m, project: p.id, compound: place.compound(p.compoundId) })),
  );
  const videos = c.videos.filter((v) => inMonth(v.publishedOn));
  const activities = c.activities.filter((a) => inMonth(a.heldOn));
  const option: ChartOption = {
    grid: { top: 20, left: 40, right: 16, bottom: 30 },
    xAxis: { type: 'category', data: categories.map(([k]) => k) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: t('dashboard.issues'), type: 'bar', data: categories.map(([, n]) => n) }],
  };
  const [year, mon] = month.split('-');
  return (
    <article className="report">
      {controls}
      <Typography.Title level={2}>{t('report2.title', { community: c.name, year, month: Number(mon) })}</Typography.Title>
      <Descriptions bordered size="small" column={{ xs: 1, sm: 2 }} data-testid="report-figures">
        <Descriptions.Item label={t('report2.reported')}>{t('report2.count', { n: issues.length })}</Descriptions.Item>
        <Descriptions.Item label={t('report2.resolved')}>{t('report2.count', { n: resolved.length })}</Descriptions.Item>
        <Descriptions.Item label={t('report2.meanHours')}>{mean === null ? '—' : mean.toFixed(1)}</Descriptions.Item>
        <Descriptions.Item label={t('report2.households')}>{formatCount(c.households)}</Descriptions.Item>
        <Descriptions.Item label={t('report2.videos')}>{t('report2.count', { n: videos.length })}</Descriptions.Item>
        <Descriptions.Item label={t('report2.plays')}>{formatCount(videos.reduce((n, v) => n + v.views, 0))}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={3}>{t('report2.issues')}</Typography.Title>
      {categories.length > 0 && (
        <Chart
          title={t('report2.byCategory')}
          summary={categories.map(([k, n]) => `${k} ${n}`).join('，')}
          option={option}
          height={220}
          table={{ columns: [t('issue.category'), t('dashboard.issues')], rows: categories.map(([k, n]) => [k, n]) }}
        />
      )}
      <WideTable
        label={t('report2.issues')}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={issues}
        locale={{ emptyText: t('board.empty') }}
        columns={[
          { title: t('issue.title'), dataIndex: 'title' },
          { title: t('issue.category'), dataIndex: 'category' },
          { title: t('issue.reportedAt'), dataIndex: 'reportedAt', render: (v: string) => formatDateTime(v, i18n.language) },
          { title: t('issue.resolvedAt'), dataIndex: 'resolvedAt', render: (v: string | null) => formatDateTime(v, i18n.language) },
          { title: t('board.status'), dataIndex: 'status', render: (s: string) => t(`status.${s}`) },
        ]}
      />
      <Typography.Title level={3}>{t('report2.property')}</Typography.Title>
      <WideTable
        label={t('report2.property')}
        rowKey="position"
        size="small"
        pagination={false}
        dataSource={property}
        locale={{ emptyText: t('common.none') }}
        columns={[
          { title: t('compound.name'), dataIndex: 'compound' },
          { title: t('report2.day'), dataIndex: 'happenedOn', render: (v: string) => formatDate(v, i18n.language) },
          { title: t('report2.what'), dataIndex: 'kind', render: (k: string) => t(`propertyKind.${k}`) },
        ]}
      />
      <Typography.Title level={3}>{t('report2.heating')}</Typography.Title>
      <WideTable
        label={t('report2.heating')}
        rowKey={(r) => `${r.project}/${r.milestone}`}
        size="small"
        pagination={false}
        dataSource={heating}
        locale={{ emptyText: t('common.none') }}
        columns={[
          { title: t('issue.compound'), dataIndex: 'compound' },
          { title: t('report2.what'), dataIndex: 'milestone', render: (m: string) => t(`milestone.${m}`) },
          { title: t('heating.households'), dataIndex: 'householdsDone' },
          { title: t('report2.day'), dataIndex: 'completedOn', render: (v: string | null, r) => formatDate(v ?? r.updatedOn, i18n.language) },
        ]}
      />
      <Typography.Title level={3}>{t('report2.life')}</Typography.Title>
      <WideTable
        label={t('report2.life')}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={[...videos.map((v) => ({ id: v.id, what: v.title, day: v.publishedOn, n: v.views })), ...activities.map((a) => ({ id: a.id, what: a.title, day: a.heldOn, n: a.participants }))]}
        locale={{ emptyText: t('common.none') }}
        columns={[
          { title: t('report2.what'), dataIndex: 'what' },
          { title: t('report2.day'), dataIndex: 'day', render: (v: string) => formatDate(v, i18n.language) },
          { title: t('report2.figure'), dataIndex: 'n' },
        ]}
      />
    </article>
  );
}
