import { useQuery } from '@tanstack/react-query';
import { Alert, Segmented, Slider, Space, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { describeError } from '../../api/errors';
import { request } from '../../api/graphql';
import { DateInput } from '../../components/pickers';
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

export type Axis = 'happened' | 'recorded';

/** A cut of the log: by the end of a day on the happened axis, or at a moment as recorded. */
export interface Cut {
  asHappenedOn: string | null;
  asRecordedAt: string | null;
}

const DAY = 86_400_000;
const MINUTE = 60_000;

/** Shanghai calendar day of a moment, as ms at its UTC midnight (a slider's day unit). */
function dayOf(moment: string): number {
  return Date.parse(`${shanghaiToday(new Date(moment))}T00:00:00Z`);
}

/**
 * The controls of a time cut: the axis (happened by default) and a slider over the log's
 * range on it, with a date input beside it. Answers the cut (null until the range is known)
 * and the controls to show.
 */
export function useCut(): [Cut | null, ReactNode] {
  const { t, i18n } = useTranslation();
  const [axis, setAxis] = useState<Axis>('happened');
  const [day, setDay] = useState<string | null>(null);
  const [moment, setMoment] = useState<number | null>(null);
  const range = useQuery({ queryKey: ['time-range'], queryFn: () => request(Range) });
  const r = range.data?.timeRange;
  if (range.error) return [null, <Alert key="error" type="error" title={describeError(range.error, t)} />];
  if (!r) return [null, null];
  // Happened: whole days. Recorded: minutes, from a day before the first commit (nothing
  // recorded yet) to a minute after the last.
  const dayMin = dayOf(r.happenedFrom);
  const dayMax = dayOf(r.happenedTo);
  const recMin = Math.floor((Date.parse(r.recordedFrom) - DAY) / MINUTE) * MINUTE;
  const recMax = Math.ceil((Date.parse(r.recordedTo) + MINUTE) / MINUTE) * MINUTE;
  const chosenDay = day ?? new Date(dayMax).toISOString().slice(0, 10);
  const chosenMoment = moment ?? recMax;
  const cut: Cut =
    axis === 'happened'
      ? { asHappenedOn: chosenDay, asRecordedAt: null }
      : { asHappenedOn: null, asRecordedAt: new Date(chosenMoment).toISOString() };
  const controls = (
    <div>
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
            <DateInput aria-label={t('travel.day')} value={chosenDay} onChange={(value) => setDay(value || null)} style={{ width: 170 }} />
          </label>
          <Slider
            ariaLabelForHandle={t('travel.day')}
            min={dayMin}
            max={dayMax}
            step={DAY}
            value={Date.parse(`${chosenDay}T00:00:00Z`)}
            onChange={(v: number) => setDay(new Date(v).toISOString().slice(0, 10))}
            tooltip={{ formatter: (v) => (v === undefined ? '' : new Date(v).toISOString().slice(0, 10)) }}
          />
        </Space>
      ) : (
        <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
          <label>
            {t('travel.recordedBy')}{' '}
            <DateInput
              aria-label={t('travel.recordedDay')}
              value={shanghaiToday(new Date(chosenMoment))}
              onChange={(value) => value && setMoment(Date.parse(`${nextDay(value)}T00:00:00+08:00`) - MINUTE)}
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
    </div>
  );
  return [cut, controls];
}
