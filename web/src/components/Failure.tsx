import { Alert, Result } from 'antd';
import { useTranslation } from 'react-i18next';

import { ApiError, describeError } from '../api/errors';

/** A failed load, in plain words; a missing or hidden object gets a 404-like screen. */
export function Failure({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.code === 'NOT_FOUND') {
    return <Result status="404" title={t('errors.notFoundTitle')} subTitle={describeError(error, t)} />;
  }
  return <Alert type="error" showIcon role="alert" title={describeError(error, t)} />;
}
