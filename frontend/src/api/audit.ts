import type { service } from '../wailsjs/go/models';
import * as Audit from '../wailsjs/go/service/Audit';
import { EventsOn } from '../wailsjs/runtime/runtime';
import { call } from './call';
import { EVENTS } from './events';
import { hasRuntime } from './runtime';

/*
 * The audit log DTOs as plain data, and the calls of the Audit service.
 */

export type AuditQuery = service.AuditQuery;
export type AuditEntry = service.AuditEntryView;
export type AuditPage = Omit<service.AuditPage, 'convertValues' | 'entries'> & { entries: AuditEntry[] };
export type ExportResult = service.ExportResult;

/** AuditEntry.actor values: who or what asked for the action. */
export type Actor = 'user' | 'scheduler' | 'health' | 'system';

/** A page of entries matching the query, newest first. */
export const listAudit = (query: AuditQuery): Promise<AuditPage> => call(() => Audit.List(query));

/**
 * Writes every entry the query selects (its beforeId and limit aside) to a
 * CSV file the user picks in the save dialog; path "" means they cancelled.
 */
export const exportAuditCSV = (query: AuditQuery): Promise<ExportResult> => call(() => Audit.ExportCSV(query));

/**
 * Something was appended to the audit log; returns the function that stops
 * listening. Without the Wails runtime nothing arrives.
 */
export function onAuditAppended(handler: () => void): () => void {
  const nothing = () => undefined;
  if (!hasRuntime()) {
    return nothing;
  }
  try {
    return EventsOn(EVENTS.auditAppended, () => {
      handler();
    });
  } catch {
    return nothing;
  }
}
