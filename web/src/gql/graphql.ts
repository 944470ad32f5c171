/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What can be done to an account. */
export type AccountAction =
  /** `closeAccount`. */
  | 'CLOSE'
  /** `grantAccess`. */
  | 'GRANT'
  /** `reinstateAccount`. */
  | 'REINSTATE'
  /** `resetPassword`. */
  | 'RESET_PASSWORD'
  /** `suspendAccount`. */
  | 'SUSPEND';

/** The input of `reinstateAccount`, `closeAccount` and `resetPassword`. */
export type AccountInput = {
  /** Idempotency key. */
  commandId?: string | null | undefined;
  /** Login name. */
  login: string;
};

/** What an account may do. */
export type AccountRole =
  /** 审计: reads everything, changes nothing. */
  | 'AUDITOR'
  /** 社区工作人员: their own communities. */
  | 'COMMUNITY_STAFF'
  /** 网格员: reports and surveys in their own communities. */
  | 'GRID_WORKER'
  /** 街道: every community of the street. */
  | 'STREET_ADMIN';

/** Where an activity took place. */
export type ActivityVenue =
  /** 书绘堂. */
  | 'PAINTING_HALL'
  /** 手工坊. */
  | 'WORKSHOP';

/** The input of `assignIssue`: assign an issue with a due date (YYYY-MM-DD). */
export type AssignIssueInput = {
  /** Assignee. */
  assignee: string;
  /** Idempotency key: a retry with the same key returns the first result and writes nothing. */
  commandId?: string | null | undefined;
  /** Due by. */
  dueBy: string;
  /** The id. */
  id: string;
};

/** Where an item of a charity sale stands. */
export type CharityItemStatus =
  /** On offer. */
  | 'LISTED'
  /** Promised to a buyer before the sale day. */
  | 'PRE_SOLD'
  /** Sold. */
  | 'SOLD'
  /** Taken off the sale. */
  | 'WITHDRAWN';

/** The input of `closeIssue`: close a resolved issue. */
export type CloseIssueInput = {
  /** Idempotency key: a retry with the same key returns the first result and writes nothing. */
  commandId?: string | null | undefined;
  /** The id. */
  id: string;
};

/** A reporter's contact: personal data. */
export type ContactInput = {
  /** Name (at most 50 characters). */
  name: string;
  /** A stable id for the person (the same person, the same id). */
  personId: string;
  /** Phone (digits, spaces, '+' and '-'; at most 20 characters). */
  phone?: string | null | undefined;
};

/** The input of `escalateIssue`: escalate an issue to the street office. */
export type EscalateIssueInput = {
  /** Idempotency key: a retry with the same key returns the first result and writes nothing. */
  commandId?: string | null | undefined;
  /** The id. */
  id: string;
  /** Reason. */
  reason: string;
};

/** The input of `grantAccess`: replace an account's role and communities. */
export type GrantAccessInput = {
  /** Idempotency key. */
  commandId?: string | null | undefined;
  /** Communities. */
  communities: Array<string>;
  /** Login name. */
  login: string;
  /** Role. */
  role: AccountRole;
};

/** A kind of grid worker. */
export type GridWorkerKind =
  /** 网格员. */
  | 'GRID_WORKER'
  /** 微网格员. */
  | 'MICRO_GRID_WORKER';

/** A heating milestone, in its only possible order. */
export type HeatingMilestone =
  /** 通暖. */
  | 'HEATING_COMMISSIONED'
  /** 楼栋主管道打眼. */
  | 'MAIN_PIPES_DRILLED'
  /** 管道铺设. */
  | 'PIPES_LAID'
  /** 打压试验. */
  | 'PRESSURE_TESTED'
  /** 入户暖气片安装. */
  | 'RADIATORS_INSTALLED';

/** A workflow step that can be taken on an issue. */
export type IssueAction =
  /** Assign it with a due date (`assignIssue`). */
  | 'ASSIGN'
  /** Close it (`closeIssue`). */
  | 'CLOSE'
  /** Escalate it to the street office (`escalateIssue`). */
  | 'ESCALATE'
  /** Propose a solution (`proposeSolution`). */
  | 'PROPOSE_SOLUTION'
  /** Record residents' consent (`recordConsent`). */
  | 'RECORD_CONSENT'
  /** Record residents' feedback (`recordFeedback`). */
  | 'RECORD_FEEDBACK'
  /** Reopen it (`reopenIssue`). */
  | 'REOPEN'
  /** Mark it resolved (`resolveIssue`). */
  | 'RESOLVE'
  /** Record a site survey (`surveySite`). */
  | 'SURVEY_SITE';

/** How an issue reached the community. */
export type IssueChannel =
  /** Raised in a resident or merchant chat group. */
  | 'CHAT_GROUP'
  /** Through the hotline. */
  | 'HOTLINE'
  /** Found by a grid worker on patrol (走访). */
  | 'PATROL'
  /** From a resident. */
  | 'RESIDENT';

/** Filters of the issue board; every one left out matches all. */
export type IssueFilter = {
  /** Assignee. */
  assignee?: string | null | undefined;
  /** Category. */
  category?: string | null | undefined;
  /** Only this community; staff and grid workers see only their own communities either way. */
  communityId?: string | null | undefined;
  /** Compound. */
  compoundId?: string | null | undefined;
  /** Grid. */
  gridId?: string | null | undefined;
  /** Reported at or after. */
  reportedFrom?: string | null | undefined;
  /** Reported before. */
  reportedTo?: string | null | undefined;
  /** Reporter, as named in the report (a grid worker's own reports). */
  reporter?: string | null | undefined;
  /** Status. */
  status?: IssueStatus | null | undefined;
};

/**
 * Where an issue stands. (The default stands in for an unread column of a narrowed page
 * and is never shown.)
 */
export type IssueStatus =
  /** Someone is on it. */
  | 'ASSIGNED'
  /** Closed. */
  | 'CLOSED'
  /** Reported, waiting for someone to take it. */
  | 'REPORTED'
  /** Done; residents may give feedback. */
  | 'RESOLVED'
  /** Not reported yet (never the status of an issue on the board). */
  | 'UNREPORTED';

/** The input of `openAccount`: open a person's account. */
export type OpenAccountInput = {
  /** Idempotency key: a retry with the same key returns the first result and writes nothing. */
  commandId?: string | null | undefined;
  /** Communities (community staff and grid workers; none for street-wide roles). */
  communities: Array<string>;
  /** Name shown, e.g. 王芳. */
  displayName: string;
  /** Login name (letters of any script, digits, `.`, `-`, `_`; at most 64). */
  login: string;
  /** Role. */
  role: AccountRole;
};

/** What an entry of a compound's property history records. */
export type PropertyHistoryKind =
  /** A property company appointed. */
  | 'APPOINTED'
  /** An appreciation received (a banner, a letter). */
  | 'APPRECIATION'
  /** Owners' deliberation opened. */
  | 'DELIBERATION_OPENED'
  /** A deliberation meeting held. */
  | 'MEETING_HELD'
  /** The property company replaced. */
  | 'REPLACED'
  /** The owners' vote and its tally. */
  | 'VOTE';

/** The input of `proposeSolution`: propose a solution. */
export type ProposeSolutionInput = {
  /** Idempotency key: a retry with the same key returns the first result and writes nothing. */
  commandId?: string | null | undefined;
  /** The id. */
  id: string;
  /** Solution. */
  solution: string;
};

/** The input of `recordConsent`: record residents' consent to the proposed solution. */
export type RecordConsentInput = {
  /** Idempotency key: a retry with the same key returns the first result and writes nothing. */
  commandId?: string | null | undefined;
  /** The id. */
  id: string;
  /** Summary. */
  summary: string;
};

/** The input of `recordFeedback`: record residents' feedback (satisfaction 1 to 5). */
export type RecordFeedbackInput = {
  /** Idempotency key: a retry with the same key returns the first result and writes nothing. */
  commandId?: string | null | undefined;
  /** Comment. */
  comment: string;
  /** The id. */
  id: string;
  /** Satisfaction. */
  satisfaction: number;
};

/** The input of `reopenIssue`: reopen a resolved or closed issue. */
export type ReopenIssueInput = {
  /** Idempotency key: a retry with the same key returns the first result and writes nothing. */
  commandId?: string | null | undefined;
  /** The id. */
  id: string;
  /** Reason. */
  reason: string;
};

/** A new issue. */
export type ReportIssueInput = {
  /** Category. */
  category: string;
  /** Channel. */
  channel: IssueChannel;
  /** Idempotency key (UUID); a retry with the same key returns the first result. */
  commandId?: string | null | undefined;
  /** Community. */
  communityId: string;
  /** Compound. */
  compoundId?: string | null | undefined;
  /** Description (at most 2,000 characters). */
  description: string;
  /** Grid. */
  gridId?: string | null | undefined;
  /** Issue id (a-z, 0-9, '-', '_'). */
  id: string;
  /** Location. */
  location: string;
  /** When it was found (RFC 3339). */
  reportedAt: string;
  /** Reporter (a role or display name). */
  reporter: string;
  /**
   * How to reach the reporter, if they left a contact (stored only encrypted under a
   * key of the person's own, which `erasePerson` destroys).
   */
  reporterContact?: ContactInput | null | undefined;
  /** Title (at most 200 characters). */
  title: string;
};

/** The input of `resolveIssue`: resolve an issue. */
export type ResolveIssueInput = {
  /** Action. */
  action: string;
  /** Idempotency key: a retry with the same key returns the first result and writes nothing. */
  commandId?: string | null | undefined;
  /** The id. */
  id: string;
  /** Items. */
  items?: number | null | undefined;
  /** Resolved at. */
  resolvedAt: string;
};

/** A chat group a video is shared to. */
export type ShareGroup =
  /** 网格群. */
  | 'GRID_GROUP'
  /** 商户群. */
  | 'MERCHANT_GROUP'
  /** 居民群. */
  | 'RESIDENT_GROUP';

/** The input of `surveySite`: record a site survey. */
export type SurveySiteInput = {
  /** Idempotency key: a retry with the same key returns the first result and writes nothing. */
  commandId?: string | null | undefined;
  /** Findings. */
  findings: string;
  /** The id. */
  id: string;
  /** Surveyed on. */
  surveyedOn: string;
  /** Surveyed with. */
  surveyedWith: string;
};

/** The input of `suspendAccount`: refuse an account from its next request on. */
export type SuspendAccountInput = {
  /** Idempotency key. */
  commandId?: string | null | undefined;
  /** Login name. */
  login: string;
  /** Why, e.g. 离职 (kept in the log). */
  reason: string;
};

export type CommunityChangesSubscriptionVariables = Exact<{
  communityId: string;
}>;


export type CommunityChangesSubscription = { communityChanges: { id: string, name: string, issueStats: { open: number } } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { login: string, displayName: string, role: AccountRole, communities: Array<string> } };

export type PlacesQueryVariables = Exact<{ [key: string]: never; }>;


export type PlacesQuery = { communities: Array<{ id: string, name: string, compoundsList: Array<{ id: string, name: string }> }> };

export type AccountsQueryVariables = Exact<{
  communityId?: string | null | undefined;
  atLeastPosition?: number | null | undefined;
}>;


export type AccountsQuery = { accounts: Array<{ login: string, displayName: string, kind: string, status: string, role: AccountRole, communities: Array<string>, availableActions: Array<AccountAction> }>, communities: Array<{ id: string, name: string }> };

export type OpenAccountMutationVariables = Exact<{
  input: OpenAccountInput;
}>;


export type OpenAccountMutation = { openAccount: { oneTimePassword: string | null, result: { position: number } } };

export type SuspendAccountMutationVariables = Exact<{
  input: SuspendAccountInput;
}>;


export type SuspendAccountMutation = { suspendAccount: { position: number } };

export type GrantAccessMutationVariables = Exact<{
  input: GrantAccessInput;
}>;


export type GrantAccessMutation = { grantAccess: { position: number } };

export type ReinstateAccountMutationVariables = Exact<{
  input: AccountInput;
}>;


export type ReinstateAccountMutation = { reinstateAccount: { position: number } };

export type CloseAccountMutationVariables = Exact<{
  input: AccountInput;
}>;


export type CloseAccountMutation = { closeAccount: { position: number } };

export type ResetPasswordMutationVariables = Exact<{
  input: AccountInput;
}>;


export type ResetPasswordMutation = { resetPassword: { oneTimePassword: string | null, result: { position: number } } };

export type AuditLogQueryVariables = Exact<{
  after: number;
  streamId?: string | null | undefined;
  actorId?: string | null | undefined;
  eventType?: string | null | undefined;
  recordedUntil?: string | null | undefined;
}>;


export type AuditLogQuery = { log: { endPosition: number, hasMore: boolean, entries: Array<{ position: number, streamId: string, eventType: string, actorId: string, actorName: string | null, recordedAt: string, hash: string }> }, integrity: { headPosition: number, headHash: string, lastVerification: { verifiedAt: string, passed: boolean, message: string } | null } };

export type BoardQueryVariables = Exact<{
  filter?: IssueFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  atLeastPosition?: number | null | undefined;
}>;


export type BoardQuery = { issues: { pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, nodes: Array<{ id: string, communityId: string, title: string, category: string, status: IssueStatus, reportedAt: string, assignee: string | null, dueBy: string | null, overdue: boolean, escalated: boolean }> } };

export type BoardScopeQueryVariables = Exact<{
  atLeastPosition?: number | null | undefined;
}>;


export type BoardScopeQuery = { communities: Array<{ id: string, name: string, grids: Array<{ id: string, name: string }>, issueStats: { open: number, overdue: number } }> };

export type CommunitiesQueryVariables = Exact<{
  atLeastPosition?: number | null | undefined;
}>;


export type CommunitiesQuery = { communities: Array<{ id: string, name: string, street: string, households: number | null, residents: number | null, compounds: number | null, coBuildingUnits: number | null, merchants: number | null, issueStats: { open: number, overdue: number, resolved: number } }> };

export type CompoundPageQueryVariables = Exact<{
  id: string;
  atLeastPosition?: number | null | undefined;
}>;


export type CompoundPageQuery = { compound: { id: string, communityId: string, name: string, propertyCompany: string | null, companySince: string | null, history: Array<{ position: number, kind: PropertyHistoryKind, happenedOn: string, details: unknown }> } };

export type DashboardQueryVariables = Exact<{
  atLeastPosition?: number | null | undefined;
}>;


export type DashboardQuery = { communities: Array<{ id: string, name: string, households: number | null, residents: number | null, compounds: number | null, coBuildingUnits: number | null, merchants: number | null, issueStats: { open: number, overdue: number, resolved: number, meanHoursToResolve: number | null, p90HoursToResolve: number | null }, issueFigures: { weeks: Array<{ week: string, reported: number, resolved: number }>, byCategory: Array<{ category: string, open: number, overdue: number }>, resolutionHistogram: Array<{ fromHours: number, toHours: number, count: number }> }, heatingProjects: Array<{ id: string, compoundId: string, percent: number, milestonesDone: number, late: boolean }>, stars: Array<{ star: string, aimed: boolean, awardedOn: string | null }>, videos: Array<{ id: string, title: string, publishedOn: string, views: number }> }> };

export type HeatingPageQueryVariables = Exact<{
  id: string;
  atLeastPosition?: number | null | undefined;
}>;


export type HeatingPageQuery = { heatingProject: { id: string, communityId: string, compoundId: string, contractor: string, households: number, targetDate: string, milestonesDone: number, currentMilestone: HeatingMilestone | null, householdsDone: number, commissionedOn: string | null, late: boolean, percent: number, milestones: Array<{ milestone: HeatingMilestone, householdsDone: number, completedOn: string | null, updatedOn: string }> } };

export type IssuePageQueryVariables = Exact<{
  id: string;
  withContact: boolean;
  atLeastPosition?: number | null | undefined;
}>;


export type IssuePageQuery = { issue: { id: string, communityId: string, compoundId: string | null, gridId: string | null, category: string, title: string, description: string, location: string, channel: IssueChannel, reporter: string, status: IssueStatus, assignee: string | null, dueBy: string | null, escalated: boolean, items: number | null, resolution: string | null, satisfaction: number | null, reportedAt: string, resolvedAt: string | null, closedAt: string | null, overdue: boolean, availableActions: Array<IssueAction>, reporterContact?: { personId: string, name: string | null, phone: string | null, erased: boolean } | null, timeline: Array<{ position: number, eventType: string, recordedAt: string, actorId: string, actorName: string | null, summary: string, dueBy: string | null, satisfaction: number | null }> } };

export type IssueChangesSubscriptionVariables = Exact<{
  streamId: string;
  after?: number | null | undefined;
}>;


export type IssueChangesSubscription = { changes: { position: number } };

export type MonthlyReportQueryVariables = Exact<{
  id: string;
  filter: IssueFilter;
  after?: string | null | undefined;
  atLeastPosition?: number | null | undefined;
}>;


export type MonthlyReportQuery = { community: { id: string, name: string, households: number | null, residents: number | null, compoundsList: Array<{ id: string, name: string, history: Array<{ position: number, kind: PropertyHistoryKind, happenedOn: string, details: unknown }> }>, heatingProjects: Array<{ id: string, compoundId: string, percent: number, milestones: Array<{ milestone: HeatingMilestone, householdsDone: number, completedOn: string | null, updatedOn: string }> }>, newsroom: { name: string, totalViews: number } | null, videos: Array<{ id: string, title: string, publishedOn: string, views: number }>, activities: Array<{ id: string, title: string, heldOn: string, participants: number }> }, issues: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, title: string, category: string, status: IssueStatus, reportedAt: string, resolvedAt: string | null }> } };

export type MonthlyReportScopeQueryVariables = Exact<{
  atLeastPosition?: number | null | undefined;
}>;


export type MonthlyReportScopeQuery = { communities: Array<{ id: string, name: string }> };

export type MyIssuesQueryVariables = Exact<{
  filter?: IssueFilter | null | undefined;
  atLeastPosition?: number | null | undefined;
}>;


export type MyIssuesQuery = { issues: { nodes: Array<{ id: string, title: string, location: string, status: IssueStatus, reportedAt: string, overdue: boolean }> } };

export type ReportScopeQueryVariables = Exact<{
  atLeastPosition?: number | null | undefined;
}>;


export type ReportScopeQuery = { communities: Array<{ id: string, name: string, grids: Array<{ id: string, name: string }>, compoundsList: Array<{ id: string, name: string }> }> };

export type ReportIssueMutationVariables = Exact<{
  input: ReportIssueInput;
}>;


export type ReportIssueMutation = { reportIssue: { position: number, issue: { id: string } | null } };

export type MySessionsQueryVariables = Exact<{ [key: string]: never; }>;


export type MySessionsQuery = { mySessions: Array<{ id: string, signedInAt: string, renewedAt: string, expiresAt: string, userAgent: string | null }> };

export type RevokeSessionMutationVariables = Exact<{
  id: string;
}>;


export type RevokeSessionMutation = { revokeSession: boolean };

export type AccessAsOfQueryVariables = Exact<{
  at: string;
  communityId: string;
}>;


export type AccessAsOfQuery = { accessAsOf: Array<{ login: string, displayName: string, role: AccountRole, communityId: string, fromAt: string, untilAt: string | null }>, communities: Array<{ id: string, name: string }> };

export type CommunityReplayQueryVariables = Exact<{
  communityId: string;
  asRecordedAt?: string | null | undefined;
  asHappenedOn?: string | null | undefined;
}>;


export type CommunityReplayQuery = { replay: unknown, communities: Array<{ id: string, name: string }> };

export type StreamHistoryQueryVariables = Exact<{
  streamId: string;
}>;


export type StreamHistoryQuery = { streamHistory: Array<{ position: number, streamVersion: number, eventType: string, actorId: string, actorName: string | null, recordedAt: string, hash: string }> };

export type StreamStateOnAxisQueryVariables = Exact<{
  streamId: string;
  asRecordedAt?: string | null | undefined;
  asHappenedOn?: string | null | undefined;
}>;


export type StreamStateOnAxisQuery = { streamState: { asOfPosition: number, version: number, state: unknown } };

export type VerifyChainSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type VerifyChainSubscription = { verifyChain: { checked: number, headPosition: number, done: boolean, passed: boolean | null, message: string | null } };

export type TimeRangeQueryVariables = Exact<{ [key: string]: never; }>;


export type TimeRangeQuery = { timeRange: { happenedFrom: string, happenedTo: string, recordedFrom: string, recordedTo: string } | null };

export type CommunityPageQueryVariables = Exact<{
  id: string;
  atLeastPosition?: number | null | undefined;
}>;


export type CommunityPageQuery = { community: { id: string, name: string, street: string, establishedOn: string, areaM2: number, profileAsOf: string | null, households: number | null, residents: number | null, compounds: number | null, coBuildingUnits: number | null, merchants: number | null, partySecretary: string | null, firstSecretary: string | null, charityProceedsFen: number, grids: Array<{ id: string, name: string, workers: Array<{ name: string, kind: GridWorkerKind }> }>, stars: Array<{ star: string, aimed: boolean, awardedOn: string | null }>, issueStats: { open: number, overdue: number, resolved: number, meanHoursToResolve: number | null, p90HoursToResolve: number | null }, compoundsList: Array<{ id: string, name: string, propertyCompany: string | null, companySince: string | null }>, heatingProjects: Array<{ id: string, compoundId: string, contractor: string, households: number, targetDate: string, milestonesDone: number, currentMilestone: HeatingMilestone | null, percent: number, late: boolean, commissionedOn: string | null }>, newsroom: { name: string, foundedOn: string, videoCount: number, totalViews: number } | null, videos: Array<{ id: string, title: string, topic: string, publishedOn: string, views: number, recommendedBy: string | null, contest: string | null, channels: Array<ShareGroup> }>, activities: Array<{ id: string, venue: ActivityVenue, title: string, theme: string, heldOn: string, participants: number, volunteers: number, durationMinutes: number, worksMade: number, summary: string }>, charityItems: Array<{ saleId: string, saleTitle: string, itemId: string, name: string, priceFen: number, status: CharityItemStatus, soldFen: number | null }> } };

export type AssignIssueMutationVariables = Exact<{
  input: AssignIssueInput;
}>;


export type AssignIssueMutation = { assignIssue: { position: number } };

export type SurveySiteMutationVariables = Exact<{
  input: SurveySiteInput;
}>;


export type SurveySiteMutation = { surveySite: { position: number } };

export type ProposeSolutionMutationVariables = Exact<{
  input: ProposeSolutionInput;
}>;


export type ProposeSolutionMutation = { proposeSolution: { position: number } };

export type RecordConsentMutationVariables = Exact<{
  input: RecordConsentInput;
}>;


export type RecordConsentMutation = { recordConsent: { position: number } };

export type ResolveIssueMutationVariables = Exact<{
  input: ResolveIssueInput;
}>;


export type ResolveIssueMutation = { resolveIssue: { position: number } };

export type RecordFeedbackMutationVariables = Exact<{
  input: RecordFeedbackInput;
}>;


export type RecordFeedbackMutation = { recordFeedback: { position: number } };

export type CloseIssueMutationVariables = Exact<{
  input: CloseIssueInput;
}>;


export type CloseIssueMutation = { closeIssue: { position: number } };

export type ReopenIssueMutationVariables = Exact<{
  input: ReopenIssueInput;
}>;


export type ReopenIssueMutation = { reopenIssue: { position: number } };

export type EscalateIssueMutationVariables = Exact<{
  input: EscalateIssueInput;
}>;


export type EscalateIssueMutation = { escalateIssue: { position: number } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const CommunityChangesDocument = new TypedDocumentString(`
    subscription CommunityChanges($communityId: String!) {
  communityChanges(communityId: $communityId, current: true) {
    id
    name
    issueStats {
      open
    }
  }
}
    `) as unknown as TypedDocumentString<CommunityChangesSubscription, CommunityChangesSubscriptionVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    login
    displayName
    role
    communities
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const PlacesDocument = new TypedDocumentString(`
    query Places {
  communities {
    id
    name
    compoundsList {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<PlacesQuery, PlacesQueryVariables>;
export const AccountsDocument = new TypedDocumentString(`
    query Accounts($communityId: String, $atLeastPosition: Int) {
  accounts(communityId: $communityId, atLeastPosition: $atLeastPosition) {
    login
    displayName
    kind
    status
    role
    communities
    availableActions
  }
  communities {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<AccountsQuery, AccountsQueryVariables>;
export const OpenAccountDocument = new TypedDocumentString(`
    mutation OpenAccount($input: OpenAccountInput!) {
  openAccount(input: $input) {
    result {
      position
    }
    oneTimePassword
  }
}
    `) as unknown as TypedDocumentString<OpenAccountMutation, OpenAccountMutationVariables>;
export const SuspendAccountDocument = new TypedDocumentString(`
    mutation SuspendAccount($input: SuspendAccountInput!) {
  suspendAccount(input: $input) {
    position
  }
}
    `) as unknown as TypedDocumentString<SuspendAccountMutation, SuspendAccountMutationVariables>;
export const GrantAccessDocument = new TypedDocumentString(`
    mutation GrantAccess($input: GrantAccessInput!) {
  grantAccess(input: $input) {
    position
  }
}
    `) as unknown as TypedDocumentString<GrantAccessMutation, GrantAccessMutationVariables>;
export const ReinstateAccountDocument = new TypedDocumentString(`
    mutation ReinstateAccount($input: AccountInput!) {
  reinstateAccount(input: $input) {
    position
  }
}
    `) as unknown as TypedDocumentString<ReinstateAccountMutation, ReinstateAccountMutationVariables>;
export const CloseAccountDocument = new TypedDocumentString(`
    mutation CloseAccount($input: AccountInput!) {
  closeAccount(input: $input) {
    position
  }
}
    `) as unknown as TypedDocumentString<CloseAccountMutation, CloseAccountMutationVariables>;
export const ResetPasswordDocument = new TypedDocumentString(`
    mutation ResetPassword($input: AccountInput!) {
  resetPassword(input: $input) {
    result {
      position
    }
    oneTimePassword
  }
}
    `) as unknown as TypedDocumentString<ResetPasswordMutation, ResetPasswordMutationVariables>;
export const AuditLogDocument = new TypedDocumentString(`
    query AuditLog($after: Int!, $streamId: String, $actorId: String, $eventType: String, $recordedUntil: DateTime) {
  log(
    after: $after
    first: 50
    streamId: $streamId
    actorId: $actorId
    eventType: $eventType
    recordedUntil: $recordedUntil
  ) {
    entries {
      position
      streamId
      eventType
      actorId
      actorName
      recordedAt
      hash
    }
    endPosition
    hasMore
  }
  integrity {
    headPosition
    headHash
    lastVerification {
      verifiedAt
      passed
      message
    }
  }
}
    `) as unknown as TypedDocumentString<AuditLogQuery, AuditLogQueryVariables>;
export const BoardDocument = new TypedDocumentString(`
    query Board($filter: IssueFilter, $first: Int, $after: String, $last: Int, $before: String, $atLeastPosition: Int) {
  issues(
    filter: $filter
    first: $first
    after: $after
    last: $last
    before: $before
    atLeastPosition: $atLeastPosition
  ) {
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
    nodes {
      id
      communityId
      title
      category
      status
      reportedAt
      assignee
      dueBy
      overdue
      escalated
    }
  }
}
    `) as unknown as TypedDocumentString<BoardQuery, BoardQueryVariables>;
export const BoardScopeDocument = new TypedDocumentString(`
    query BoardScope($atLeastPosition: Int) {
  communities(atLeastPosition: $atLeastPosition) {
    id
    name
    grids {
      id
      name
    }
    issueStats {
      open
      overdue
    }
  }
}
    `) as unknown as TypedDocumentString<BoardScopeQuery, BoardScopeQueryVariables>;
export const CommunitiesDocument = new TypedDocumentString(`
    query Communities($atLeastPosition: Int) {
  communities(atLeastPosition: $atLeastPosition) {
    id
    name
    street
    households
    residents
    compounds
    coBuildingUnits
    merchants
    issueStats {
      open
      overdue
      resolved
    }
  }
}
    `) as unknown as TypedDocumentString<CommunitiesQuery, CommunitiesQueryVariables>;
export const CompoundPageDocument = new TypedDocumentString(`
    query CompoundPage($id: String!, $atLeastPosition: Int) {
  compound(id: $id, atLeastPosition: $atLeastPosition) {
    id
    communityId
    name
    propertyCompany
    companySince
    history {
      position
      kind
      happenedOn
      details
    }
  }
}
    `) as unknown as TypedDocumentString<CompoundPageQuery, CompoundPageQueryVariables>;
export const DashboardDocument = new TypedDocumentString(`
    query Dashboard($atLeastPosition: Int) {
  communities(atLeastPosition: $atLeastPosition) {
    id
    name
    households
    residents
    compounds
    coBuildingUnits
    merchants
    issueStats {
      open
      overdue
      resolved
      meanHoursToResolve
      p90HoursToResolve
    }
    issueFigures {
      weeks {
        week
        reported
        resolved
      }
      byCategory {
        category
        open
        overdue
      }
      resolutionHistogram {
        fromHours
        toHours
        count
      }
    }
    heatingProjects {
      id
      compoundId
      percent
      milestonesDone
      late
    }
    stars {
      star
      aimed
      awardedOn
    }
    videos {
      id
      title
      publishedOn
      views
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardQuery, DashboardQueryVariables>;
export const HeatingPageDocument = new TypedDocumentString(`
    query HeatingPage($id: String!, $atLeastPosition: Int) {
  heatingProject(id: $id, atLeastPosition: $atLeastPosition) {
    id
    communityId
    compoundId
    contractor
    households
    targetDate
    milestonesDone
    currentMilestone
    householdsDone
    commissionedOn
    late
    percent
    milestones {
      milestone
      householdsDone
      completedOn
      updatedOn
    }
  }
}
    `) as unknown as TypedDocumentString<HeatingPageQuery, HeatingPageQueryVariables>;
export const IssuePageDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<IssuePageQuery, IssuePageQueryVariables>;
export const IssueChangesDocument = new TypedDocumentString(`
    subscription IssueChanges($streamId: String!, $after: Int) {
  changes(streamId: $streamId, after: $after) {
    position
  }
}
    `) as unknown as TypedDocumentString<IssueChangesSubscription, IssueChangesSubscriptionVariables>;
export const MonthlyReportDocument = new TypedDocumentString(`
    query MonthlyReport($id: String!, $filter: IssueFilter!, $after: String, $atLeastPosition: Int) {
  community(id: $id, atLeastPosition: $atLeastPosition) {
    id
    name
    households
    residents
    compoundsList {
      id
      name
      history {
        position
        kind
        happenedOn
        details
      }
    }
    heatingProjects {
      id
      compoundId
      percent
      milestones {
        milestone
        householdsDone
        completedOn
        updatedOn
      }
    }
    newsroom {
      name
      totalViews
    }
    videos {
      id
      title
      publishedOn
      views
    }
    activities {
      id
      title
      heldOn
      participants
    }
  }
  issues(filter: $filter, first: 100, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      title
      category
      status
      reportedAt
      resolvedAt
    }
  }
}
    `) as unknown as TypedDocumentString<MonthlyReportQuery, MonthlyReportQueryVariables>;
export const MonthlyReportScopeDocument = new TypedDocumentString(`
    query MonthlyReportScope($atLeastPosition: Int) {
  communities(atLeastPosition: $atLeastPosition) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<MonthlyReportScopeQuery, MonthlyReportScopeQueryVariables>;
export const MyIssuesDocument = new TypedDocumentString(`
    query MyIssues($filter: IssueFilter, $atLeastPosition: Int) {
  issues(filter: $filter, first: 50, atLeastPosition: $atLeastPosition) {
    nodes {
      id
      title
      location
      status
      reportedAt
      overdue
    }
  }
}
    `) as unknown as TypedDocumentString<MyIssuesQuery, MyIssuesQueryVariables>;
export const ReportScopeDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<ReportScopeQuery, ReportScopeQueryVariables>;
export const ReportIssueDocument = new TypedDocumentString(`
    mutation ReportIssue($input: ReportIssueInput!) {
  reportIssue(input: $input) {
    position
    issue {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<ReportIssueMutation, ReportIssueMutationVariables>;
export const MySessionsDocument = new TypedDocumentString(`
    query MySessions {
  mySessions {
    id
    signedInAt
    renewedAt
    expiresAt
    userAgent
  }
}
    `) as unknown as TypedDocumentString<MySessionsQuery, MySessionsQueryVariables>;
export const RevokeSessionDocument = new TypedDocumentString(`
    mutation RevokeSession($id: UUID!) {
  revokeSession(id: $id)
}
    `) as unknown as TypedDocumentString<RevokeSessionMutation, RevokeSessionMutationVariables>;
export const AccessAsOfDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<AccessAsOfQuery, AccessAsOfQueryVariables>;
export const CommunityReplayDocument = new TypedDocumentString(`
    query CommunityReplay($communityId: String!, $asRecordedAt: DateTime, $asHappenedOn: Date) {
  replay(
    communityId: $communityId
    asRecordedAt: $asRecordedAt
    asHappenedOn: $asHappenedOn
  )
  communities {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CommunityReplayQuery, CommunityReplayQueryVariables>;
export const StreamHistoryDocument = new TypedDocumentString(`
    query StreamHistory($streamId: String!) {
  streamHistory(streamId: $streamId) {
    position
    streamVersion
    eventType
    actorId
    actorName
    recordedAt
    hash
  }
}
    `) as unknown as TypedDocumentString<StreamHistoryQuery, StreamHistoryQueryVariables>;
export const StreamStateOnAxisDocument = new TypedDocumentString(`
    query StreamStateOnAxis($streamId: String!, $asRecordedAt: DateTime, $asHappenedOn: Date) {
  streamState(
    streamId: $streamId
    asRecordedAt: $asRecordedAt
    asHappenedOn: $asHappenedOn
  ) {
    asOfPosition
    version
    state
  }
}
    `) as unknown as TypedDocumentString<StreamStateOnAxisQuery, StreamStateOnAxisQueryVariables>;
export const VerifyChainDocument = new TypedDocumentString(`
    subscription VerifyChain {
  verifyChain {
    checked
    headPosition
    done
    passed
    message
  }
}
    `) as unknown as TypedDocumentString<VerifyChainSubscription, VerifyChainSubscriptionVariables>;
export const TimeRangeDocument = new TypedDocumentString(`
    query TimeRange {
  timeRange {
    happenedFrom
    happenedTo
    recordedFrom
    recordedTo
  }
}
    `) as unknown as TypedDocumentString<TimeRangeQuery, TimeRangeQueryVariables>;
export const CommunityPageDocument = new TypedDocumentString(`
    query CommunityPage($id: String!, $atLeastPosition: Int) {
  community(id: $id, atLeastPosition: $atLeastPosition) {
    id
    name
    street
    establishedOn
    areaM2
    profileAsOf
    households
    residents
    compounds
    coBuildingUnits
    merchants
    partySecretary
    firstSecretary
    grids {
      id
      name
      workers {
        name
        kind
      }
    }
    stars {
      star
      aimed
      awardedOn
    }
    issueStats {
      open
      overdue
      resolved
      meanHoursToResolve
      p90HoursToResolve
    }
    compoundsList {
      id
      name
      propertyCompany
      companySince
    }
    heatingProjects {
      id
      compoundId
      contractor
      households
      targetDate
      milestonesDone
      currentMilestone
      percent
      late
      commissionedOn
    }
    newsroom {
      name
      foundedOn
      videoCount
      totalViews
    }
    videos {
      id
      title
      topic
      publishedOn
      views
      recommendedBy
      contest
      channels
    }
    activities {
      id
      venue
      title
      theme
      heldOn
      participants
      volunteers
      durationMinutes
      worksMade
      summary
    }
    charityItems {
      saleId
      saleTitle
      itemId
      name
      priceFen
      status
      soldFen
    }
    charityProceedsFen
  }
}
    `) as unknown as TypedDocumentString<CommunityPageQuery, CommunityPageQueryVariables>;
export const AssignIssueDocument = new TypedDocumentString(`
    mutation AssignIssue($input: AssignIssueInput!) {
  assignIssue(input: $input) {
    position
  }
}
    `) as unknown as TypedDocumentString<AssignIssueMutation, AssignIssueMutationVariables>;
export const SurveySiteDocument = new TypedDocumentString(`
    mutation SurveySite($input: SurveySiteInput!) {
  surveySite(input: $input) {
    position
  }
}
    `) as unknown as TypedDocumentString<SurveySiteMutation, SurveySiteMutationVariables>;
export const ProposeSolutionDocument = new TypedDocumentString(`
    mutation ProposeSolution($input: ProposeSolutionInput!) {
  proposeSolution(input: $input) {
    position
  }
}
    `) as unknown as TypedDocumentString<ProposeSolutionMutation, ProposeSolutionMutationVariables>;
export const RecordConsentDocument = new TypedDocumentString(`
    mutation RecordConsent($input: RecordConsentInput!) {
  recordConsent(input: $input) {
    position
  }
}
    `) as unknown as TypedDocumentString<RecordConsentMutation, RecordConsentMutationVariables>;
export const ResolveIssueDocument = new TypedDocumentString(`
    mutation ResolveIssue($input: ResolveIssueInput!) {
  resolveIssue(input: $input) {
    position
  }
}
    `) as unknown as TypedDocumentString<ResolveIssueMutation, ResolveIssueMutationVariables>;
export const RecordFeedbackDocument = new TypedDocumentString(`
    mutation RecordFeedback($input: RecordFeedbackInput!) {
  recordFeedback(input: $input) {
    position
  }
}
    `) as unknown as TypedDocumentString<RecordFeedbackMutation, RecordFeedbackMutationVariables>;
export const CloseIssueDocument = new TypedDocumentString(`
    mutation CloseIssue($input: CloseIssueInput!) {
  closeIssue(input: $input) {
    position
  }
}
    `) as unknown as TypedDocumentString<CloseIssueMutation, CloseIssueMutationVariables>;
export const ReopenIssueDocument = new TypedDocumentString(`
    mutation ReopenIssue($input: ReopenIssueInput!) {
  reopenIssue(input: $input) {
    position
  }
}
    `) as unknown as TypedDocumentString<ReopenIssueMutation, ReopenIssueMutationVariables>;
export const EscalateIssueDocument = new TypedDocumentString(`
    mutation EscalateIssue($input: EscalateIssueInput!) {
  escalateIssue(input: $input) {
    position
  }
}
    `) as unknown as TypedDocumentString<EscalateIssueMutation, EscalateIssueMutationVariables>;