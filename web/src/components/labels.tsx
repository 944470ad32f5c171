import { Tag } from 'antd';
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
