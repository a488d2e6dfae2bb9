// The part of an alert that people own: status, assignee, notes and their history.
// Detect rewrites an alert every time its rule fires again; these two functions keep
// an analyst's work from being overwritten and record every change a person makes.
// Pure, so every Store adapter applies exactly the same rules.
import type { Alert, AlertPatch, HistoryEntry } from '../schemas/alert.ts';
import type { Actor } from '../ports/scope.ts';

/** Detection fields from `incoming`; triage fields (and `created`) from `existing`. */
export function keepTriage(existing: Alert, incoming: Alert): Alert {
  return {
    ...incoming,
    status: existing.status,
    assignee: existing.assignee,
    notes: existing.notes,
    history: existing.history,
    created: existing.created,
  };
}

/**
 * Applies a person's change at time `at`. Setting a field to the value it already has
 * is not a change and leaves no history entry; a note always does.
 */
export function applyAlertPatch(alert: Alert, patch: AlertPatch, actor: Actor, at: string): Alert {
  const history: HistoryEntry[] = [...alert.history];
  const next: Alert = { ...alert, history, updated: at };
  if (patch.status !== undefined && patch.status !== alert.status) {
    history.push({ at, actor: actor.username, field: 'status', from: alert.status, to: patch.status });
    next.status = patch.status;
  }
  if (patch.assignee !== undefined && patch.assignee !== alert.assignee) {
    history.push({ at, actor: actor.username, field: 'assignee', from: alert.assignee, to: patch.assignee });
    next.assignee = patch.assignee;
  }
  if (patch.note !== undefined) {
    next.notes = [...alert.notes, { at, author: actor.username, text: patch.note }];
    history.push({ at, actor: actor.username, field: 'note', from: null, to: patch.note });
  }
  return next;
}
