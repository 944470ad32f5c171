import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Form, Input, Row, Select, Space, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import { read } from '../api/graphql';
import { CommunityChanges } from '../components/CommunityChanges';
import { Failure } from '../components/Failure';
import { StatusTag, STATUSES } from '../components/labels';
import { DateInput } from '../components/pickers';
import { WideTable } from '../components/WideTable';
import { formatDate, formatDateTime, nextDay } from '../format';
import { graphql } from '../gql';
import type { IssueFilter, IssueStatus } from '../gql/graphql';

const PAGE = 20;

const BoardQuery = graphql(`
  query Board(
    $filter: IssueFilter
    $first: Int
    $after: String
    $last: Int
    $before: String
    $atLeastPosition: Int
  ) {
    issues(filter: $filter, first: $first, after: $after, last: $last, before: $before, atLeastPosition: $atLeastPosition) {
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      nodes {
        id
        communityId
        title
        category
        status
        reportedAt
        assignee
        dueBy
        overdue
        escalated
      }
    }
  }
`);

const ScopeQuery = graphql(`
  query BoardScope($atLeastPosition: Int) {
    communities(atLeastPosition: $atLeastPosition) {
      id
      name
      grids {
        id
        name
      }
      issueStats {
        open
        overdue
      }
    }
  }
`);

const FILTERS = ['community', 'status', 'category', 'grid', 'assignee', 'from', 'to'] as const;

/** The issue board: filters in the URL, cursor paging, open and overdue counts. */
export default function Board() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const client = useQueryClient();
  const get = (k: string) => params.get(k) || undefined;
  const filter: IssueFilter = {
    communityId: get('community'),
    status: get('status') as IssueStatus | undefined,
    category: get('category'),
    gridId: get('grid'),
    assignee: get('assignee'),
    reportedFrom: get('from') ? `${get('from')}T00:00:00+08:00` : undefined,
    // "To" is inclusive on screen; the filter's bound is exclusive.
    reportedTo: get('to') ? `${nextDay(get('to') ?? '')}T00:00:00+08:00` : undefined,
  };
  const after = get('after');
  const before = get('before');
  const page = useQuery({
    queryKey: ['board', params.toString()],
    queryFn: () =>
      read(BoardQuery, {
        filter,
        ...(before ? { last: PAGE, before } : { first: PAGE, after: after ?? null }),
      }),
  });
  const scope = useQuery({ queryKey: ['board-scope'], queryFn: () => read(ScopeQuery, {}) });
  const communities = scope.data?.communities ?? [];
  const counted = communities.filter((c) => !filter.communityId || c.id === filter.communityId);
  const open = counted.reduce((n, c) => n + c.issueStats.open, 0);
  const overdue = counted.reduce((n, c) => n + c.issueStats.overdue, 0);
  const grids = communities.filter((c) => c.id === filter.communityId || communities.length === 1).flatMap((c) => c.grids);
  const names = new Map(communities.map((c) => [c.id, c.name]));

  function apply(values: Record<string, string | undefined>) {
    const next = new URLSearchParams();
    for (const key of FILTERS) {
      const value = values[key]?.trim();
      if (value) next.set(key, value);
    }
    setParams(next);
  }

  function go(key: 'after' | 'before', cursor: string | null | undefined) {
    if (!cursor) return;
    const next = new URLSearchParams(params);
    next.delete('after');
    next.delete('before');
    next.set(key, cursor);
    setParams(next);
  }

  return (
    <>
      <Typography.Title level={2}>{t('board.title')}</Typography.Title>
      {counted.map((c) => (
        <CommunityChanges
          key={c.id}
          communityId={c.id}
          onChange={() => {
            void client.invalidateQueries({ queryKey: ['board'] });
            void client.invalidateQueries({ queryKey: ['board-scope'] });
          }}
        />
      ))}
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('issues.open')} value={open} loading={scope.isPending} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('issues.overdue')} value={overdue} loading={scope.isPending} styles={{ content: { color: overdue ? '#cf1322' : undefined } }} />
          </Card>
        </Col>
      </Row>
      <Form
        layout="inline"
        key={params.toString()}
        initialValues={Object.fromEntries(FILTERS.map((k) => [k, get(k)]))}
        onFinish={apply}
        style={{ marginBottom: 16, rowGap: 8 }}
        aria-label={t('board.filters')}
      >
        {communities.length > 1 && (
          <Form.Item name="community" label={t('board.community')}>
            <Select allowClear style={{ width: 140 }} options={communities.map((c) => ({ value: c.id, label: c.name }))} />
          </Form.Item>
        )}
        <Form.Item name="status" label={t('board.status')}>
          <Select allowClear style={{ width: 120 }} options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
        </Form.Item>
        <Form.Item name="category" label={t('issue.category')}>
          <Input style={{ width: 120 }} />
        </Form.Item>
        {grids.length > 0 && (
          <Form.Item name="grid" label={t('issue.grid')}>
            <Select allowClear style={{ width: 140 }} options={grids.map((g) => ({ value: g.id, label: g.name }))} />
          </Form.Item>
        )}
        <Form.Item name="assignee" label={t('issue.assignee')}>
          <Input style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="from" label={t('board.from')}>
          <DateInput style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="to" label={t('board.to')}>
          <DateInput style={{ width: 150 }} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              {t('board.apply')}
            </Button>
            <Button onClick={() => setParams(new URLSearchParams())}>{t('board.reset')}</Button>
          </Space>
        </Form.Item>
      </Form>
      {page.error && <Failure error={page.error} />}
      <WideTable
        label={t('board.title')}
        rowKey="id"
        size="small"
        loading={page.isPending}
        pagination={false}
        dataSource={page.data?.issues.nodes ?? []}
        locale={{ emptyText: t('board.empty') }}
        columns={[
          { title: t('issue.title'), dataIndex: 'title', render: (title: string, r) => <Link to={`/issues/${r.id}`}>{title}</Link> },
          { title: t('board.community'), dataIndex: 'communityId', render: (id: string) => names.get(id) ?? id },
          { title: t('issue.category'), dataIndex: 'category' },
          {
            title: t('board.status'),
            dataIndex: 'status',
            render: (s: IssueStatus, r) => (
              <Space size={4} wrap>
                <StatusTag status={s} />
                {r.overdue && <Tag color="red">{t('issues.overdue')}</Tag>}
                {r.escalated && <Tag color="purple">{t('issue.escalated')}</Tag>}
              </Space>
            ),
          },
          { title: t('issue.reportedAt'), dataIndex: 'reportedAt', render: (v: string) => formatDateTime(v, i18n.language) },
          { title: t('issue.assignee'), dataIndex: 'assignee', render: (v: string | null) => v ?? '—' },
          { title: t('issue.dueBy'), dataIndex: 'dueBy', render: (v: string | null) => formatDate(v, i18n.language) },
        ]}
      />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={!page.data?.issues.pageInfo.hasPreviousPage} onClick={() => go('before', page.data?.issues.pageInfo.startCursor)}>
          {t('board.previous')}
        </Button>
        <Button disabled={!page.data?.issues.pageInfo.hasNextPage} onClick={() => go('after', page.data?.issues.pageInfo.endCursor)}>
          {t('board.next')}
        </Button>
      </Space>
    </>
  );
}
