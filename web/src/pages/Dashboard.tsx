import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Card, Col, notification, Row, Segmented, Skeleton, Statistic, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { read } from '../api/graphql';
import { Chart, type ChartOption } from '../components/Chart';
import { CommunityChanges } from '../components/CommunityChanges';
import { Failure } from '../components/Failure';
import { usePlaceNames } from '../components/places';
import { formatDate } from '../format';
import { graphql } from '../gql';
import type { DashboardQuery } from '../gql/graphql';

const Query = graphql(`
  query Dashboard($atLeastPosition: Int) {
    communities(atLeastPosition: $atLeastPosition) {
      id
      name
      households
      residents
      compounds
      coBuildingUnits
      merchants
      issueStats {
        open
        overdue
        resolved
        meanHoursToResolve
        p90HoursToResolve
      }
      issueFigures {
        weeks {
          week
          reported
          resolved
        }
        byCategory {
          category
          open
          overdue
        }
        resolutionHistogram {
          fromHours
          toHours
          count
        }
      }
      heatingProjects {
        id
        compoundId
        percent
        milestonesDone
        late
      }
      stars {
        star
        aimed
        awardedOn
      }
      videos {
        id
        title
        publishedOn
        views
      }
    }
  }
`);

type Community = DashboardQuery['communities'][number];

const hours = (h: number | null | undefined) => (h === null || h === undefined ? '—' : h.toFixed(1));

function weekly(communities: Community[], t: TFunction, lang: string) {
  const weeks = [...new Set(communities.flatMap((c) => c.issueFigures.weeks.map((w) => w.week)))].sort();
  const at = (c: Community, week: string) => c.issueFigures.weeks.find((w) => w.week === week);
  const series = communities.flatMap((c) => [
    { name: `${c.name} ${t('dashboard.reported')}`, type: 'line', data: weeks.map((w) => at(c, w)?.reported ?? 0) },
    { name: `${c.name} ${t('dashboard.resolvedWeekly')}`, type: 'line', lineStyle: { type: 'dashed' }, data: weeks.map((w) => at(c, w)?.resolved ?? 0) },
  ]);
  const option: ChartOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { top: 40, left: 40, right: 16, bottom: 30 },
    xAxis: { type: 'category', data: weeks.map((w) => formatDate(w, lang)) },
    yAxis: { type: 'value', minInterval: 1 },
    series,
  };
  const table = {
    columns: [t('dashboard.week'), ...series.map((s) => s.name)],
    rows: weeks.map((w, i) => [formatDate(w, lang), ...series.map((s) => s.data[i] ?? 0)]),
  };
  return { option, table };
}

function profiles(communities: Community[], t: TFunction) {
  const keys = ['households', 'residents', 'compounds', 'coBuildingUnits', 'merchants'] as const;
  const option: ChartOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { top: 40, left: 50, right: 16, bottom: 30 },
    xAxis: { type: 'category', data: keys.map((k) => t(`community.${k}`)) },
    yAxis: { type: 'value' },
    series: communities.map((c) => ({ name: c.name, type: 'bar', data: keys.map((k) => c[k] ?? 0) })),
  };
  const table = {
    columns: [t('issue.community'), ...keys.map((k) => t(`community.${k}`))],
    rows: communities.map((c) => [c.name, ...keys.map((k) => c[k] ?? '—')]),
  };
  return { option, table };
}

/** The street's dashboard: every figure is a read model's, and it follows changes live. */
export default function Dashboard() {
  const { t, i18n } = useTranslation();
  const { data, error, isPending } = useQuery({ queryKey: ['dashboard'], queryFn: () => read(Query, {}) });
  const [chosen, setChosen] = useState<string | null>(null);
  const [notices, noticeHolder] = notification.useNotification({ placement: 'topRight', duration: 8 });
  const client = useQueryClient();
  const openSeen = useRef(new Map<string, number>());
  const communities = useMemo(() => data?.communities ?? [], [data]);
  const lang = i18n.language;
  const place = usePlaceNames();
  const week = useMemo(() => weekly(communities, t, lang), [communities, t, lang]);
  const profile = useMemo(() => profiles(communities, t), [communities, t]);
  if (error) return <Failure error={error} />;
  if (isPending) return <Skeleton active />;
  const c = communities.find((x) => x.id === chosen) ?? communities[0];
  if (!c) return <Typography.Paragraph>{t('common.none')}</Typography.Paragraph>;
  const s = c.issueStats;
  const f = c.issueFigures;
  const bucket = (b: { fromHours: number; toHours: number }) => `${hours(b.fromHours)}–${hours(b.toHours)}`;

  const categoryOption: ChartOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { top: 40, left: 40, right: 16, bottom: 30 },
    xAxis: { type: 'category', data: f.byCategory.map((x) => x.category) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('issues.open'), type: 'bar', data: f.byCategory.map((x) => x.open) },
      { name: t('issues.overdue'), type: 'bar', color: '#cf1322', data: f.byCategory.map((x) => x.overdue) },
    ],
  };
  const histogramOption: ChartOption = {
    title: { text: t('dashboard.meanP90', { mean: hours(s.meanHoursToResolve), p90: hours(s.p90HoursToResolve) }), textStyle: { fontSize: 13, fontWeight: 'normal' } },
    tooltip: { trigger: 'axis' },
    grid: { top: 40, left: 40, right: 16, bottom: 40 },
    xAxis: { type: 'category', name: t('dashboard.hours'), nameLocation: 'middle', nameGap: 26, data: f.resolutionHistogram.map(bucket) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: t('dashboard.issues'), type: 'bar', data: f.resolutionHistogram.map((b) => b.count) }],
  };
  const heatingOption: ChartOption = {
    tooltip: { trigger: 'axis' },
    grid: { top: 20, left: 40, right: 16, bottom: 30 },
    xAxis: { type: 'category', data: c.heatingProjects.map((h) => place.compound(h.compoundId)) },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [{ name: t('heating.progress'), type: 'bar', data: c.heatingProjects.map((h) => Math.round(h.percent)) }],
  };
  const awarded = c.stars.filter((x) => x.awardedOn).length;
  const starsOption: ChartOption = {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0 },
    series: [
      {
        name: t('community.tabs.stars'),
        type: 'pie',
        radius: ['40%', '70%'],
        data: [
          { name: t('dashboard.awarded'), value: awarded },
          { name: t('stars.aimed'), value: c.stars.length - awarded },
        ],
      },
    ],
  };
  const videos = [...c.videos].sort((a, b) => a.publishedOn.localeCompare(b.publishedOn));
  const playsOption: ChartOption = {
    tooltip: { trigger: 'axis' },
    grid: { top: 20, left: 60, right: 16, bottom: 30 },
    xAxis: { type: 'category', data: videos.map((v) => formatDate(v.publishedOn, lang)) },
    yAxis: { type: 'value' },
    series: [{ name: t('life.views'), type: 'bar', data: videos.map((v) => v.views) }],
  };

  return (
    <>
      {noticeHolder}
      {communities.map((x) => (
        <CommunityChanges
          key={x.id}
          communityId={x.id}
          onChange={(changed) => {
            // A notice when its open issues grew (a new or reopened issue).
            const before = openSeen.current.get(changed.id) ?? x.issueStats.open;
            if (changed.issueStats.open > before) {
              notices.info({ title: t('dashboard.newIssue', { community: changed.name, open: changed.issueStats.open }), role: 'status' });
            }
            openSeen.current.set(changed.id, changed.issueStats.open);
            void client.invalidateQueries({ queryKey: ['dashboard'] });
          }}
        />
      ))}
      <Typography.Title level={2}>{t('dashboard.title')}</Typography.Title>
      {communities.length > 1 && (
        <Segmented
          aria-label={t('issue.community')}
          style={{ marginBottom: 16 }}
          value={c.id}
          onChange={(v) => setChosen(String(v))}
          options={communities.map((x) => ({ value: x.id, label: x.name }))}
        />
      )}
      <Row gutter={[16, 16]} data-testid="dashboard-stats">
        {(
          [
            ['open', t('issues.open'), s.open],
            ['overdue', t('issues.overdue'), s.overdue],
            ['resolved', t('issues.resolved'), s.resolved],
            ['mean', t('dashboard.mean'), hours(s.meanHoursToResolve)],
            ['p90', t('dashboard.p90'), hours(s.p90HoursToResolve)],
          ] as const
        ).map(([key, title, value]) => (
          <Col xs={12} md={4} key={key}>
            <Card size="small">
              <Statistic title={title} value={value} data-testid={`stat-${key}`} />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={12}>
          <Card size="small">
            <Chart testId="chart-weekly" title={t('dashboard.weekly')} summary={t('dashboard.weeklySummary', { weeks: week.table.rows.length })} option={week.option} table={week.table} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small">
            <Chart
              testId="chart-categories"
              title={t('dashboard.categories', { community: c.name })}
              summary={t('dashboard.categoriesSummary', { open: s.open, overdue: s.overdue })}
              option={categoryOption}
              table={{ columns: [t('issue.category'), t('issues.open'), t('issues.overdue')], rows: f.byCategory.map((x) => [x.category, x.open, x.overdue]) }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small">
            <Chart
              testId="chart-resolution"
              title={t('dashboard.resolution', { community: c.name })}
              summary={t('dashboard.meanP90', { mean: hours(s.meanHoursToResolve), p90: hours(s.p90HoursToResolve) })}
              option={histogramOption}
              table={{ columns: [t('dashboard.hours'), t('dashboard.issues')], rows: f.resolutionHistogram.map((b) => [bucket(b), b.count]) }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small">
            <Chart testId="chart-profiles" title={t('dashboard.profiles')} summary={t('dashboard.profilesSummary', { n: communities.length })} option={profile.option} table={profile.table} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small">
            <Chart
              testId="chart-heating"
              title={t('dashboard.heating', { community: c.name })}
              summary={t('dashboard.heatingSummary', { n: c.heatingProjects.length })}
              option={heatingOption}
              table={{ columns: [t('issue.compound'), t('heating.progress'), t('dashboard.milestonesDone')], rows: c.heatingProjects.map((h) => [place.compound(h.compoundId), `${Math.round(h.percent)}%`, h.milestonesDone]) }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small">
            <Chart
              testId="chart-stars"
              title={t('dashboard.stars', { community: c.name })}
              summary={t('dashboard.starsSummary', { awarded, aimed: c.stars.length - awarded })}
              option={starsOption}
              table={{ columns: [t('dashboard.star'), t('dashboard.starState')], rows: c.stars.map((x) => [x.star, x.awardedOn ? formatDate(x.awardedOn, lang) : t('stars.aimed')]) }}
            />
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small">
            <Chart
              testId="chart-plays"
              title={t('dashboard.plays', { community: c.name })}
              summary={t('dashboard.playsSummary', { n: videos.length })}
              option={playsOption}
              table={{ columns: [t('life.published'), t('life.video'), t('life.views')], rows: videos.map((v) => [formatDate(v.publishedOn, lang), v.title, v.views]) }}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
