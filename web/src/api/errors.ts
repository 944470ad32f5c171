// Every error the server can answer, as one type, and its words for a staff member.
import type { TFunction } from 'i18next';

/** An error from the server (or from reaching it), by its `extensions.code`. */
export class ApiError extends Error {
  constructor(
    message: string,
    /** `extensions.code`, or `NETWORK` when the server could not be reached. */
    readonly code: string,
    /** `extensions.rule`: the domain rule a command broke, e.g. `IssueNotAssigned`. */
    readonly rule?: string,
    /** `extensions.reason`: why a request was refused, e.g. `ACCOUNT_SUSPENDED`. */
    readonly reason?: string,
    /** Seconds to wait before trying again (rate limits and lockouts). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorJson {
  message?: unknown;
  extensions?: { code?: unknown; rule?: unknown; reason?: unknown };
}

/** The first error of a GraphQL response body. */
export function fromGraphQL(errors: readonly ErrorJson[]): ApiError {
  const first = errors[0] ?? {};
  const ext = first.extensions ?? {};
  return new ApiError(
    typeof first.message === 'string' ? first.message : 'error',
    typeof ext.code === 'string' ? ext.code : 'INTERNAL',
    typeof ext.rule === 'string' ? ext.rule : undefined,
    typeof ext.reason === 'string' ? ext.reason : undefined,
  );
}

const RULES = new Set([
  'IssueAlreadyReported',
  'IssueNotReported',
  'IssueAlreadyClosed',
  'IssueNotAssigned',
  'IssueAlreadyResolved',
  'DueBeforeReport',
  'NoSolutionProposed',
  'ResolvedBeforeReport',
  'FeedbackBeforeResolution',
  'SatisfactionOutOfRange',
  'IssueNotResolved',
  'IssueStillOpen',
  'IssueAlreadyEscalated',
  'AlreadySuspended',
  'NotSuspended',
  'AccountClosed',
  'LoginTaken',
  'ScopeDoesNotFitRole',
  'ServiceHasNoPassword',
]);

const REASONS = new Set(['ACCOUNT_SUSPENDED', 'ACCOUNT_CLOSED', 'ACCOUNT_UNKNOWN', 'TOKEN_EXPIRED']);

/** A sentence a staff member understands: the broken rule or refusal if it is known, else
 * what the error's code means (with the server's own words for input it found invalid). */
export function describeError(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) {
    return t('errors.NETWORK');
  }
  if (error.rule && RULES.has(error.rule)) {
    return t(`rules.${error.rule}`);
  }
  if (error.reason && REASONS.has(error.reason)) {
    return t(`reasons.${error.reason}`);
  }
  switch (error.code) {
    case 'VALIDATION':
      return t('errors.VALIDATION', { detail: error.message });
    case 'RATE_LIMITED':
      return t('errors.RATE_LIMITED', { seconds: error.retryAfterSeconds ?? 60 });
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
    case 'NOT_FOUND':
    case 'CONFLICT':
    case 'UNAVAILABLE':
    case 'PASSWORD_CHANGE_REQUIRED':
    case 'NETWORK':
      return t(`errors.${error.code}`);
    default:
      return t('errors.INTERNAL');
  }
}
