import type { Session } from '../api/session';

/** Where a role lands after signing in. */
export function homeOf(session: Session): string {
  switch (session.role) {
    case 'street_admin':
      return '/communities';
    case 'community_staff':
      return session.communities[0] ? `/communities/${session.communities[0]}` : '/issues';
    case 'grid_worker':
      return '/my-issues';
    case 'auditor':
      return '/audit';
  }
}

/** The menu entries of a role: [path, translation key]. */
export function menuOf(session: Session): [string, string][] {
  const own = session.communities[0];
  switch (session.role) {
    case 'street_admin':
      return [
        ['/communities', 'nav.communities'],
        ['/dashboard', 'nav.dashboard'],
        ['/reports', 'nav.reports'],
        ['/issues', 'nav.board'],
        ['/issues/new', 'nav.report'],
        ['/accounts', 'nav.accounts'],
        ['/audit', 'nav.audit'],
        ['/sessions', 'nav.sessions'],
      ];
    case 'community_staff':
      return [
        ...(own ? ([[`/communities/${own}`, 'nav.community']] as [string, string][]) : []),
        ['/dashboard', 'nav.dashboard'],
        ['/reports', 'nav.reports'],
        ['/issues', 'nav.board'],
        ['/issues/new', 'nav.report'],
        ['/accounts', 'nav.accounts'],
        ['/sessions', 'nav.sessions'],
      ];
    case 'grid_worker':
      return [
        ['/my-issues', 'nav.myIssues'],
        ['/issues/new', 'nav.report'],
        ...(own ? ([[`/communities/${own}`, 'nav.community']] as [string, string][]) : []),
        ['/sessions', 'nav.sessions'],
      ];
    case 'auditor':
      return [
        ['/audit', 'nav.audit'],
        ['/sessions', 'nav.sessions'],
      ];
  }
}
