import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { IssueStatus } from '../gql/graphql';

const COLORS: Record<IssueStatus, string> = {
  UNREPORTED: 'default',
  REPORTED: 'orange',
  ASSIGNED: 'blue',
  RESOLVED: 'green',
  CLOSED: 'default',
};

/** An issue's status as a coloured tag. */
export function StatusTag({ status }: { status: IssueStatus }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[status]}>{t(`status.${status}`)}</Tag>;
}

export const STATUSES: IssueStatus[] = ['REPORTED', 'ASSIGNED', 'RESOLVED', 'CLOSED'];

/** Categories the story's issues use; staff may type others. */
export const CATEGORIES = ['安全隐患', '市容环境', '设施维修', '邻里纠纷', '物业服务', '供暖', '其他'];

/**
 * Who recorded an event, for auditors: the name the actor's account shows, with the login
 * they filter by under it; the id alone for an actor with no account.
 */
export function ActorLabel({ id, name }: { id: string; name?: string | null }) {
  if (!name) return <span data-testid="actor">{id}</span>;
  return (
    <span data-testid="actor">
      {name}
      <br />
      <Typography.Text type="secondary">{id}</Typography.Text>
    </span>
  );
}
