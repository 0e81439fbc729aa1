import type {
  AttemptView,
  CalendarItem,
  CheckResult,
  Count,
  MediaView,
  PostSummary,
  PostView,
  TargetView,
  Validation,
  VariantCheck,
} from '../api/posts';
import type { PublishingStatus } from '../api/publishing';

export const countFixture = (over: Partial<Count> = {}): Count => ({
  chars: 0,
  bytes: 0,
  max: 500,
  maxBytes: 0,
  remaining: 500,
  urls: 0,
  mentions: 0,
  contentWarning: 0,
  // Past any text's end: the whole text fits unless a test says otherwise.
  fits: Number.MAX_SAFE_INTEGER,
  ...over,
});

export const resultFixture = (over: Partial<CheckResult> = {}): CheckResult => ({
  text: countFixture(),
  thread: [],
  issues: [],
  ok: true,
  ...over,
});

export const checkFixture = (channelId: number, networkName: string, result: Partial<CheckResult> = {}): VariantCheck => ({
  channelId,
  networkName,
  result: resultFixture(result),
});

export const validationFixture = (variants: VariantCheck[], problems: string[] = []): Validation => ({
  ok: problems.length === 0 && variants.every((v) => v.result.ok),
  variants,
  problems,
});

export const mediaFixture = (over: Partial<MediaView> = {}): MediaView => ({
  path: 'ab/abcdef.png',
  name: 'cat.png',
  mime: 'image/png',
  size: 2048,
  width: 640,
  height: 480,
  altText: '',
  ...over,
});

export const attemptFixture = (over: Partial<AttemptView> = {}): AttemptView => ({
  number: 1,
  startedAt: '2026-06-01T09:30:00Z',
  finishedAt: '2026-06-01T09:30:02Z',
  outcome: 'succeeded',
  errorClass: '',
  message: '',
  remoteId: '110',
  ...over,
});

export const targetFixture = (over: Partial<TargetView> = {}): TargetView => ({
  id: 101,
  channelId: 12,
  variant: { channelId: 12, text: 'Spring sale starts today', thread: [], firstComment: '', media: [], options: {} },
  status: 'scheduled',
  dueAt: '2026-12-01T08:30:00Z',
  nextAttemptAt: '2026-12-01T08:30:00Z',
  attemptCount: 0,
  errorClass: '',
  errorMessage: '',
  remoteId: '',
  remoteUrl: '',
  publishedAt: '',
  verifiedAt: '',
  handedOff: false,
  checking: false,
  queued: false,
  attempts: [],
  ...over,
});

export const postFixture = (over: Partial<PostView> = {}): PostView => ({
  id: 7,
  kind: 'post',
  title: 'Spring sale',
  status: 'scheduled',
  scheduledAt: '2026-12-01T08:30:00Z',
  localTime: '2026-12-01T09:30',
  timeZone: 'Europe/Berlin',
  missedPolicy: 'publish_late',
  graceMinutes: 60,
  handoff: false,
  createdAt: '2026-06-01T09:00:00Z',
  updatedAt: '2026-06-01T09:00:00Z',
  targets: [targetFixture()],
  ...over,
});

export const summaryFixture = (over: Partial<PostSummary> = {}): PostSummary => ({
  id: 7,
  title: 'Spring sale',
  snippet: 'Spring sale starts today',
  status: 'scheduled',
  scheduledAt: '2026-12-01T08:30:00Z',
  timeZone: 'Europe/Berlin',
  targets: [{ id: 101, channelId: 12, status: 'scheduled', dueAt: '2026-12-01T08:30:00Z', errorClass: '', message: '', handedOff: false, remoteUrl: '' }],
  ...over,
});

export const calendarItemFixture = (over: Partial<CalendarItem> = {}): CalendarItem => ({
  targetId: 101,
  postId: 7,
  channelId: 12,
  title: 'Spring sale',
  status: 'scheduled',
  at: '2026-12-01T08:30:00Z',
  handedOff: false,
  message: '',
  remoteUrl: '',
  editable: true,
  ...over,
});

export const statusFixture = (over: Partial<PublishingStatus> = {}): PublishingStatus => ({
  paused: false,
  nextDueAt: '',
  nextPostId: 0,
  nextTitle: '',
  scheduled: 0,
  needsAction: 0,
  ...over,
});
