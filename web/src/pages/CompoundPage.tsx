import { useQuery } from '@tanstack/react-query';
import { Descriptions, Skeleton, Tag, Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { read } from '../api/graphql';
import { Failure } from '../components/Failure';
import { usePlaceNames } from '../components/places';
import { formatDate } from '../format';
import { graphql } from '../gql';
import type { PropertyHistoryKind } from '../gql/graphql';

const CompoundQuery = graphql(`
  query CompoundPage($id: String!, $atLeastPosition: Int) {
    compound(id: $id, atLeastPosition: $atLeastPosition) {
      id
      communityId
      name
      propertyCompany
      companySince
      history {
        position
        kind
        happenedOn
        details
      }
    }
  }
`);

interface Tally {
  in_favour?: number;
  against?: number;
  abstained?: number;
}

type Details = Record<string, unknown> & { tally?: Tally };

const COLORS: Record<PropertyHistoryKind, string> = {
  APPOINTED: 'blue',
  DELIBERATION_OPENED: 'gray',
  MEETING_HELD: 'gray',
  VOTE: 'orange',
  REPLACED: 'red',
  APPRECIATION: 'green',
};

/** What a step of the property history says, in words. */
function describe(kind: PropertyHistoryKind, d: Details, t: TFunction): string {
  const s = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  const tally = d.tally ? t('compound.tally', { for: d.tally.in_favour ?? 0, against: d.tally.against ?? 0, abstained: d.tally.abstained ?? 0 }) : '';
  switch (kind) {
    case 'APPOINTED':
      return t('compound.appointed', { company: s('company') });
    case 'DELIBERATION_OPENED':
      return s('topic');
    case 'MEETING_HELD':
      return `${s('summary')}（${s('attendees')}）`;
    case 'VOTE':
      return `${tally} · ${d.approved ? t('compound.approved') : t('compound.rejected')}`;
    case 'REPLACED':
      return `${t('compound.replaced', { from: s('from') || '—', to: s('to') })} · ${tally}`;
    case 'APPRECIATION':
      return `${s('from')}：${s('item')}「${s('words')}」`;
  }
}

/** A compound and its property-management history as a timeline. */
export default function CompoundPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const place = usePlaceNames();
  const { data, error, isPending } = useQuery({
    queryKey: ['compound', id],
    queryFn: () => read(CompoundQuery, { id }),
  });
  if (error) return <Failure error={error} />;
  if (isPending || !data) return <Skeleton active />;
  const c = data.compound;
  return (
    <>
      <Typography.Title level={2}>{c.name}</Typography.Title>
      <Descriptions bordered size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('issue.community')}>
          <Link to={`/communities/${c.communityId}`}>{place.community(c.communityId)}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('compound.company')}>{c.propertyCompany ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('compound.since')}>{formatDate(c.companySince, i18n.language)}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={3} style={{ marginTop: 24 }}>
        {t('compound.history')}
      </Typography.Title>
      <Timeline
        data-testid="property-history"
        items={c.history.map((h) => ({
          key: h.position,
          color: COLORS[h.kind],
          children: (
            <div>
              <Typography.Text strong>{formatDate(h.happenedOn, i18n.language)}</Typography.Text>{' '}
              <Tag color={COLORS[h.kind] === 'gray' ? undefined : COLORS[h.kind]}>{t(`propertyKind.${h.kind}`)}</Tag>
              <div>{describe(h.kind, (h.details ?? {}) as Details, t)}</div>
            </div>
          ),
        }))}
      />
    </>
  );
}
