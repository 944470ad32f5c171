// The forms of the workflow steps. Which steps a user sees comes from the server
// (`availableActions`); these only collect each step's own fields.
import { Form, Input, InputNumber, Rate } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';

import { DateInput, TimeInput } from '../../components/pickers';
import { shanghaiMoment, shanghaiNow, shanghaiToday } from '../../format';
import { graphql } from '../../gql';
import type { IssueAction } from '../../gql/graphql';

export const Steps = {
  ASSIGN: graphql(`
    mutation AssignIssue($input: AssignIssueInput!) {
      assignIssue(input: $input) {
        position
      }
    }
  `),
  SURVEY_SITE: graphql(`
    mutation SurveySite($input: SurveySiteInput!) {
      surveySite(input: $input) {
        position
      }
    }
  `),
  PROPOSE_SOLUTION: graphql(`
    mutation ProposeSolution($input: ProposeSolutionInput!) {
      proposeSolution(input: $input) {
        position
      }
    }
  `),
  RECORD_CONSENT: graphql(`
    mutation RecordConsent($input: RecordConsentInput!) {
      recordConsent(input: $input) {
        position
      }
    }
  `),
  RESOLVE: graphql(`
    mutation ResolveIssue($input: ResolveIssueInput!) {
      resolveIssue(input: $input) {
        position
      }
    }
  `),
  RECORD_FEEDBACK: graphql(`
    mutation RecordFeedback($input: RecordFeedbackInput!) {
      recordFeedback(input: $input) {
        position
      }
    }
  `),
  CLOSE: graphql(`
    mutation CloseIssue($input: CloseIssueInput!) {
      closeIssue(input: $input) {
        position
      }
    }
  `),
  REOPEN: graphql(`
    mutation ReopenIssue($input: ReopenIssueInput!) {
      reopenIssue(input: $input) {
        position
      }
    }
  `),
  ESCALATE: graphql(`
    mutation EscalateIssue($input: EscalateIssueInput!) {
      escalateIssue(input: $input) {
        position
      }
    }
  `),
} as const;

type Values = Record<string, string | number | undefined>;

function text(name: string, label: string, t: TFunction, long = false): ReactNode {
  return (
    <Form.Item key={name} name={name} label={label} rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: long ? 2000 : 200, message: t('form.tooLong') }]}>
      {long ? <Input.TextArea rows={3} /> : <Input />}
    </Form.Item>
  );
}

function date(name: string, label: string, t: TFunction): ReactNode {
  return (
    <Form.Item key={name} name={name} label={label} rules={[{ required: true, message: t('form.required') }]}>
      <DateInput allowClear={false} style={{ width: '100%' }} />
    </Form.Item>
  );
}

/** The fields of a step, and its initial values. */
export function fieldsOf(action: IssueAction, t: TFunction): { fields: ReactNode[]; initial: Values } {
  const today = shanghaiToday();
  switch (action) {
    case 'ASSIGN':
      return { fields: [text('assignee', t('issue.assignee'), t), date('dueBy', t('issue.dueBy'), t)], initial: {} };
    case 'SURVEY_SITE':
      return {
        fields: [text('surveyedWith', t('steps.surveyedWith'), t), text('findings', t('steps.findings'), t, true), date('surveyedOn', t('steps.surveyedOn'), t)],
        initial: { surveyedOn: today },
      };
    case 'PROPOSE_SOLUTION':
      return { fields: [text('solution', t('steps.solution'), t, true)], initial: {} };
    case 'RECORD_CONSENT':
      return { fields: [text('summary', t('steps.consent'), t, true)], initial: {} };
    case 'RESOLVE': {
      const now = shanghaiNow();
      return {
        fields: [
          text('action', t('steps.action'), t, true),
          <Form.Item key="items" name="items" label={t('steps.items')}>
            <InputNumber min={0} max={100000} style={{ width: '100%' }} />
          </Form.Item>,
          date('date', t('steps.resolvedOn'), t),
          <Form.Item key="time" name="time" label={t('steps.resolvedTime')} rules={[{ required: true, message: t('form.required') }]}>
            <TimeInput allowClear={false} style={{ width: '100%' }} />
          </Form.Item>,
        ],
        initial: { date: now.date, time: now.time },
      };
    }
    case 'RECORD_FEEDBACK':
      return {
        fields: [
          <Form.Item key="satisfaction" name="satisfaction" label={t('steps.satisfaction')} rules={[{ required: true, message: t('form.required') }]}>
            <Rate />
          </Form.Item>,
          text('comment', t('steps.comment'), t, true),
        ],
        initial: { satisfaction: 5 },
      };
    case 'CLOSE':
      return { fields: [], initial: {} };
    case 'REOPEN':
    case 'ESCALATE':
      return { fields: [text('reason', t('steps.reason'), t, true)], initial: {} };
  }
}

/** The mutation input of a step from its form's values. */
export function inputOf(action: IssueAction, id: string, v: Values, commandId: string): Record<string, unknown> {
  const s = (k: string) => String(v[k] ?? '').trim();
  const base = { id, commandId };
  switch (action) {
    case 'ASSIGN':
      return { ...base, assignee: s('assignee'), dueBy: s('dueBy') };
    case 'SURVEY_SITE':
      return { ...base, surveyedWith: s('surveyedWith'), findings: s('findings'), surveyedOn: s('surveyedOn') };
    case 'PROPOSE_SOLUTION':
      return { ...base, solution: s('solution') };
    case 'RECORD_CONSENT':
      return { ...base, summary: s('summary') };
    case 'RESOLVE':
      return {
        ...base,
        action: s('action'),
        items: v.items === undefined || v.items === null || v.items === '' ? null : Number(v.items),
        resolvedAt: shanghaiMoment(s('date'), s('time')),
      };
    case 'RECORD_FEEDBACK':
      return { ...base, satisfaction: Number(v.satisfaction), comment: s('comment') };
    case 'CLOSE':
      return base;
    case 'REOPEN':
    case 'ESCALATE':
      return { ...base, reason: s('reason') };
  }
}
