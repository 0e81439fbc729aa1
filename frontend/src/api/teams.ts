import * as Teams from '../wailsjs/go/service/Teams';
import { call } from './call';
import type { TeamView } from './types';

export const listTeams = (): Promise<TeamView[]> => call(() => Teams.List());

export const createTeam = (name: string): Promise<TeamView> => call(() => Teams.Create(name));

export const renameTeam = (id: number, name: string): Promise<TeamView> => call(() => Teams.Rename(id, name));

/** Deletes a team; its channels stay. */
export const deleteTeam = (id: number): Promise<void> => call(() => Teams.Delete(id));
