import { useQuery } from '@tanstack/react-query';
import { Alert, Input, Segmented, Slider, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiError, describeError } from '../../api/errors';
import { request } from '../../api/graphql';
import { formatDateTime, nextDay, shanghaiToday } from '../../format';
import { graphql } from '../../gql';

const Range = graphql(`
  query TimeRange {
    timeRange {
      happenedFrom
      happenedTo
      recordedFrom
      recordedTo
    }
  }
`);

const State = graphql(`
  query StreamStateOnAxis($streamId: String!, $asRecordedAt: DateTime, $asHappenedOn: Date) {
    streamState(streamId: $streamId, asRecordedAt: $asRecordedAt, asHappenedOn: $asHappenedOn) {
      asOfPosition
      version
      state
    }
  }
`);

type Axis = 'happened' | 'recorded';
const DAY = 86_400_000;
const MINUTE = 60_000;

/** Shanghai calendar day of a moment, as ms at its UTC midnight (a slider's day unit). */
function dayOf(moment: string): number {
  return Date.parse(`${shanghaiToday(new Date(moment))}T00:00:00Z`);
}

/**
 * A stream as the record has it on either time axis: as things happened by the end of a
 * day (the default), or as recorded at a moment. A slider spans the log's range on the axis.
 */
export function TimeTravel({ streamId }: { streamId: string }) {
  const { t, i18n } = useTranslation();
  const [axis, setAxis] = useState<Axis>('happened');
  const [day, setDay] = useState<string | null>(null);
  const [moment, setMoment] = useState<number | null>(null);
  const range = useQuery({ queryKey: ['time-range'], queryFn: () => request(Range) });
  const r = range.data?.timeRange;
  // Happened: whole days. Recorded: minutes, from a day before the first commit (nothing
  // recorded yet) to a minute after the last.
  const dayMin = r ? dayOf(r.happenedFrom) : 0;
  const dayMax = r ? dayOf(r.happenedTo) : 0;
  const recMin = r ? Math.floor((Date.parse(r.recordedFrom) - DAY) / MINUTE) * MINUTE : 0;
  const recMax = r ? Math.ceil((Date.parse(r.recordedTo) + MINUTE) / MINUTE) * MINUTE : 0;
  const chosenDay = day ?? (r ? new Date(dayMax).toISOString().slice(0, 10) : null);
  const chosenMoment = moment ?? recMax;
  const variables =
    axis === 'happened'
      ? { streamId, asHappenedOn: chosenDay, asRecordedAt: null }
      : { streamId, asRecordedAt: new Date(chosenMoment).toISOString(), asHappenedOn: null };
  const state = useQuery({
    queryKey: ['stream-on-axis', variables],
    queryFn: () => request(State, variables),
    enabled: r !== undefined && r !== null && (axis === 'recorded' || chosenDay !== null),
  });
  const company = (state.data?.streamState.state as { company?: string } | undefined)?.company;
  if (range.error) return <Alert type="error" title={describeError(range.error, t)} />;
  if (!r) return null;
  return (
    <section aria-label={t('travel.title')}>
      <Typography.Title level={3}>{t('travel.title')}</Typography.Title>
      <Segmented<Axis>
        value={axis}
        onChange={setAxis}
        options={[
          { value: 'happened', label: t('travel.happened') },
          { value: 'recorded', label: t('travel.recorded') },
        ]}
        aria-label={t('travel.axis')}
      />
      {axis === 'happened' ? (
        <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
          <label>
            {t('travel.happenedBy')}{' '}
            <Input type="date" aria-label={t('travel.day')} value={chosenDay ?? ''} onChange={(e) => setDay(e.target.value || null)} style={{ width: 170 }} />
          </label>
          <Slider
            ariaLabelForHandle={t('travel.day')}
            min={dayMin}
            max={dayMax}
            step={DAY}
            value={chosenDay ? Date.parse(`${chosenDay}T00:00:00Z`) : dayMax}
            onChange={(v: number) => setDay(new Date(v).toISOString().slice(0, 10))}
            tooltip={{ formatter: (v) => (v === undefined ? '' : new Date(v).toISOString().slice(0, 10)) }}
          />
        </Space>
      ) : (
        <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
          <label>
            {t('travel.recordedBy')}{' '}
            <Input
              type="date"
              aria-label={t('travel.recordedDay')}
              value={shanghaiToday(new Date(chosenMoment))}
              onChange={(e) => e.target.value && setMoment(Date.parse(`${nextDay(e.target.value)}T00:00:00+08:00`) - MINUTE)}
              style={{ width: 170 }}
            />
          </label>
          <Slider
            ariaLabelForHandle={t('travel.moment')}
            min={recMin}
            max={recMax}
            step={MINUTE}
            value={chosenMoment}
            onChange={(v: number) => setMoment(v)}
            tooltip={{ formatter: (v) => (v === undefined ? '' : formatDateTime(new Date(v).toISOString(), i18n.language)) }}
          />
          <Typography.Text>{formatDateTime(new Date(chosenMoment).toISOString(), i18n.language)}</Typography.Text>
        </Space>
      )}
      {state.error &&
        (state.error instanceof ApiError && state.error.code === 'NOT_FOUND' ? (
          <Alert type="info" role="status" title={t('audit.noStateYet')} style={{ marginTop: 8 }} />
        ) : (
          <Alert type="error" title={describeError(state.error, t)} style={{ marginTop: 8 }} />
        ))}
      {state.data && !state.error && (
        <>
          {company && (
            <Typography.Paragraph strong data-testid="travel-company" style={{ marginTop: 8 }}>
              {t('compound.company')}：{company}
            </Typography.Paragraph>
          )}
          <Typography.Paragraph style={{ marginTop: 8 }}>
            {t('audit.stateAt', { position: state.data.streamState.asOfPosition, version: state.data.streamState.version })}
          </Typography.Paragraph>
          <pre data-testid="travel-state" style={{ background: '#fafafa', padding: 8, maxHeight: 360, overflow: 'auto', whiteSpace: 'pre-wrap' }}>
            {JSON.stringify(state.data.streamState.state, null, 2)}
          </pre>
        </>
      )}
    </section>
  );
}
