import type { DraftInput, MediaView, MissedPolicy, PostView, VariantInput } from '../../api/posts';
import type { NetworkInfo } from '../../api/types';
import { computerZone } from '../../time/zones';

/**
 * The composer's post: a shared base and, per channel, either the base
 * (inherited, trimmed to what the channel's network can publish) or a
 * customised copy the user edits on its own.
 */

/** What one variant says. */
export interface Content {
  text: string;
  /** Follow-ups, each published as a reply to the one before. */
  thread: string[];
  firstComment: string;
  media: MediaView[];
  /** Network options: visibility, content_warning, sensitive, language. */
  options: Record<string, string>;
}

export interface ComposerState {
  id: number;
  title: string;
  /** Selected channels, in the order they were picked. */
  channelIds: number[];
  base: Content;
  /** Channels with their own variant, by channel id. */
  custom: Record<number, Content>;
  timeZone: string;
  missedPolicy: MissedPolicy;
  graceMinutes: number;
  handoff: boolean;
}

/** The capabilities of a channel's network, by channel id. */
export type CapsOf = (channelId: number) => readonly string[];

export const DEFAULT_GRACE_MINUTES = 60;

export const emptyContent = (): Content => ({ text: '', thread: [], firstComment: '', media: [], options: {} });

export function emptyComposer(zone = computerZone()): ComposerState {
  return {
    id: 0,
    title: '',
    channelIds: [],
    base: emptyContent(),
    custom: {},
    timeZone: zone,
    missedPolicy: 'publish_late',
    graceMinutes: DEFAULT_GRACE_MINUTES,
    handoff: false,
  };
}

/** Which option needs which capability; options not listed go everywhere. */
const OPTION_CAPABILITY: Record<string, string> = {
  visibility: 'visibility',
  content_warning: 'content_warning',
  sensitive: 'content_warning',
};

function cleanOptions(options: Record<string, string>, caps: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) {
    const needs = OPTION_CAPABILITY[key];
    if (value.trim() === '' || (caps && needs && !caps.includes(needs))) {
      continue;
    }
    out[key] = value;
  }
  return out;
}

/** The base as a channel inherits it: only what its network can publish. */
export function inherit(base: Content, caps: readonly string[]): Content {
  return {
    text: base.text,
    thread: caps.includes('threads') ? [...base.thread] : [],
    firstComment: caps.includes('first_comment') ? base.firstComment : '',
    media: caps.includes('media') ? base.media.map((m) => ({ ...m })) : [],
    options: cleanOptions(base.options, caps),
  };
}

export function isCustomised(state: ComposerState, channelId: number): boolean {
  return state.custom[channelId] !== undefined;
}

/** What a channel will publish. */
export function contentFor(state: ComposerState, channelId: number, capsOf: CapsOf): Content {
  return state.custom[channelId] ?? inherit(state.base, capsOf(channelId));
}

/** The channel ids that follow the base. */
export function inheritingChannels(state: ComposerState): number[] {
  return state.channelIds.filter((id) => !isCustomised(state, id));
}

/** Which content an edit goes to: the base, or one channel. */
export type Slot = 'base' | number;

/** Applies an edit; editing an inheriting channel customises it first. */
export function edit(state: ComposerState, slot: Slot, patch: Partial<Content>, capsOf: CapsOf): ComposerState {
  if (slot === 'base') {
    return { ...state, base: { ...state.base, ...patch } };
  }
  const current = contentFor(state, slot, capsOf);
  return { ...state, custom: { ...state.custom, [slot]: { ...current, ...patch } } };
}

/** Makes a channel follow the base again. */
export function resetToBase(state: ComposerState, channelId: number): ComposerState {
  const custom = { ...state.custom };
  delete custom[channelId];
  return { ...state, custom };
}

export function toggleChannel(state: ComposerState, channelId: number): ComposerState {
  if (state.channelIds.includes(channelId)) {
    const next = resetToBase(state, channelId);
    return { ...next, channelIds: next.channelIds.filter((id) => id !== channelId) };
  }
  return { ...state, channelIds: [...state.channelIds, channelId] };
}

/** Selects all of `ids` unless they all are, in which case it deselects them. */
export function toggleChannels(state: ComposerState, ids: number[]): ComposerState {
  const allOn = ids.every((id) => state.channelIds.includes(id));
  let next = state;
  for (const id of ids) {
    if (allOn === next.channelIds.includes(id)) {
      next = toggleChannel(next, id);
    }
  }
  return next;
}

function variantInput(channelId: number, content: Content, caps: readonly string[]): VariantInput {
  return {
    channelId,
    text: content.text,
    thread: content.thread,
    firstComment: content.firstComment,
    media: content.media,
    options: cleanOptions(content.options, caps),
  };
}

/** The post as SaveDraft and Validate take it. */
export function toDraftInput(state: ComposerState, capsOf: CapsOf): DraftInput {
  return {
    id: state.id,
    title: state.title.trim(),
    variants: state.channelIds.map((id) => variantInput(id, contentFor(state, id, capsOf), capsOf(id))),
    timeZone: state.timeZone,
    missedPolicy: state.missedPolicy,
    graceMinutes: state.graceMinutes,
    handoff: state.handoff,
  };
}

/** A stable fingerprint of what would be saved: unsaved changes differ from the saved one. */
export function fingerprint(state: ComposerState, capsOf: CapsOf): string {
  return JSON.stringify({ ...toDraftInput(state, capsOf), id: 0 });
}

function contentOf(variant: VariantInput): Content {
  return {
    text: variant.text,
    thread: [...(variant.thread ?? [])],
    firstComment: variant.firstComment ?? '',
    media: (variant.media ?? []).map((m) => ({ ...m })),
    options: { ...(variant.options ?? {}) },
  };
}

function sameContent(a: Content, b: Content): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Rebuilds the composer from a saved post: the first variant is the base,
 * and every variant that is not what it would inherit is customised.
 */
export function fromPost(post: PostView, capsOf: CapsOf): ComposerState {
  const first = post.targets[0];
  const base = first ? contentOf(first.variant) : emptyContent();
  const custom: Record<number, Content> = {};
  for (const target of post.targets) {
    const own = contentOf(target.variant);
    own.options = cleanOptions(own.options, capsOf(target.channelId));
    if (!sameContent(own, inherit(base, capsOf(target.channelId)))) {
      custom[target.channelId] = own;
    }
  }
  return {
    id: post.id,
    title: post.title,
    channelIds: post.targets.map((t) => t.channelId),
    base,
    custom,
    timeZone: post.timeZone || computerZone(),
    missedPolicy: (['publish_late', 'skip', 'ask'].includes(post.missedPolicy) ? post.missedPolicy : 'publish_late') as MissedPolicy,
    graceMinutes: post.graceMinutes || DEFAULT_GRACE_MINUTES,
    handoff: post.handoff,
  };
}

/** Capabilities by channel, from the channel list and the networks. */
export function capsLookup(channels: { id: number; network: string }[], networks: NetworkInfo[]): CapsOf {
  const byNetwork = new Map(networks.map((n) => [n.id, n.capabilities]));
  const byChannel = new Map(channels.map((c) => [c.id, byNetwork.get(c.network) ?? []]));
  return (channelId) => byChannel.get(channelId) ?? [];
}

/** What the base holds that some selected channel's network cannot publish. */
export function droppedFeatures(state: ComposerState, capsOf: CapsOf): { capability: string; channelIds: number[] }[] {
  const wanted: [string, boolean][] = [
    ['threads', state.base.thread.length > 0],
    ['first_comment', state.base.firstComment.trim() !== ''],
    ['media', state.base.media.length > 0],
    ['content_warning', (state.base.options.content_warning ?? '').trim() !== ''],
    ['visibility', (state.base.options.visibility ?? '') !== ''],
  ];
  return wanted
    .filter(([, used]) => used)
    .map(([capability]) => ({ capability, channelIds: inheritingChannels(state).filter((id) => !capsOf(id).includes(capability)) }))
    .filter((d) => d.channelIds.length > 0);
}
