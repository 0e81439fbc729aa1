import type {
  AccountView,
  BackupInfo,
  ChannelView,
  Diagnostics,
  KeyringStatus,
  NetworkInfo,
  Preferences,
  Snapshot,
  StartupProblem,
  TeamView,
} from '../api/types';

export const backupFixture = (over: Partial<BackupInfo> = {}): BackupInfo => ({
  path: '/home/ana/.local/share/herald/backups/herald-20250601T101500.000Z-auto.db',
  takenAt: '2025-06-01T10:15:00Z',
  sizeBytes: 204_800,
  ...over,
});

export const diagnosticsFixture = (over: Partial<Diagnostics> = {}): Diagnostics => ({
  version: '1.2.3',
  commit: '1982e59c1d83',
  os: 'linux',
  arch: 'amd64',
  goVersion: 'go1.24.4',
  dataDir: '/home/ana/.local/share/herald',
  logDir: '/home/ana/.local/state/herald/logs',
  databasePath: '/home/ana/.local/share/herald/herald.db',
  backupDir: '/home/ana/.local/share/herald/backups',
  portable: false,
  databaseOpen: true,
  databaseSizeBytes: 245_760,
  schemaVersion: 3,
  latestSchemaVersion: 3,
  lastBackup: backupFixture(),
  startedAt: '2025-06-01T12:00:00Z',
  ...over,
});

export const keyringFixture = (over: Partial<KeyringStatus> = {}): KeyringStatus => ({
  available: true,
  backend: 'Secret Service',
  message: 'Credentials are stored in Secret Service.',
  hint: '',
  checkedAt: '2025-06-01T12:01:00Z',
  ...over,
});

export const problemFixture = (over: Partial<StartupProblem> = {}): StartupProblem => ({
  kind: 'none',
  message: '',
  hint: '',
  databasePath: '/home/ana/.local/share/herald/herald.db',
  restored: false,
  ...over,
});

export const mastodonNetwork = (over: Partial<NetworkInfo> = {}): NetworkInfo => ({
  id: 'mastodon',
  name: 'Mastodon',
  auth: 'oauth_loopback',
  needsInstance: true,
  defaultInstance: '',
  instanceLabel: 'Server',
  identifierLabel: '',
  secretLabel: '',
  instanceFormat: "The server's address, like mastodon.social",
  identifierFormat: '',
  secretFormat: '',
  connectHelp: "You'll sign in on your server's own page in your browser. Herald registers itself with your server and never sees your password.",
  notListedHelp:
    "One sign-in connects one account: the one signed in on your server's page. To add another account, sign out on the server's page first, or use a private browser window.",
  capabilities: ['publish', 'media', 'alt_text', 'threads', 'post_metrics', 'revoke'],
  limitations: [{ capability: 'post_metrics', text: 'Mastodon reports no impressions or reach: only favourites, boosts and replies.' }],
  ...over,
});

export const blueskyNetwork = (over: Partial<NetworkInfo> = {}): NetworkInfo => ({
  id: 'bluesky',
  name: 'Bluesky',
  auth: 'app_password',
  needsInstance: false,
  defaultInstance: 'https://bsky.social',
  instanceLabel: 'Hosting provider (advanced)',
  identifierLabel: 'Handle',
  secretLabel: 'App password',
  instanceFormat: "The hosting provider's address, like bsky.social",
  identifierFormat: 'Your handle, like alice.bsky.social, or your email',
  secretFormat: 'An app password, like abcd-efgh-ijkl-mnop — create one in Bluesky under Settings → Privacy and security → App passwords',
  connectHelp:
    'Herald signs in to Bluesky with an app password, not your main password. To make one, open Bluesky → Settings → Privacy and security → App passwords (https://bsky.app/settings/app-passwords), add one named “Herald” and paste it here.',
  notListedHelp: 'One Bluesky sign-in is one account.',
  capabilities: ['publish', 'media', 'refresh', 'revoke'],
  limitations: [{ capability: 'native_schedule', text: 'Bluesky cannot schedule posts itself: Herald must be running when a post is due.' }],
  ...over,
});

export const channelFixture = (over: Partial<ChannelView> = {}): ChannelView => ({
  id: 12,
  network: 'mastodon',
  networkName: 'Mastodon',
  auth: 'oauth_loopback',
  instance: 'https://mastodon.social',
  remoteId: '109876543210',
  kind: 'account',
  handle: 'shop@mastodon.social',
  displayName: 'Shop',
  avatarUrl: '',
  profileUrl: 'https://mastodon.social/@shop',
  status: 'connected',
  statusReason: '',
  statusChangedAt: '2025-05-01T09:00:00Z',
  tokenExpiresAt: '',
  connectedAt: '2025-05-01T09:00:00Z',
  refreshedAt: '',
  lastAuthorizedAt: '2025-05-01T09:00:00Z',
  checkedAt: '2025-06-01T11:30:00Z',
  lastCheckClass: '',
  lastCheckMessage: '',
  reminderDue: false,
  reminderReason: '',
  signInMissing: false,
  teams: [],
  ...over,
});

export const accountFixture = (over: Partial<AccountView> = {}): AccountView => ({
  remoteId: '109876543210',
  kind: 'account',
  handle: 'shop@mastodon.social',
  displayName: 'Shop',
  avatarUrl: '',
  profileUrl: 'https://mastodon.social/@shop',
  reason: '',
  channelId: 0,
  removed: false,
  ...over,
});

export const snapshotFixture = (over: Partial<Snapshot> = {}): Snapshot => ({
  id: 'sess-1',
  network: 'mastodon',
  networkName: 'Mastodon',
  instance: 'https://mastodon.social',
  stage: 'starting',
  error: null,
  authUrl: '',
  browserOpened: false,
  refreshChannelId: 0,
  new: [],
  existing: [],
  unavailable: [],
  notListedHelp: mastodonNetwork().notListedHelp,
  ...over,
});

export const teamFixture = (over: Partial<TeamView> = {}): TeamView => ({ id: 1, name: 'Shop', channels: 0, ...over });

export const preferencesFixture = (over: Partial<Preferences> = {}): Preferences => ({
  reminderDays: 90,
  launchAtLogin: false,
  clock: 'system',
  ...over,
});
