import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { ApiError, describeError } from '../api/errors';

/** A failed load, in plain words; a missing or hidden object gets a heading of its own. */
export function Failure({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const words = describeError(error, t);
  if (error instanceof ApiError && error.code === 'NOT_FOUND') {
    return (
      <>
        <Typography.Title level={2}>{t('errors.notFoundTitle')}</Typography.Title>
        <Alert type="warning" showIcon role="alert" title={words} />
      </>
    );
  }
  return <Alert type="error" showIcon role="alert" title={words} />;
}
