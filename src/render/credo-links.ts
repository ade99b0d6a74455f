/**
 * Deep links into the Credo AI app, one scheme everywhere:
 *   use case  `${appUrl}/use-cases/${useCaseId}`
 *   review    `${appUrl}/use-cases/${useCaseId}/reviews/${reviewId}`
 * Ids come from the event, so they are percent-encoded: an odd id can never reshape the link.
 * Without a use case id the link falls back to the app itself.
 */

export function useCaseUrl(appUrl: string, useCaseId: string | null): string {
  const base = appUrl.replace(/\/+$/, '');
  return useCaseId === null ? base : `${base}/use-cases/${encodeURIComponent(useCaseId)}`;
}

export function reviewUrl(appUrl: string, useCaseId: string, reviewId: string): string {
  return `${useCaseUrl(appUrl, useCaseId)}/reviews/${encodeURIComponent(reviewId)}`;
}
