import * as Recovery from '../wailsjs/go/service/Recovery';
import { call } from './call';
import type { RestoreResult, StartupProblem } from './types';

export const getStartupProblem = (): Promise<StartupProblem> => call(() => Recovery.Problem());

/** Puts the newest backup in place of the database; Herald then restarts. */
export const restoreLatestBackup = (): Promise<RestoreResult> => call(() => Recovery.RestoreLatestBackup());
