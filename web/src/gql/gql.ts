/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  subscription CommunityChanges($communityId: String!) {\n    communityChanges(communityId: $communityId, current: true) {\n      id\n      name\n      issueStats {\n        open\n      }\n    }\n  }\n": typeof types.CommunityChangesDocument,
    "\n  query Me {\n    me {\n      login\n      displayName\n      role\n      communities\n    }\n  }\n": typeof types.MeDocument,
    "\n  query Places {\n    communities {\n      id\n      name\n      compoundsList {\n        id\n        name\n      }\n    }\n  }\n": typeof types.PlacesDocument,
    "\n  query Accounts($communityId: String, $atLeastPosition: Int) {\n    accounts(communityId: $communityId, atLeastPosition: $atLeastPosition) {\n      login\n      displayName\n      kind\n      status\n      role\n      communities\n      availableActions\n    }\n    communities {\n      id\n      name\n    }\n  }\n": typeof types.AccountsDocument,
    "\n  mutation OpenAccount($input: OpenAccountInput!) {\n    openAccount(input: $input) {\n      result {\n        position\n      }\n      oneTimePassword\n    }\n  }\n": typeof types.OpenAccountDocument,
    "\n  mutation SuspendAccount($input: SuspendAccountInput!) {\n    suspendAccount(input: $input) {\n      position\n    }\n  }\n": typeof types.SuspendAccountDocument,
    "\n  mutation GrantAccess($input: GrantAccessInput!) {\n    grantAccess(input: $input) {\n      position\n    }\n  }\n": typeof types.GrantAccessDocument,
    "\n  mutation ReinstateAccount($input: AccountInput!) {\n    reinstateAccount(input: $input) {\n      position\n    }\n  }\n": typeof types.ReinstateAccountDocument,
    "\n  mutation CloseAccount($input: AccountInput!) {\n    closeAccount(input: $input) {\n      position\n    }\n  }\n": typeof types.CloseAccountDocument,
    "\n  mutation ResetPassword($input: AccountInput!) {\n    resetPassword(input: $input) {\n      result {\n        position\n      }\n      oneTimePassword\n    }\n  }\n": typeof types.ResetPasswordDocument,
    "\n  query AuditLog($after: Int!, $streamId: String, $actorId: String, $eventType: String, $recordedUntil: DateTime) {\n    log(after: $after, first: 50, streamId: $streamId, actorId: $actorId, eventType: $eventType, recordedUntil: $recordedUntil) {\n      entries {\n        position\n        streamId\n        eventType\n        actorId\n        actorName\n        recordedAt\n        hash\n      }\n      endPosition\n      hasMore\n    }\n    integrity {\n      headPosition\n      headHash\n      lastVerification {\n        verifiedAt\n        passed\n        message\n      }\n    }\n  }\n": typeof types.AuditLogDocument,
    "\n  query Board(\n    $filter: IssueFilter\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $atLeastPosition: Int\n  ) {\n    issues(filter: $filter, first: $first, after: $after, last: $last, before: $before, atLeastPosition: $atLeastPosition) {\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      nodes {\n        id\n        communityId\n        title\n        category\n        status\n        reportedAt\n        assignee\n        dueBy\n        overdue\n        escalated\n      }\n    }\n  }\n": typeof types.BoardDocument,
    "\n  query BoardScope($atLeastPosition: Int) {\n    communities(atLeastPosition: $atLeastPosition) {\n      id\n      name\n      grids {\n        id\n        name\n      }\n      issueStats {\n        open\n        overdue\n      }\n    }\n  }\n": typeof types.BoardScopeDocument,
    "\n  query Communities($atLeastPosition: Int) {\n    communities(atLeastPosition: $atLeastPosition) {\n      id\n      name\n      street\n      households\n      residents\n      compounds\n      coBuildingUnits\n      merchants\n      issueStats {\n        open\n        overdue\n        resolved\n      }\n    }\n  }\n": typeof types.CommunitiesDocument,
    "\n  query CompoundPage($id: String!, $atLeastPosition: Int) {\n    compound(id: $id, atLeastPosition: $atLeastPosition) {\n      id\n      communityId\n      name\n      propertyCompany\n      companySince\n      history {\n        position\n        kind\n        happenedOn\n        details\n      }\n    }\n  }\n": typeof types.CompoundPageDocument,
    "\n  query Dashboard($atLeastPosition: Int) {\n    communities(atLeastPosition: $atLeastPosition) {\n      id\n      name\n      households\n      residents\n      compounds\n      coBuildingUnits\n      merchants\n      issueStats {\n        open\n        overdue\n        resolved\n        meanHoursToResolve\n        p90HoursToResolve\n      }\n      issueFigures {\n        weeks {\n          week\n          reported\n          resolved\n        }\n        byCategory {\n          category\n          open\n          overdue\n        }\n        resolutionHistogram {\n          fromHours\n          toHours\n          count\n        }\n      }\n      heatingProjects {\n        id\n        compoundId\n        percent\n        milestonesDone\n        late\n      }\n      stars {\n        star\n        aimed\n        awardedOn\n      }\n      videos {\n        id\n        title\n        publishedOn\n        views\n      }\n    }\n  }\n": typeof types.DashboardDocument,
    "\n  query HeatingPage($id: String!, $atLeastPosition: Int) {\n    heatingProject(id: $id, atLeastPosition: $atLeastPosition) {\n      id\n      communityId\n      compoundId\n      contractor\n      households\n      targetDate\n      milestonesDone\n      currentMilestone\n      householdsDone\n      commissionedOn\n      late\n      percent\n      milestones {\n        milestone\n        householdsDone\n        completedOn\n        updatedOn\n      }\n    }\n  }\n": typeof types.HeatingPageDocument,
    "\n  query IssuePage($id: String!, $withContact: Boolean!, $atLeastPosition: Int) {\n    issue(id: $id, atLeastPosition: $atLeastPosition) {\n      id\n      communityId\n      compoundId\n      gridId\n      category\n      title\n      description\n      location\n      channel\n      reporter\n      status\n      assignee\n      dueBy\n      escalated\n      items\n      resolution\n      satisfaction\n      reportedAt\n      resolvedAt\n      closedAt\n      overdue\n      availableActions\n      reporterContact @include(if: $withContact) {\n        personId\n        name\n        phone\n        erased\n      }\n      timeline {\n        position\n        eventType\n        recordedAt\n        actorId\n        actorName\n        summary\n        dueBy\n        satisfaction\n      }\n    }\n  }\n": typeof types.IssuePageDocument,
    "\n  subscription IssueChanges($streamId: String!, $after: Int) {\n    changes(streamId: $streamId, after: $after) {\n      position\n    }\n  }\n": typeof types.IssueChangesDocument,
    "\n  query MonthlyReport($id: String!, $filter: IssueFilter!, $after: String, $atLeastPosition: Int) {\n    community(id: $id, atLeastPosition: $atLeastPosition) {\n      id\n      name\n      households\n      residents\n      compoundsList {\n        id\n        name\n        history {\n          position\n          kind\n          happenedOn\n          details\n        }\n      }\n      heatingProjects {\n        id\n        compoundId\n        percent\n        milestones {\n          milestone\n          householdsDone\n          completedOn\n          updatedOn\n        }\n      }\n      newsroom {\n        name\n        totalViews\n      }\n      videos {\n        id\n        title\n        publishedOn\n        views\n      }\n      activities {\n        id\n        title\n        heldOn\n        participants\n      }\n    }\n    issues(filter: $filter, first: 100, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        title\n        category\n        status\n        reportedAt\n        resolvedAt\n      }\n    }\n  }\n": typeof types.MonthlyReportDocument,
    "\n  query MonthlyReportScope($atLeastPosition: Int) {\n    communities(atLeastPosition: $atLeastPosition) {\n      id\n      name\n    }\n  }\n": typeof types.MonthlyReportScopeDocument,
    "\n  query MyIssues($filter: IssueFilter, $atLeastPosition: Int) {\n    issues(filter: $filter, first: 50, atLeastPosition: $atLeastPosition) {\n      nodes {\n        id\n        title\n        location\n        status\n        reportedAt\n        overdue\n      }\n    }\n  }\n": typeof types.MyIssuesDocument,
    "\n  query ReportScope($atLeastPosition: Int) {\n    communities(atLeastPosition: $atLeastPosition) {\n      id\n      name\n      grids {\n        id\n        name\n      }\n      compoundsList {\n        id\n        name\n      }\n    }\n  }\n": typeof types.ReportScopeDocument,
    "\n  mutation ReportIssue($input: ReportIssueInput!) {\n    reportIssue(input: $input) {\n      position\n      issue {\n        id\n      }\n    }\n  }\n": typeof types.ReportIssueDocument,
    "\n  query MySessions {\n    mySessions {\n      id\n      signedInAt\n      renewedAt\n      expiresAt\n      userAgent\n    }\n  }\n": typeof types.MySessionsDocument,
    "\n  mutation RevokeSession($id: UUID!) {\n    revokeSession(id: $id)\n  }\n": typeof types.RevokeSessionDocument,
    "\n  query AccessAsOf($at: DateTime!, $communityId: String!) {\n    accessAsOf(at: $at, communityId: $communityId) {\n      login\n      displayName\n      role\n      communityId\n      fromAt\n      untilAt\n    }\n    communities {\n      id\n      name\n    }\n  }\n": typeof types.AccessAsOfDocument,
    "\n  query CommunityReplay($communityId: String!, $asRecordedAt: DateTime, $asHappenedOn: Date) {\n    replay(communityId: $communityId, asRecordedAt: $asRecordedAt, asHappenedOn: $asHappenedOn)\n    communities {\n      id\n      name\n    }\n  }\n": typeof types.CommunityReplayDocument,
    "\n  query StreamHistory($streamId: String!) {\n    streamHistory(streamId: $streamId) {\n      position\n      streamVersion\n      eventType\n      actorId\n      actorName\n      recordedAt\n      hash\n    }\n  }\n": typeof types.StreamHistoryDocument,
    "\n  query StreamStateOnAxis($streamId: String!, $asRecordedAt: DateTime, $asHappenedOn: Date) {\n    streamState(streamId: $streamId, asRecordedAt: $asRecordedAt, asHappenedOn: $asHappenedOn) {\n      asOfPosition\n      version\n      state\n    }\n  }\n": typeof types.StreamStateOnAxisDocument,
    "\n  subscription VerifyChain {\n    verifyChain {\n      checked\n      headPosition\n      done\n      passed\n      message\n    }\n  }\n": typeof types.VerifyChainDocument,
    "\n  query TimeRange {\n    timeRange {\n      happenedFrom\n      happenedTo\n      recordedFrom\n      recordedTo\n    }\n  }\n": typeof types.TimeRangeDocument,
    "\n  query CommunityPage($id: String!, $atLeastPosition: Int) {\n    community(id: $id, atLeastPosition: $atLeastPosition) {\n      id\n      name\n      street\n      establishedOn\n      areaM2\n      profileAsOf\n      households\n      residents\n      compounds\n      coBuildingUnits\n      merchants\n      partySecretary\n      firstSecretary\n      grids {\n        id\n        name\n        workers {\n          name\n          kind\n        }\n      }\n      stars {\n        star\n        aimed\n        awardedOn\n      }\n      issueStats {\n        open\n        overdue\n        resolved\n        meanHoursToResolve\n        p90HoursToResolve\n      }\n      compoundsList {\n        id\n        name\n        propertyCompany\n        companySince\n      }\n      heatingProjects {\n        id\n        compoundId\n        contractor\n        households\n        targetDate\n        milestonesDone\n        currentMilestone\n        percent\n        late\n        commissionedOn\n      }\n      newsroom {\n        name\n        foundedOn\n        videoCount\n        totalViews\n      }\n      videos {\n        id\n        title\n        topic\n        publishedOn\n        views\n        recommendedBy\n        contest\n        channels\n      }\n      activities {\n        id\n        venue\n        title\n        theme\n        heldOn\n        participants\n        volunteers\n        durationMinutes\n        worksMade\n        summary\n      }\n      charityItems {\n        saleId\n        saleTitle\n        itemId\n        name\n        priceFen\n        status\n        soldFen\n      }\n      charityProceedsFen\n    }\n  }\n": typeof types.CommunityPageDocument,
    "\n    mutation AssignIssue($input: AssignIssueInput!) {\n      assignIssue(input: $input) {\n        position\n      }\n    }\n  ": typeof types.AssignIssueDocument,
    "\n    mutation SurveySite($input: SurveySiteInput!) {\n      surveySite(input: $input) {\n        position\n      }\n    }\n  ": typeof types.SurveySiteDocument,
    "\n    mutation ProposeSolution($input: ProposeSolutionInput!) {\n      proposeSolution(input: $input) {\n        position\n      }\n    }\n  ": typeof types.ProposeSolutionDocument,
    "\n    mutation RecordConsent($input: RecordConsentInput!) {\n      recordConsent(input: $input) {\n        position\n      }\n    }\n  ": typeof types.RecordConsentDocument,
    "\n    mutation ResolveIssue($input: ResolveIssueInput!) {\n      resolveIssue(input: $input) {\n        position\n      }\n    }\n  ": typeof types.ResolveIssueDocument,
    "\n    mutation RecordFeedback($input: RecordFeedbackInput!) {\n      recordFeedback(input: $input) {\n        position\n      }\n    }\n  ": typeof types.RecordFeedbackDocument,
    "\n    mutation CloseIssue($input: CloseIssueInput!) {\n      closeIssue(input: $input) {\n        position\n      }\n    }\n  ": typeof types.CloseIssueDocument,
    "\n    mutation ReopenIssue($input: ReopenIssueInput!) {\n      reopenIssue(input: $input) {\n        position\n      }\n    }\n  ": typeof types.ReopenIssueDocument,
    "\n    mutation EscalateIssue($input: EscalateIssueInput!) {\n      escalateIssue(input: $input) {\n        position\n      }\n    }\n  ": typeof types.EscalateIssueDocument,
};
const documents: Documents = {
    "\n  subscription CommunityChanges($communityId: String!) {\n    communityChanges(communityId: $communityId, current: true) {\n      id\n      name\n      issueStats {\n        open\n      }\n    }\n  }\n": types.CommunityChangesDocument,
    "\n  query Me {\n    me {\n      login\n      displayName\n      role\n      communities\n    }\n  }\n": types.MeDocument,
    "\n  query Places {\n    communities {\n      id\n      name\n      compoundsList {\n        id\n        name\n      }\n    }\n  }\n": types.PlacesDocument,
    "\n  query Accounts($communityId: String, $atLeastPosition: Int) {\n    accounts(communityId: $communityId, atLeastPosition: $atLeastPosition) {\n      login\n      displayName\n      kind\n      status\n      role\n      communities\n      availableActions\n    }\n    communities {\n      id\n      name\n    }\n  }\n": types.AccountsDocument,
    "\n  mutation OpenAccount($input: OpenAccountInput!) {\n    openAccount(input: $input) {\n      result {\n        position\n      }\n      oneTimePassword\n    }\n  }\n": types.OpenAccountDocument,
    "\n  mutation SuspendAccount($input: SuspendAccountInput!) {\n    suspendAccount(input: $input) {\n      position\n    }\n  }\n": types.SuspendAccountDocument,
    "\n  mutation GrantAccess($input: GrantAccessInput!) {\n    grantAccess(input: $input) {\n      position\n    }\n  }\n": types.GrantAccessDocument,
    "\n  mutation ReinstateAccount($input: AccountInput!) {\n    reinstateAccount(input: $input) {\n      position\n    }\n  }\n": types.ReinstateAccountDocument,
    "\n  mutation CloseAccount($input: AccountInput!) {\n    closeAccount(input: $input) {\n      position\n    }\n  }\n": types.CloseAccountDocument,
    "\n  mutation ResetPassword($input: AccountInput!) {\n    resetPassword(input: $input) {\n      result {\n        position\n      }\n      oneTimePassword\n    }\n  }\n": types.ResetPasswordDocument,
    "\n  query AuditLog($after: Int!, $streamId: String, $actorId: String, $eventType: String, $recordedUntil: DateTime) {\n    log(after: $after, first: 50, streamId: $streamId, actorId: $actorId, eventType: $eventType, recordedUntil: $recordedUntil) {\n      entries {\n        position\n        streamId\n        eventType\n        actorId\n        actorName\n        recordedAt\n        hash\n      }\n      endPosition\n      hasMore\n    }\n    integrity {\n      headPosition\n      headHash\n      lastVerification {\n        verifiedAt\n        passed\n        message\n      }\n    }\n  }\n": types.AuditLogDocument,
    "\n  query Board(\n    $filter: IssueFilter\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $atLeastPosition: Int\n  ) {\n    issues(filter: $filter, first: $first, after: $after, last: $last, before: $before, atLeastPosition: $atLeastPosition) {\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      nodes {\n        id\n        communityId\n        title\n        category\n        status\n        reportedAt\n        assignee\n        dueBy\n        overdue\n        escalated\n      }\n    }\n  }\n": types.BoardDocument,
    "\n  query BoardScope($atLeastPosition: Int) {\n    communities(atLeastPosition: $atLeastPosition) {\n      id\n      name\n      grids {\n        id\n        name\n      }\n      issueStats {\n        open\n        overdue\n      }\n    }\n  }\n": types.BoardScopeDocument,
    "\n  query Communities($atLeastPosition: Int) {\n    communities(atLeastPosition: $atLeastPosition) {\n      id\n      name\n      street\n      households\n      residents\n      compounds\n      coBuildingUnits\n      merchants\n      issueStats {\n        open\n        overdue\n        resolved\n      }\n    }\n  }\n": types.CommunitiesDocument,
    "\n  query CompoundPage($id: String!, $atLeastPosition: Int) {\n    compound(id: $id, atLeastPosition: $atLeastPosition) {\n      id\n      communityId\n      name\n      propertyCompany\n      companySince\n      history {\n        position\n        kind\n        happenedOn\n        details\n      }\n    }\n  }\n": types.CompoundPageDocument,
    "\n  query Dashboard($atLeastPosition: Int) {\n    communities(atLeastPosition: $atLeastPosition) {\n      id\n      name\n      households\n      residents\n      compounds\n      coBuildingUnits\n      merchants\n      issueStats {\n        open\n        overdue\n        resolved\n        meanHoursToResolve\n        p90HoursToResolve\n      }\n      issueFigures {\n        weeks {\n          week\n          reported\n          resolved\n        }\n        byCategory {\n          category\n          open\n          overdue\n        }\n        resolutionHistogram {\n          fromHours\n          toHours\n          count\n        }\n      }\n      heatingProjects {\n        id\n        compoundId\n        percent\n        milestonesDone\n        late\n      }\n      stars {\n        star\n        aimed\n        awardedOn\n      }\n      videos {\n        id\n        title\n        publishedOn\n        views\n      }\n    }\n  }\n": types.DashboardDocument,
    "\n  query HeatingPage($id: String!, $atLeastPosition: Int) {\n    heatingProject(id: $id, atLeastPosition: $atLeastPosition) {\n      id\n      communityId\n      compoundId\n      contractor\n      households\n      targetDate\n      milestonesDone\n      currentMilestone\n      householdsDone\n      commissionedOn\n      late\n      percent\n      milestones {\n        milestone\n        householdsDone\n        completedOn\n        updatedOn\n      }\n    }\n  }\n": types.HeatingPageDocument,
    "\n  query IssuePage($id: String!, $withContact: Boolean!, $atLeastPosition: Int) {\n    issue(id: $id, atLeastPosition: $atLeastPosition) {\n      id\n      communityId\n      compoundId\n      gridId\n      category\n      title\n      description\n      location\n      channel\n      reporter\n      status\n      assignee\n      dueBy\n      escalated\n      items\n      resolution\n      satisfaction\n      reportedAt\n      resolvedAt\n      closedAt\n      overdue\n      availableActions\n      reporterContact @include(if: $withContact) {\n        personId\n        name\n        phone\n        erased\n      }\n      timeline {\n        position\n        eventType\n        recordedAt\n        actorId\n        actorName\n        summary\n        dueBy\n        satisfaction\n      }\n    }\n  }\n": types.IssuePageDocument,
    "\n  subscription IssueChanges($streamId: String!, $after: Int) {\n    changes(streamId: $streamId, after: $after) {\n      position\n    }\n  }\n": types.IssueChangesDocument,
    "\n  query MonthlyReport($id: String!, $filter: IssueFilter!, $after: String, $atLeastPosition: Int) {\n    community(id: $id, atLeastPosition: $atLeastPosition) {\n      id\n      name\n      households\n      residents\n      compoundsList {\n        id\n        name\n        history {\n          position\n          kind\n          happenedOn\n          details\n        }\n      }\n      heatingProjects {\n        id\n        compoundId\n        percent\n        milestones {\n          milestone\n          householdsDone\n          completedOn\n          updatedOn\n        }\n      }\n      newsroom {\n        name\n        totalViews\n      }\n      videos {\n        id\n        title\n        publishedOn\n        views\n      }\n      activities {\n        id\n        title\n        heldOn\n        participants\n      }\n    }\n    issues(filter: $filter, first: 100, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        title\n        category\n        status\n        reportedAt\n        resolvedAt\n      }\n    }\n  }\n": types.MonthlyReportDocument,
    "\n  query MonthlyReportScope($atLeastPosition: Int) {\n    communities(atLeastPosition: $atLeastPosition) {\n      id\n      name\n    }\n  }\n": types.MonthlyReportScopeDocument,
    "\n  query MyIssues($filter: IssueFilter, $atLeastPosition: Int) {\n    issues(filter: $filter, first: 50, atLeastPosition: $atLeastPosition) {\n      nodes {\n        id\n        title\n        location\n        status\n        reportedAt\n        overdue\n      }\n    }\n  }\n": types.MyIssuesDocument,
    "\n  query ReportScope($atLeastPosition: Int) {\n    communities(atLeastPosition: $atLeastPosition) {\n      id\n      name\n      grids {\n        id\n        name\n      }\n      compoundsList {\n        id\n        name\n      }\n    }\n  }\n": types.ReportScopeDocument,
    "\n  mutation ReportIssue($input: ReportIssueInput!) {\n    reportIssue(input: $input) {\n      position\n      issue {\n        id\n      }\n    }\n  }\n": types.ReportIssueDocument,
    "\n  query MySessions {\n    mySessions {\n      id\n      signedInAt\n      renewedAt\n      expiresAt\n      userAgent\n    }\n  }\n": types.MySessionsDocument,
    "\n  mutation RevokeSession($id: UUID!) {\n    revokeSession(id: $id)\n  }\n": types.RevokeSessionDocument,
    "\n  query AccessAsOf($at: DateTime!, $communityId: String!) {\n    accessAsOf(at: $at, communityId: $communityId) {\n      login\n      displayName\n      role\n      communityId\n      fromAt\n      untilAt\n    }\n    communities {\n      id\n      name\n    }\n  }\n": types.AccessAsOfDocument,
    "\n  query CommunityReplay($communityId: String!, $asRecordedAt: DateTime, $asHappenedOn: Date) {\n    replay(communityId: $communityId, asRecordedAt: $asRecordedAt, asHappenedOn: $asHappenedOn)\n    communities {\n      id\n      name\n    }\n  }\n": types.CommunityReplayDocument,
    "\n  query StreamHistory($streamId: String!) {\n    streamHistory(streamId: $streamId) {\n      position\n      streamVersion\n      eventType\n      actorId\n      actorName\n      recordedAt\n      hash\n    }\n  }\n": types.StreamHistoryDocument,
    "\n  query StreamStateOnAxis($streamId: String!, $asRecordedAt: DateTime, $asHappenedOn: Date) {\n    streamState(streamId: $streamId, asRecordedAt: $asRecordedAt, asHappenedOn: $asHappenedOn) {\n      asOfPosition\n      version\n      state\n    }\n  }\n": types.StreamStateOnAxisDocument,
    "\n  subscription VerifyChain {\n    verifyChain {\n      checked\n      headPosition\n      done\n      passed\n      message\n    }\n  }\n": types.VerifyChainDocument,
    "\n  query TimeRange {\n    timeRange {\n      happenedFrom\n      happenedTo\n      recordedFrom\n      recordedTo\n    }\n  }\n": types.TimeRangeDocument,
    "\n  query CommunityPage($id: String!, $atLeastPosition: Int) {\n    community(id: $id, atLeastPosition: $atLeastPosition) {\n      id\n      name\n      street\n      establishedOn\n      areaM2\n      profileAsOf\n      households\n      residents\n      compounds\n      coBuildingUnits\n      merchants\n      partySecretary\n      firstSecretary\n      grids {\n        id\n        name\n        workers {\n          name\n          kind\n        }\n      }\n      stars {\n        star\n        aimed\n        awardedOn\n      }\n      issueStats {\n        open\n        overdue\n        resolved\n        meanHoursToResolve\n        p90HoursToResolve\n      }\n      compoundsList {\n        id\n        name\n        propertyCompany\n        companySince\n      }\n      heatingProjects {\n        id\n        compoundId\n        contractor\n        households\n        targetDate\n        milestonesDone\n        currentMilestone\n        percent\n        late\n        commissionedOn\n      }\n      newsroom {\n        name\n        foundedOn\n        videoCount\n        totalViews\n      }\n      videos {\n        id\n        title\n        topic\n        publishedOn\n        views\n        recommendedBy\n        contest\n        channels\n      }\n      activities {\n        id\n        venue\n        title\n        theme\n        heldOn\n        participants\n        volunteers\n        durationMinutes\n        worksMade\n        summary\n      }\n      charityItems {\n        saleId\n        saleTitle\n        itemId\n        name\n        priceFen\n        status\n        soldFen\n      }\n      charityProceedsFen\n    }\n  }\n": types.CommunityPageDocument,
    "\n    mutation AssignIssue($input: AssignIssueInput!) {\n      assignIssue(input: $input) {\n        position\n      }\n    }\n  ": types.AssignIssueDocument,
    "\n    mutation SurveySite($input: SurveySiteInput!) {\n      surveySite(input: $input) {\n        position\n      }\n    }\n  ": types.SurveySiteDocument,
    "\n    mutation ProposeSolution($input: ProposeSolutionInput!) {\n      proposeSolution(input: $input) {\n        position\n      }\n    }\n  ": types.ProposeSolutionDocument,
    "\n    mutation RecordConsent($input: RecordConsentInput!) {\n      recordConsent(input: $input) {\n        position\n      }\n    }\n  ": types.RecordConsentDocument,
    "\n    mutation ResolveIssue($input: ResolveIssueInput!) {\n      resolveIssue(input: $input) {\n        position\n      }\n    }\n  ": types.ResolveIssueDocument,
    "\n    mutation RecordFeedback($input: RecordFeedbackInput!) {\n      recordFeedback(input: $input) {\n        position\n      }\n    }\n  ": types.RecordFeedbackDocument,
    "\n    mutation CloseIssue($input: CloseIssueInput!) {\n      closeIssue(input: $input) {\n        position\n      }\n    }\n  ": types.CloseIssueDocument,
    "\n    mutation ReopenIssue($input: ReopenIssueInput!) {\n      reopenIssue(input: $input) {\n        position\n      }\n    }\n  ": types.ReopenIssueDocument,
    "\n    mutation EscalateIssue($input: EscalateIssueInput!) {\n      escalateIssue(input: $input) {\n        position\n      }\n    }\n  ": types.EscalateIssueDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CommunityChanges($communityId: String!) {\n    communityChanges(communityId: $communityId, current: true) {\n      id\n      name\n      issueStats {\n        open\n      }\n    }\n  }\n"): typeof import('./graphql').CommunityChangesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      login\n      displayName\n      role\n      communities\n    }\n  }\n"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Places {\n    communities {\n      id\n      name\n      compoundsList {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').PlacesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Accounts($communityId: String, $atLeastPosition: Int) {\n    accounts(communityId: $communityId, atLeastPosition: $atLeastPosition) {\n      login\n      displayName\n      kind\n      status\n      role\n      communities\n      availableActions\n    }\n    communities {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql').AccountsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpenAccount($input: OpenAccountInput!) {\n    openAccount(input: $input) {\n      result {\n        position\n      }\n      oneTimePassword\n    }\n  }\n"): typeof import('./graphql').OpenAccountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SuspendAccount($input: SuspendAccountInput!) {\n    suspendAccount(input: $input) {\n      position\n    }\n  }\n"): typeof import('./graphql').SuspendAccountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GrantAccess($input: GrantAccessInput!) {\n    grantAccess(input: $input) {\n      position\n    }\n  }\n"): typeof import('./graphql').GrantAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReinstateAccount($input: AccountInput!) {\n    reinstateAccount(input: $input) {\n      position\n    }\n  }\n"): typeof import('./graphql').ReinstateAccountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CloseAccount($input: AccountInput!) {\n    closeAccount(input: $input) {\n      position\n    }\n  }\n"): typeof import('./graphql').CloseAccountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($input: AccountInput!) {\n    resetPassword(input: $input) {\n      result {\n        position\n      }\n      oneTimePassword\n    }\n  }\n"): typeof import('./graphql').ResetPasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($after: Int!, $streamId: String, $actorId: String, $eventType: String, $recordedUntil: DateTime) {\n    log(after: $after, first: 50, streamId: $streamId, actorId: $actorId, eventType: $eventType, recordedUntil: $recordedUntil) {\n      entries {\n        position\n        streamId\n        eventType\n        actorId\n        actorName\n        recordedAt\n        hash\n      }\n      endPosition\n      hasMore\n    }\n    integrity {\n      headPosition\n      headHash\n      lastVerification {\n        verifiedAt\n        passed\n        message\n      }\n    }\n  }\n"): typeof import('./graphql').AuditLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Board(\n    $filter: IssueFilter\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $atLeastPosition: Int\n  ) {\n    issues(filter: $filter, first: $first, after: $after, last: $last, before: $before, atLeastPosition: $atLeastPosition) {\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      nodes {\n        id\n        communityId\n        title\n        category\n        status\n        reportedAt\n        assignee\n        dueBy\n        overdue\n        escalated\n      }\n    }\n  }\n"): typeof import('./graphql').BoardDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BoardScope($atLeastPosition: Int) {\n    communities(atLeastPosition: $atLeastPosition) {\n      id\n      name\n      grids {\n        id\n        name\n      }\n      issueStats {\n        open\n        overdue\n      }\n    }\n  }\n"): typeof import('./graphql').BoardScopeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Communities($atLeastPosition: Int) {\n    communities(atLeastPosition: $atLeastPosition) {\n      id\n      name\n      street\n      households\n      residents\n      compounds\n      coBuildingUnits\n      merchants\n      issueStats {\n        open\n        overdue\n        resolved\n      }\n    }\n  }\n"): typeof import('./graphql').CommunitiesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CompoundPage($id: String!, $atLeastPosition: Int) {\n    compound(id: $id, atLeastPosition: $atLeastPosition) {\n      id\n      communityId\n      name\n      propertyCompany\n      companySince\n      history {\n        position\n        kind\n        happenedOn\n        details\n      }\n    }\n  }\n"): typeof import('./graphql').CompoundPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dashboard($atLeastPosition: Int) {\n    communities(atLeastPosition: $atLeastPosition) {\n      id\n      name\n      households\n      residents\n      compounds\n      coBuildingUnits\n      merchants\n      issueStats {\n        open\n        overdue\n        resolved\n        meanHoursToResolve\n        p90HoursToResolve\n      }\n      issueFigures {\n        weeks {\n          week\n          reported\n          resolved\n        }\n        byCategory {\n          category\n          open\n          overdue\n        }\n        resolutionHistogram {\n          fromHours\n          toHours\n          count\n        }\n      }\n      heatingProjects {\n        id\n        compoundId\n        percent\n        milestonesDone\n        late\n      }\n      stars {\n        star\n        aimed\n        awardedOn\n      }\n      videos {\n        id\n        title\n        publishedOn\n        views\n      }\n    }\n  }\n"): typeof import('./graphql').DashboardDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HeatingPage($id: String!, $atLeastPosition: Int) {\n    heatingProject(id: $id, atLeastPosition: $atLeastPosition) {\n      id\n      communityId\n      compoundId\n      contractor\n      households\n      targetDate\n      milestonesDone\n      currentMilestone\n      householdsDone\n      commissionedOn\n      late\n      percent\n      milestones {\n        milestone\n        householdsDone\n        completedOn\n        updatedOn\n      }\n    }\n  }\n"): typeof import('./graphql').HeatingPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IssuePage($id: String!, $withContact: Boolean!, $atLeastPosition: Int) {\n    issue(id: $id, atLeastPosition: $atLeastPosition) {\n      id\n      communityId\n      compoundId\n      gridId\n      category\n      title\n      description\n      location\n      channel\n      reporter\n      status\n      assignee\n      dueBy\n      escalated\n      items\n      resolution\n      satisfaction\n      reportedAt\n      resolvedAt\n      closedAt\n      overdue\n      availableActions\n      reporterContact @include(if: $withContact) {\n        personId\n        name\n        phone\n        erased\n      }\n      timeline {\n        position\n        eventType\n        recordedAt\n        actorId\n        actorName\n        summary\n        dueBy\n        satisfaction\n      }\n    }\n  }\n"): typeof import('./graphql').IssuePageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription IssueChanges($streamId: String!, $after: Int) {\n    changes(streamId: $streamId, after: $after) {\n      position\n    }\n  }\n"): typeof import('./graphql').IssueChangesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MonthlyReport($id: String!, $filter: IssueFilter!, $after: String, $atLeastPosition: Int) {\n    community(id: $id, atLeastPosition: $atLeastPosition) {\n      id\n      name\n      households\n      residents\n      compoundsList {\n        id\n        name\n        history {\n          position\n          kind\n          happenedOn\n          details\n        }\n      }\n      heatingProjects {\n        id\n        compoundId\n        percent\n        milestones {\n          milestone\n          householdsDone\n          completedOn\n          updatedOn\n        }\n      }\n      newsroom {\n        name\n        totalViews\n      }\n      videos {\n        id\n        title\n        publishedOn\n        views\n      }\n      activities {\n        id\n        title\n        heldOn\n        participants\n      }\n    }\n    issues(filter: $filter, first: 100, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        title\n        category\n        status\n        reportedAt\n        resolvedAt\n      }\n    }\n  }\n"): typeof import('./graphql').MonthlyReportDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MonthlyReportScope($atLeastPosition: Int) {\n    communities(atLeastPosition: $atLeastPosition) {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql').MonthlyReportScopeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyIssues($filter: IssueFilter, $atLeastPosition: Int) {\n    issues(filter: $filter, first: 50, atLeastPosition: $atLeastPosition) {\n      nodes {\n        id\n        title\n        location\n        status\n        reportedAt\n        overdue\n      }\n    }\n  }\n"): typeof import('./graphql').MyIssuesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportScope($atLeastPosition: Int) {\n    communities(atLeastPosition: $atLeastPosition) {\n      id\n      name\n      grids {\n        id\n        name\n      }\n      compoundsList {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').ReportScopeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReportIssue($input: ReportIssueInput!) {\n    reportIssue(input: $input) {\n      position\n      issue {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').ReportIssueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySessions {\n    mySessions {\n      id\n      signedInAt\n      renewedAt\n      expiresAt\n      userAgent\n    }\n  }\n"): typeof import('./graphql').MySessionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSession($id: UUID!) {\n    revokeSession(id: $id)\n  }\n"): typeof import('./graphql').RevokeSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccessAsOf($at: DateTime!, $communityId: String!) {\n    accessAsOf(at: $at, communityId: $communityId) {\n      login\n      displayName\n      role\n      communityId\n      fromAt\n      untilAt\n    }\n    communities {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql').AccessAsOfDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CommunityReplay($communityId: String!, $asRecordedAt: DateTime, $asHappenedOn: Date) {\n    replay(communityId: $communityId, asRecordedAt: $asRecordedAt, asHappenedOn: $asHappenedOn)\n    communities {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql').CommunityReplayDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StreamHistory($streamId: String!) {\n    streamHistory(streamId: $streamId) {\n      position\n      streamVersion\n      eventType\n      actorId\n      actorName\n      recordedAt\n      hash\n    }\n  }\n"): typeof import('./graphql').StreamHistoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StreamStateOnAxis($streamId: String!, $asRecordedAt: DateTime, $asHappenedOn: Date) {\n    streamState(streamId: $streamId, asRecordedAt: $asRecordedAt, asHappenedOn: $asHappenedOn) {\n      asOfPosition\n      version\n      state\n    }\n  }\n"): typeof import('./graphql').StreamStateOnAxisDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription VerifyChain {\n    verifyChain {\n      checked\n      headPosition\n      done\n      passed\n      message\n    }\n  }\n"): typeof import('./graphql').VerifyChainDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TimeRange {\n    timeRange {\n      happenedFrom\n      happenedTo\n      recordedFrom\n      recordedTo\n    }\n  }\n"): typeof import('./graphql').TimeRangeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CommunityPage($id: String!, $atLeastPosition: Int) {\n    community(id: $id, atLeastPosition: $atLeastPosition) {\n      id\n      name\n      street\n      establishedOn\n      areaM2\n      profileAsOf\n      households\n      residents\n      compounds\n      coBuildingUnits\n      merchants\n      partySecretary\n      firstSecretary\n      grids {\n        id\n        name\n        workers {\n          name\n          kind\n        }\n      }\n      stars {\n        star\n        aimed\n        awardedOn\n      }\n      issueStats {\n        open\n        overdue\n        resolved\n        meanHoursToResolve\n        p90HoursToResolve\n      }\n      compoundsList {\n        id\n        name\n        propertyCompany\n        companySince\n      }\n      heatingProjects {\n        id\n        compoundId\n        contractor\n        households\n        targetDate\n        milestonesDone\n        currentMilestone\n        percent\n        late\n        commissionedOn\n      }\n      newsroom {\n        name\n        foundedOn\n        videoCount\n        totalViews\n      }\n      videos {\n        id\n        title\n        topic\n        publishedOn\n        views\n        recommendedBy\n        contest\n        channels\n      }\n      activities {\n        id\n        venue\n        title\n        theme\n        heldOn\n        participants\n        volunteers\n        durationMinutes\n        worksMade\n        summary\n      }\n      charityItems {\n        saleId\n        saleTitle\n        itemId\n        name\n        priceFen\n        status\n        soldFen\n      }\n      charityProceedsFen\n    }\n  }\n"): typeof import('./graphql').CommunityPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation AssignIssue($input: AssignIssueInput!) {\n      assignIssue(input: $input) {\n        position\n      }\n    }\n  "): typeof import('./graphql').AssignIssueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation SurveySite($input: SurveySiteInput!) {\n      surveySite(input: $input) {\n        position\n      }\n    }\n  "): typeof import('./graphql').SurveySiteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation ProposeSolution($input: ProposeSolutionInput!) {\n      proposeSolution(input: $input) {\n        position\n      }\n    }\n  "): typeof import('./graphql').ProposeSolutionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation RecordConsent($input: RecordConsentInput!) {\n      recordConsent(input: $input) {\n        position\n      }\n    }\n  "): typeof import('./graphql').RecordConsentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation ResolveIssue($input: ResolveIssueInput!) {\n      resolveIssue(input: $input) {\n        position\n      }\n    }\n  "): typeof import('./graphql').ResolveIssueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation RecordFeedback($input: RecordFeedbackInput!) {\n      recordFeedback(input: $input) {\n        position\n      }\n    }\n  "): typeof import('./graphql').RecordFeedbackDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation CloseIssue($input: CloseIssueInput!) {\n      closeIssue(input: $input) {\n        position\n      }\n    }\n  "): typeof import('./graphql').CloseIssueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation ReopenIssue($input: ReopenIssueInput!) {\n      reopenIssue(input: $input) {\n        position\n      }\n    }\n  "): typeof import('./graphql').ReopenIssueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation EscalateIssue($input: EscalateIssueInput!) {\n      escalateIssue(input: $input) {\n        position\n      }\n    }\n  "): typeof import('./graphql').EscalateIssueDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
