import type { service } from '../wailsjs/go/models';

/*
 * The DTOs as plain data. The generated classes also carry helper methods
 * that the JSON the bindings return does not have.
 */

export type BackupInfo = service.BackupInfo;
export type Diagnostics = Omit<service.Diagnostics, 'convertValues'>;
export type KeyringStatus = service.KeyringStatus;
export type StartupProblem = Omit<service.StartupProblem, 'convertValues'>;
export type RestoreResult = service.RestoreResult;

/** StartupProblem.kind values the UI knows. */
export type ProblemKind = 'none' | 'corrupt' | 'newer_schema' | 'other';
