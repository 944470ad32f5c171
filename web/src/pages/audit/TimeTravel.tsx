import { useQuery } from '@tanstack/react-query';
import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { ApiError, describeError } from '../../api/errors';
import { request } from '../../api/graphql';
import { graphql } from '../../gql';
import { useCut } from './useCut';

const State = graphql(`
  query StreamStateOnAxis($streamId: String!, $asRecordedAt: DateTime, $asHappenedOn: Date) {
    streamState(streamId: $streamId, asRecordedAt: $asRecordedAt, asHappenedOn: $asHappenedOn) {
      asOfPosition
      version
      state
    }
  }
`);

/** A stream as the record has it on either time axis, with a slider over the log's range. */
export function TimeTravel({ streamId }: { streamId: string }) {
  const { t } = useTranslation();
  const [cut, controls] = useCut();
  const state = useQuery({
    queryKey: ['stream-on-axis', streamId, cut],
    queryFn: () => request(State, { streamId, ...(cut ?? { asHappenedOn: null, asRecordedAt: null }) }),
    enabled: cut !== null,
  });
  const company = (state.data?.streamState.state as { company?: string } | undefined)?.company;
  return (
    <section aria-label={t('travel.title')}>
      <Typography.Title level={3}>{t('travel.title')}</Typography.Title>
      {controls}
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
