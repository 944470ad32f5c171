import { useQuery, useQueryClient } from '@tanstack/react-query';
import { message as msg, Button, Card, Descriptions, Form, Modal, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { read, request, seen } from '../api/graphql';
import { describeError } from '../api/errors';
import { uuid } from '../api/ids';
import { useSubscription } from '../api/live';
import { getSession } from '../api/session';
import { Failure } from '../components/Failure';
import { StatusTag } from '../components/labels';
import { usePlaceNames } from '../components/places';
import { formatDate, formatDateTime } from '../format';
import { graphql } from '../gql';
import type { IssueAction, TypedDocumentString } from '../gql/graphql';
import { fieldsOf, inputOf, Steps } from './issue/actions';

const IssueQuery = graphql(`
  query IssuePage($id: String!, $withContact: Boolean!, $atLeastPosition: Int) {
    issue(id: $id, atLeastPosition: $atLeastPosition) {
      id
      communityId
      compoundId
      gridId
      category
      title
      description
      location
      channel
      reporter
      status
      assignee
      dueBy
      escalated
      items
      resolution
      satisfaction
      reportedAt
      resolvedAt
      closedAt
      overdue
      availableActions
      reporterContact @include(if: $withContact) {
        personId
        name
        phone
        erased
      }
      timeline {
        position
        eventType
        recordedAt
        actorId
        actorName
        summary
        dueBy
        satisfaction
      }
    }
  }
`);

const IssueChanges = graphql(`
  subscription IssueChanges($streamId: String!, $after: Int) {
    changes(streamId: $streamId, after: $after) {
      position
    }
  }
`);

type StepDocument = TypedDocumentString<Record<string, { position: number }>, { input: Record<string, unknown> }>;

/** One issue: its fields, its timeline with who did each step, and the steps the user may take. */
export default function IssuePage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const place = usePlaceNames();
  const [message, messages] = msg.useMessage();
  const client = useQueryClient();
  const role = getSession()?.role;
  const withContact = role === 'street_admin' || role === 'community_staff';
  const { data, error, isPending } = useQuery({
    queryKey: ['issue', id],
    queryFn: () => read(IssueQuery, { id, withContact }),
  });
  // Someone else's step shows up without a reload: every change after the last step this
  // page has read, even one made before the subscription started.
  const after = data?.issue.timeline.reduce((max, e) => Math.max(max, e.position), 0);
  useSubscription(
    IssueChanges,
    { streamId: `issue-${id}`, after: after ?? null },
    (change) => {
      seen(change.changes.position);
      void client.invalidateQueries({ queryKey: ['issue', id] });
    },
    after !== undefined,
  );
  const [action, setAction] = useState<IssueAction | null>(null);
  const [commandId, setCommandId] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [form] = Form.useForm();

  if (error) return <Failure error={error} />;
  if (isPending || !data) return <Skeleton active />;
  const issue = data.issue;
  const step = action ? fieldsOf(action, t) : null;

  function open(next: IssueAction) {
    setAction(next);
    // One command id per attempt: sending again after a lost answer is applied once.
    setCommandId(uuid());
    setFailure(null);
    form.resetFields();
  }

  async function submit(values: Record<string, string | number | undefined>) {
    if (!action) return;
    setBusy(true);
    setFailure(null);
    try {
      const result = await request(Steps[action] as unknown as StepDocument, {
        input: inputOf(action, issue.id, values, commandId),
      });
      const position = Object.values(result)[0]?.position;
      if (position) seen(position);
      setAction(null);
      message.success(t('steps.done', { step: t(`actions.${action}`) }));
      await client.invalidateQueries();
    } catch (e) {
      setFailure(describeError(e, t));
    } finally {
      setBusy(false);
    }
  }

  const contact = issue.reporterContact;
  return (
    <>
      {messages}
      <Space wrap align="center" style={{ marginBottom: 8 }}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {issue.title}
        </Typography.Title>
        <StatusTag status={issue.status} />
        {issue.overdue && <Tag color="red">{t('issues.overdue')}</Tag>}
        {issue.escalated && <Tag color="purple">{t('issue.escalated')}</Tag>}
      </Space>
      <Card size="small" title={t('issue.actions')} style={{ marginBottom: 16 }} data-testid="actions">
        {issue.availableActions.length === 0 ? (
          <Typography.Text type="secondary">{t('issue.noActions')}</Typography.Text>
        ) : (
          <Space wrap>
            {issue.availableActions.map((a) => (
              <Button key={a} type={a === 'CLOSE' || a === 'RESOLVE' ? 'primary' : 'default'} onClick={() => open(a)}>
                {t(`actions.${a}`)}
              </Button>
            ))}
          </Space>
        )}
      </Card>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('issue.community')}>
          <Link to={`/communities/${issue.communityId}`}>{place.community(issue.communityId)}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('issue.category')}>{issue.category}</Descriptions.Item>
        <Descriptions.Item label={t('issue.location')}>{issue.location}</Descriptions.Item>
        <Descriptions.Item label={t('issue.channel')}>{t(`channel.${issue.channel}`)}</Descriptions.Item>
        <Descriptions.Item label={t('issue.reporter')}>{issue.reporter}</Descriptions.Item>
        <Descriptions.Item label={t('issue.reportedAt')}>{formatDateTime(issue.reportedAt, i18n.language)}</Descriptions.Item>
        <Descriptions.Item label={t('issue.assignee')}>{issue.assignee ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('issue.dueBy')}>{formatDate(issue.dueBy, i18n.language)}</Descriptions.Item>
        {issue.compoundId && (
          <Descriptions.Item label={t('issue.compound')}>
            <Link to={`/compounds/${issue.compoundId}`}>{place.compound(issue.compoundId)}</Link>
          </Descriptions.Item>
        )}
        {issue.resolution && <Descriptions.Item label={t('issue.resolution')}>{issue.resolution}</Descriptions.Item>}
        {issue.resolvedAt && <Descriptions.Item label={t('issue.resolvedAt')}>{formatDateTime(issue.resolvedAt, i18n.language)}</Descriptions.Item>}
        {issue.satisfaction && <Descriptions.Item label={t('steps.satisfaction')}>{'★'.repeat(issue.satisfaction)}</Descriptions.Item>}
        <Descriptions.Item label={t('issue.description')} span={2}>
          {issue.description}
        </Descriptions.Item>
        {withContact && (
          <Descriptions.Item label={t('issue.contact')} span={2}>
            {!contact
              ? '—'
              : contact.erased
                ? <Tag>{t('issue.erased')}</Tag>
                : `${contact.name ?? ''} ${contact.phone ?? ''}`}
          </Descriptions.Item>
        )}
      </Descriptions>
      <Typography.Title level={3} style={{ marginTop: 24 }}>
        {t('issue.timeline')}
      </Typography.Title>
      <Timeline
        data-testid="timeline"
        items={issue.timeline.map((e) => ({
          key: e.position,
          children: (
            <div>
              <Typography.Text strong>{t(`events.${e.eventType}`, { defaultValue: e.eventType })}</Typography.Text>
              {e.summary && <div>{e.summary}</div>}
              {e.dueBy && <div>{t('issue.stepDueBy', { date: formatDate(e.dueBy, i18n.language) })}</div>}
              {e.satisfaction != null && <div>{t('issue.stepSatisfaction', { n: e.satisfaction })}</div>}
              <div>
                <Typography.Text type="secondary">
                  {formatDateTime(e.recordedAt, i18n.language)} · <span data-testid="actor">{e.actorName ?? e.actorId}</span> · #{e.position}
                </Typography.Text>
              </div>
            </div>
          ),
        }))}
      />
      <Modal
        open={action !== null}
        title={action ? t(`actions.${action}`) : ''}
        onCancel={() => setAction(null)}
        onOk={() => form.submit()}
        okText={t('form.submit')}
        cancelText={t('form.cancel')}
        confirmLoading={busy}
        destroyOnHidden
      >
        {failure && (
          <Typography.Paragraph type="danger" role="alert">
            {failure}
          </Typography.Paragraph>
        )}
        {action === 'CLOSE' && <Typography.Paragraph>{t('steps.confirmClose')}</Typography.Paragraph>}
        <Form form={form} layout="vertical" initialValues={step?.initial} onFinish={submit} requiredMark={false}>
          {step?.fields}
        </Form>
      </Modal>
    </>
  );
}
