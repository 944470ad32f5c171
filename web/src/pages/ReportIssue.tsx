import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, AutoComplete, Button, ConfigProvider, Form, Input, Radio, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { describeError } from '../api/errors';
import { read, request, seen } from '../api/graphql';
import { issueId, uuid } from '../api/ids';
import { getSession } from '../api/session';
import { Failure } from '../components/Failure';
import { CATEGORIES } from '../components/labels';
import { useMe } from '../components/me';
import { DateInput, TimeInput } from '../components/pickers';
import { shanghaiMoment, shanghaiNow } from '../format';
import { graphql } from '../gql';
import type { IssueChannel } from '../gql/graphql';

const ScopeQuery = graphql(`
  query ReportScope($atLeastPosition: Int) {
    communities(atLeastPosition: $atLeastPosition) {
      id
      name
      grids {
        id
        name
      }
      compoundsList {
        id
        name
      }
    }
  }
`);

const ReportMutation = graphql(`
  mutation ReportIssue($input: ReportIssueInput!) {
    reportIssue(input: $input) {
      position
      issue {
        id
      }
    }
  }
`);

const CHANNELS: IssueChannel[] = ['PATROL', 'RESIDENT', 'CHAT_GROUP', 'HOTLINE'];

interface Values {
  communityId: string;
  compoundId?: string;
  gridId?: string;
  category: string;
  title: string;
  location: string;
  description: string;
  channel: IssueChannel;
  reporter: string;
  contactName?: string;
  contactPhone?: string;
  date: string;
  time: string;
}

/** Report an issue: one column, large touch targets, for a grid worker on a phone. */
export default function ReportIssue() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const me = useMe();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  // Kept across retries of the same report, so a resend after a lost answer is applied once.
  const [ids] = useState(() => ({ issue: issueId(), command: uuid(), person: `person-${uuid().slice(0, 12)}` }));
  const scope = useQuery({ queryKey: ['report-scope'], queryFn: () => read(ScopeQuery, {}) });
  const communityId = Form.useWatch('communityId', form);
  if (scope.error) return <Failure error={scope.error} />;
  const communities = scope.data?.communities ?? [];
  const chosen = communities.find((c) => c.id === communityId);
  const now = shanghaiNow();

  async function submit(v: Values) {
    setBusy(true);
    setFailure(null);
    try {
      const contactName = v.contactName?.trim();
      const result = await request(ReportMutation, {
        input: {
          commandId: ids.command,
          id: ids.issue,
          communityId: v.communityId,
          compoundId: v.compoundId || null,
          gridId: v.gridId || null,
          category: v.category.trim(),
          title: v.title.trim(),
          description: v.description.trim(),
          location: v.location.trim(),
          channel: v.channel,
          reporter: v.reporter.trim(),
          reportedAt: shanghaiMoment(v.date, v.time),
          reporterContact: contactName
            ? { personId: ids.person, name: contactName, phone: v.contactPhone?.trim() || null }
            : null,
        },
      });
      seen(result.reportIssue.position);
      await client.invalidateQueries();
      navigate(getSession()?.role === 'grid_worker' ? '/my-issues' : `/issues/${ids.issue}`);
    } catch (e) {
      setFailure(describeError(e, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <ConfigProvider theme={{ token: { controlHeight: 44, fontSize: 16 } }}>
      <div className="touch" style={{ maxWidth: 560 }}>
        <Typography.Title level={2}>{t('report.title')}</Typography.Title>
        {failure && <Alert type="error" showIcon role="alert" title={failure} style={{ marginBottom: 16 }} />}
        {communities.length > 0 && me.data && (
          <Form<Values>
            form={form}
            layout="vertical"
            onFinish={submit}
            requiredMark={false}
            initialValues={{
              communityId: communities[0]?.id,
              channel: 'PATROL',
              reporter: me.data.me.displayName,
              date: now.date,
              time: now.time,
            }}
          >
            <Form.Item name="communityId" label={t('issue.community')} rules={[{ required: true, message: t('form.required') }]}>
              <Select options={communities.map((c) => ({ value: c.id, label: c.name }))} />
            </Form.Item>
            <Form.Item name="category" label={t('issue.category')} rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 200 }]}>
              <AutoComplete options={CATEGORIES.map((c) => ({ value: c }))} />
            </Form.Item>
            <Form.Item name="title" label={t('issue.title')} rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 200, message: t('form.tooLong') }]}>
              <Input />
            </Form.Item>
            <Form.Item name="location" label={t('issue.location')} rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 200, message: t('form.tooLong') }]}>
              <Input />
            </Form.Item>
            <Form.Item name="description" label={t('issue.description')} rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 2000, message: t('form.tooLong') }]}>
              <Input.TextArea rows={4} />
            </Form.Item>
            <Form.Item name="channel" label={t('issue.channel')}>
              <Radio.Group optionType="button" options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
            </Form.Item>
            {chosen && chosen.grids.length > 0 && (
              <Form.Item name="gridId" label={t('issue.grid')}>
                <Select allowClear options={chosen.grids.map((g) => ({ value: g.id, label: g.name }))} />
              </Form.Item>
            )}
            {chosen && chosen.compoundsList.length > 0 && (
              <Form.Item name="compoundId" label={t('issue.compound')}>
                <Select allowClear options={chosen.compoundsList.map((c) => ({ value: c.id, label: c.name }))} />
              </Form.Item>
            )}
            <Form.Item name="reporter" label={t('issue.reporter')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
              <Input />
            </Form.Item>
            <Form.Item name="contactName" label={t('report.contactName')} extra={t('report.contactHint')}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item
              name="contactPhone"
              label={t('report.contactPhone')}
              rules={[{ pattern: /^[0-9+\- ]{5,20}$/, message: t('report.badPhone') }]}
            >
              <Input type="tel" inputMode="tel" autoComplete="off" />
            </Form.Item>
            <Form.Item name="date" label={t('report.date')} rules={[{ required: true, message: t('form.required') }]}>
              <DateInput allowClear={false} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="time" label={t('report.time')} rules={[{ required: true, message: t('form.required') }]}>
              <TimeInput allowClear={false} style={{ width: '100%' }} />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('report.submit')}
            </Button>
          </Form>
        )}
      </div>
    </ConfigProvider>
  );
}
