import { describe, expect, it } from 'vitest';
import { actorText, entriesText, eventText, newEntriesText, prettyDetails, splitPath, teamNames } from './auditText';

describe('eventText', () => {
  it.each([
    ['post.published', 'Post published'],
    ['channel.teams_changed', 'Channel teams changed'],
    ['publishing.paused', 'Publishing paused'],
    ['team.created', 'Team created'],
    ['settings.changed', 'Settings changed'],
    ['settings.queue_changed', 'Queue times changed'],
    ['post.publish_now', 'Post set to publish now'],
    ['app.started', 'App started'],
    ['', 'Unknown event'],
  ])('%s reads %s', (event, text) => {
    expect(eventText(event)).toBe(text);
  });
});

describe('actorText', () => {
  it('names each actor plainly and copes with one it does not know', () => {
    expect(['user', 'scheduler', 'health', 'system'].map((a) => actorText(a).label)).toEqual([
      'You',
      'Scheduler',
      'Health checks',
      'System',
    ]);
    expect(actorText('importer').label).toBe('Importer');
    expect(actorText('').label).toBe('Unknown');
  });
});

describe('prettyDetails', () => {
  it('indents JSON, keeps other text, and has nothing for empty details', () => {
    expect(prettyDetails('{"attempt":2,"remoteUrl":"https://x.example/1"}')).toBe(
      '{\n  "attempt": 2,\n  "remoteUrl": "https://x.example/1"\n}',
    );
    expect(prettyDetails('not json')).toBe('not json');
    expect(prettyDetails('{}')).toBe('');
    expect(prettyDetails('  ')).toBe('');
    expect(prettyDetails('null')).toBe('');
  });
});

describe('teamNames and entriesText', () => {
  it('splits team lists and counts entries', () => {
    expect(teamNames('Shop, Retail,')).toEqual(['Shop', 'Retail']);
    expect(teamNames('')).toEqual([]);
    expect(entriesText(1)).toBe('1 entry');
    expect(entriesText(0)).toBe('0 entries');
    expect(entriesText(1234)).toBe('1,234 entries');
  });
});

describe('newEntriesText', () => {
  it('counts when it can', () => {
    expect(newEntriesText(1)).toBe('1 new entry');
    expect(newEntriesText(2500)).toBe('2,500 new entries');
    expect(newEntriesText(0)).toBe('New entries');
  });
});

describe('splitPath', () => {
  it('finds the file name on every system', () => {
    expect(splitPath('/home/ana/Downloads/log.csv')).toEqual({ name: 'log.csv', folder: '/home/ana/Downloads' });
    expect(splitPath('C:\\Users\\ana\\Downloads\\log.csv')).toEqual({ name: 'log.csv', folder: 'C:\\Users\\ana\\Downloads' });
    expect(splitPath('/log.csv')).toEqual({ name: 'log.csv', folder: '/' });
    expect(splitPath('log.csv')).toEqual({ name: 'log.csv', folder: '' });
  });
});
