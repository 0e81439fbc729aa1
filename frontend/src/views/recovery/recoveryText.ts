import type { ProblemKind } from '../../api/types';

const TITLES: Record<Exclude<ProblemKind, 'none'>, string> = {
  corrupt: "Herald's database is damaged",
  newer_schema: 'This database was written by a newer Herald',
  other: 'Herald could not open its database',
};

/** The recovery screen's title for a StartupProblem.kind. */
export function problemTitle(kind: string): string {
  return kind in TITLES ? TITLES[kind as keyof typeof TITLES] : TITLES.other;
}

/** Only a damaged or too-new database can be replaced by a backup. */
export function canRestoreKind(kind: string): boolean {
  return kind === 'corrupt' || kind === 'newer_schema';
}

/** What the kept file is called in the result message. */
export function keptFileName(kind: string): string {
  return kind === 'newer_schema' ? 'file from the newer Herald' : 'damaged file';
}
