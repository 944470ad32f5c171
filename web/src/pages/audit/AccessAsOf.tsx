import { useQuery } from '@tanstack/react-query';
import { Alert, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { describeError } from '../../api/errors';
import { request } from '../../api/graphql';
import { DateInput, TimeInput } from '../../components/pickers';
import { WideTable } from '../../components/WideTable';
import { formatDateTime, shanghaiMoment, shanghaiNow } from '../../format';
import { graphql } from '../../gql';

const Access = graphql(`
  query AccessAsOf($at: DateTime!, $communityId: String!) {
    accessAsOf(at: $at, communityId: $communityId) {
      login
      displayName
      role
      communityId
      fromAt
      untilAt
    }
    communities {
      id
      name
    }
  }
`);

/** Who held which role over a community at a moment, as recorded then. */
export function AccessAsOf() {
  const { t, i18n } = useTranslation();
  // Until a moment is picked: the moment the panel opened, to the microsecond.
  const [opened] = useState(() => new Date());
  const now = shanghaiNow(opened);
  const [community, setCommunity] = useState('guangsha');
  const [date, setDate] = useState(now.date);
  const [time, setTime] = useState(now.time);
  const [picked, setPicked] = useState(false);
  const at = picked ? shanghaiMoment(date, time) : opened.toISOString();
  const { data, error, isPending } = useQuery({
    queryKey: ['access-as-of', community, at],
    queryFn: () => request(Access, { at, communityId: community }),
  });
  return (
    <section aria-label={t('access.title')} style={{ marginTop: 24 }}>
      <Typography.Title level={3}>{t('access.title')}</Typography.Title>
      <Space wrap style={{ marginBottom: 8 }}>
        <Select aria-label={t('issue.community')} value={community} onChange={setCommunity} style={{ width: 140 }} options={(data?.communities ?? [{ id: community, name: community }]).map((c) => ({ value: c.id, label: c.name }))} />
        <DateInput aria-label={t('audit.date')} value={date} onChange={(value) => {
            if (!value) return;
            setDate(value);
            setPicked(true);
          }} style={{ width: 170 }} />
        <TimeInput aria-label={t('audit.time')} value={time} onChange={(value) => {
            if (!value) return;
            setTime(value);
            setPicked(true);
          }} style={{ width: 120 }} />
      </Space>
      {error && <Alert type="error" title={describeError(error, t)} />}
      <WideTable
        label={t('access.title')}
        rowKey={(r) => `${r.login}/${r.communityId}/${r.fromAt}`}
        size="small"
        pagination={false}
        loading={isPending}
        dataSource={data?.accessAsOf ?? []}
        locale={{ emptyText: t('common.none') }}
        columns={[
          { title: t('accounts.login'), dataIndex: 'login' },
          { title: t('accounts.displayName'), dataIndex: 'displayName' },
          { title: t('accounts.role'), dataIndex: 'role', render: (r: string) => t(`roles.${r.toLowerCase()}`) },
          { title: t('access.since'), dataIndex: 'fromAt', render: (v: string) => formatDateTime(v, i18n.language) },
          { title: t('access.until'), dataIndex: 'untilAt', render: (v: string | null) => formatDateTime(v, i18n.language) },
        ]}
      />
    </section>
  );
}
