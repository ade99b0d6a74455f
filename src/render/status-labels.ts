import { humanize } from './readable-value.js';

/**
 * How a status reads in every message, on every platform: one label and ONE emoji per status,
 * so a reader learns them once. Review statuses (in_progress, approved, closed, ...), task
 * statuses (todo, in_progress, done) and task sub-statuses (approve, reject, ...) share the map:
 * the same word means the same thing in both.
 */
const STATUSES: Record<string, { label: string; emoji: string }> = {
  todo: { label: 'To do', emoji: '📋' },
  in_progress: { label: 'In progress', emoji: '🔄' },
  done: { label: 'Done', emoji: '☑️' },
  approved: { label: 'Approved', emoji: '✅' },
  approve: { label: 'Approved', emoji: '✅' },
  rejected: { label: 'Rejected', emoji: '❌' },
  reject: { label: 'Rejected', emoji: '❌' },
  change_request: { label: 'Changes requested', emoji: '🛠️' },
  ready_for_validation: { label: 'Ready for validation', emoji: '🔍' },
  cancel: { label: 'Cancelled', emoji: '🚫' },
  cancelled: { label: 'Cancelled', emoji: '🚫' },
  closed: { label: 'Closed', emoji: '🔒' },
  completed: { label: 'Completed', emoji: '🏁' },
};

/** For statuses Credo AI adds later: still readable, marked with a neutral emoji. */
const UNLISTED_STATUS_EMOJI = '🔹';

export interface StatusView {
  /** The value as Credo AI sent it, e.g. `in_progress`. */
  value: string;
  /** e.g. "In progress". */
  label: string;
  emoji: string;
}

export function statusView(value: string): StatusView {
  const known = STATUSES[value.toLowerCase()];
  return {
    value,
    label: known?.label ?? humanize(value),
    emoji: known?.emoji ?? UNLISTED_STATUS_EMOJI,
  };
}
