import { Badge, Box, Button, Card, Grid, Group, Modal, Select, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { IconArrowBackUp, IconPhotoPlus } from '@tabler/icons-react';
import { type DragEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { type AppError, toAppError } from '../../api/errors';
import { addToQueue, importMediaData, type MediaView, publishNow, saveDraft, schedulePost } from '../../api/posts';
import type { ChannelView, NetworkInfo } from '../../api/types';
import { searchChannelFor, useSearchableChannels } from '../../hooks/useSearchableChannels';
import { notifyError, notifySuccess } from '../../lib/notify';
import { ChannelAvatar, NetworkIcon } from '../channels/ChannelAvatar';
import { capabilityText, channelLabel, channelName, naturalCompare, sortChannels } from '../channels/channelText';
import type { PostPageState } from '../posts/PostPage';
import { type PublishChoice, PublishNowModal, publishToast } from '../posts/PublishNowModal';
import { describeWhen, scheduledText, type When, whenLocal } from '../posts/WhenFields';
import { useMaybePublishing } from '../queue/usePublishingStatus';
import { blockersOf, checksFor, type Fix, ordinal, type Problem, splitPoint } from './checks';
import { ChannelPicker } from './ChannelPicker';
import {
  type ComposerState,
  capsLookup,
  contentFor,
  droppedFeatures,
  edit,
  emptyComposer,
  fingerprint,
  inheritingChannels,
  isCustomised,
  resetToBase,
  type Slot,
  toDraftInput,
  toggleChannel,
  toggleChannels,
} from './composerState';
import { NetworkPreview } from './NetworkPreview';
import { readAsBase64 } from './readFile';
import { type Mode, SchedulePanel } from './SchedulePanel';
import { useUnsavedGuard } from './useUnsavedGuard';
import { useValidation } from './useValidation';
import { VariantEditor } from './VariantEditor';

interface ComposerProps {
  initial: ComposerState;
  initialWhen: When;
  channels: ChannelView[];
  networks: NetworkInfo[];
  /** The post being edited is already scheduled: saving keeps its time. */
  scheduled?: boolean;
}

/** Limitations worth showing beside a variant: what the network can and cannot publish. */
const EDITOR_CAPABILITIES = ['publish', 'media', 'alt_text', 'threads', 'first_comment', 'content_warning', 'visibility'];

/** Writes one post for several channels, checks it live, and saves, schedules, queues or publishes it. */
export function Composer({ initial, initialWhen, channels, networks, scheduled = false }: ComposerProps) {
  const navigate = useNavigate();
  const capsOf = useMemo(() => capsLookup(channels, networks), [channels, networks]);
  const channelById = useMemo(() => new Map(channels.map((c) => [c.id, c])), [channels]);
  const networkOf = (channelId: number) => networks.find((n) => n.id === channelById.get(channelId)?.network);
  /** A channel's name; with its handle when another channel has the same name. */
  const shortName = (channelId: number) => {
    const channel = channelById.get(channelId);
    if (!channel) {
      return 'a removed channel';
    }
    const name = channelName(channel);
    const twin = channels.some((c) => c.id !== channelId && channelName(c) === name);
    return twin ? channelLabel(channel) : name;
  };
  const nameOf = (channelId: number) => {
    const channel = channelById.get(channelId);
    return channel ? `${shortName(channelId)} (${channel.networkName})` : 'A removed channel';
  };

  const [state, setState] = useState(initial);
  const [saved, setSaved] = useState(() => fingerprint(initial.id ? initial : emptyComposer(initial.timeZone), capsOf));
  const [tab, setTab] = useState<string>('base');
  const [previewId, setPreviewId] = useState<number | undefined>(undefined);
  const [mode, setMode] = useState<Mode>('schedule');
  const [when, setWhen] = useState<When>(initialWhen);
  const [whenError, setWhenError] = useState<string | undefined>(undefined);
  const [importing, setImporting] = useState(0);
  const [busy, setBusy] = useState<'save' | 'primary' | undefined>(undefined);
  const [actionError, setActionError] = useState<AppError | undefined>(undefined);
  const [dragging, setDragging] = useState(false);
  // "Publish now" while publishing is paused asks how to go ahead; this is the choice being carried out.
  const publishing = useMaybePublishing();
  const [askPaused, setAskPaused] = useState(false);
  const [choice, setChoice] = useState<PublishChoice | undefined>(undefined);
  const searchable = useSearchableChannels();

  const handoffAvailable = state.channelIds.length > 0 && state.channelIds.every((id) => capsOf(id).includes('native_schedule'));
  const input = useMemo(
    () => toDraftInput({ ...state, handoff: state.handoff && handoffAvailable }, capsOf),
    [state, capsOf, handoffAvailable],
  );
  const live = useValidation(input);
  const current = fingerprint(state, capsOf);
  const dirty = current !== saved;
  const guard = useUnsavedGuard(dirty);

  const slot: Slot = tab !== 'base' && state.channelIds.includes(Number(tab)) ? Number(tab) : 'base';
  const slotCaps: readonly string[] =
    slot === 'base' ? [...new Set(state.channelIds.flatMap((id) => capsOf(id)))] : capsOf(slot);
  const slotContent = slot === 'base' ? state.base : contentFor(state, slot, capsOf);
  const receivers = slot === 'base' ? inheritingChannels(state) : [slot];
  const editorTestId = slot === 'base' ? 'compose' : `compose-variant-${slot}`;

  const namesOf = (ids: number[]) => ids.map(shortName).sort(naturalCompare).join(', ');

  /** The fixes Herald can carry out for a problem shown in the editor of the current slot. */
  const fixesFor = (problem: Problem): Fix[] => {
    const fixes: Fix[] = [];
    const content = slotContent;
    const threadIndex = /^thread\[(\d+)\]$/.exec(problem.field);
    const mediaIndex = /^media\[(\d+)\]/.exec(problem.field);
    if (problem.code === 'too_long' || problem.code === 'too_many_bytes') {
      if (slot === 'base' && state.channelIds.length > 1) {
        for (const id of problem.channelIds) {
          fixes.push({
            kind: 'customise',
            label: `Customise for ${shortName(id)}`,
            run: () => {
              setState((s) => edit(s, id, {}, capsOf));
              setTab(String(id));
            },
          });
        }
      }
      // Splitting moves the rest into a follow-up, so every channel this
      // text goes to must publish threads, or the rest would be lost.
      const text = problem.field === 'text' ? content.text : threadIndex ? content.thread[Number(threadIndex[1])] : undefined;
      const at = text === undefined ? undefined : splitPoint(text, problem.counts);
      if (text !== undefined && at !== undefined && receivers.every((id) => capsOf(id).includes('threads'))) {
        const head = text.slice(0, at).trimEnd();
        const rest = text.slice(at).trimStart();
        fixes.push({
          kind: 'split',
          label: 'Split into a thread',
          run: () => {
            if (threadIndex) {
              const i = Number(threadIndex[1]);
              change({ thread: [...content.thread.slice(0, i), head, rest, ...content.thread.slice(i + 1)] });
            } else {
              change({ text: head, thread: [rest, ...content.thread] });
            }
          },
        });
      }
    }
    if (problem.code === 'too_many_media' && problem.limit) {
      const limit = problem.limit;
      const extra = content.media.slice(limit);
      const images = extra.every((m) => m.mime.startsWith('image/'));
      if (extra.length > 0) {
        fixes.push({
          kind: 'remove-media',
          label:
            extra.length === 1
              ? `Remove the ${ordinal(limit + 1)} ${images ? 'image' : 'attachment'}`
              : `Remove the last ${extra.length} ${images ? 'images' : 'attachments'}`,
          run: () => {
            change({ media: content.media.slice(0, limit) });
          },
        });
      }
    }
    if (mediaIndex && ['media_type', 'media_too_big', 'video_not_alone'].includes(problem.code)) {
      const i = Number(mediaIndex[1]);
      const media = content.media[i];
      if (media) {
        fixes.push({
          kind: 'remove-media',
          label: `Remove ${media.name}`,
          run: () => {
            change({ media: content.media.filter((_, j) => j !== i) });
          },
        });
      }
    }
    if (mediaIndex && (problem.code === 'alt_missing' || problem.code === 'alt_too_long')) {
      fixes.push({
        kind: 'alt',
        label: problem.code === 'alt_missing' ? 'Add alt text' : 'Shorten the alt text',
        run: () => {
          document.querySelector<HTMLElement>(`[data-testid="${editorTestId}-alt-${mediaIndex[1]}"]`)?.focus();
        },
      });
    }
    if (problem.code === 'thread_too_long' && problem.limit) {
      const limit = problem.limit;
      const extra = content.thread.length - limit;
      if (extra > 0) {
        fixes.push({
          kind: 'remove-follow-ups',
          label: extra === 1 ? `Remove follow-up ${limit + 1}` : `Remove the last ${extra} follow-ups`,
          run: () => {
            change({ thread: content.thread.slice(0, limit) });
          },
        });
      }
    }
    if (problem.code === 'empty' && threadIndex) {
      const i = Number(threadIndex[1]);
      fixes.push({
        kind: 'remove-follow-up',
        label: `Remove follow-up ${i + 1}`,
        run: () => {
          change({ thread: content.thread.filter((_, j) => j !== i) });
        },
      });
    }
    if (problem.code === 'empty' && problem.field === 'first_comment') {
      fixes.push({
        kind: 'remove-first-comment',
        label: 'Remove the first comment',
        run: () => {
          change({ firstComment: '' });
        },
      });
    }
    return fixes;
  };

  const checks = checksFor(live.validation, receivers, namesOf, fixesFor);

  const blockers = [
    ...(live.error ? [`Herald could not check the post: ${live.error.message}`] : []),
    ...blockersOf(live.validation, namesOf),
  ];
  const whenSummary = describeWhen(when, new Date());
  const whenBlocked = mode === 'schedule' && (!whenLocal(when) || whenSummary?.problem !== undefined);
  const primaryDisabled =
    busy !== undefined ||
    importing > 0 ||
    state.channelIds.length === 0 ||
    !live.validation?.ok ||
    live.error !== undefined ||
    whenBlocked;
  // Why the main button does nothing, said on hover and to screen readers.
  let primaryReason: string | undefined;
  if (busy === undefined && primaryDisabled) {
    if (state.channelIds.length === 0) {
      primaryReason = 'Choose at least one channel to post to.';
    } else if (importing > 0) {
      primaryReason = 'Wait until the attachments are added.';
    } else if (blockers.length > 0) {
      primaryReason = `Fix these first: ${blockers.join('; ')}`;
    } else if (!live.validation?.ok) {
      primaryReason = 'Herald is still checking the post.';
    } else if (whenBlocked) {
      primaryReason = whenSummary?.problem ?? 'Choose the date and time to publish at.';
    }
  }

  const notes = (): string[] => {
    if (slot === 'base') {
      if (state.channelIds.length === 0) {
        return ['Choose channels above to see the options their networks offer.'];
      }
      return droppedFeatures(state, capsOf).map(({ capability, channelIds }) => {
        const who = channelIds.map(nameOf).join(', ');
        const limitation = channelIds.map((id) => networkOf(id)?.limitations.find((l) => l.capability === capability)?.text).find(Boolean);
        return `${capabilityText(capability)}: not published to ${who}${limitation ? ` (${limitation})` : ', whose network does not support it'}.`;
      });
    }
    const network = networkOf(slot);
    return (network?.limitations ?? []).filter((l) => EDITOR_CAPABILITIES.includes(l.capability)).map((l) => l.text);
  };

  const change = (patch: Parameters<typeof edit>[2]) => {
    setState((s) => edit(s, slot, patch, capsOf));
  };

  const importFiles = async (target: Slot, caps: readonly string[], files: File[]) => {
    if (!caps.includes('media')) {
      notifyError('Attachments are not possible here', {
        code: 'media',
        message: state.channelIds.length === 0 ? 'Choose the channels to post to first.' : "The selected channels' networks do not accept attachments.",
      });
      return;
    }
    setImporting((n) => n + files.length);
    const results = await Promise.allSettled(files.map((file) => readAsBase64(file).then((data) => importMediaData(file.name, data))));
    setImporting((n) => n - files.length);
    const added: MediaView[] = [];
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') {
        added.push({ ...result.value, altText: result.value.altText ?? '' });
      } else {
        notifyError(`Could not attach ${files[i]?.name ?? 'a file'}`, result.reason);
      }
    });
    if (added.length > 0) {
      setState((s) => {
        const content = target === 'base' ? s.base : contentFor(s, target, capsOf);
        return edit(s, target, { media: [...content.media, ...added] }, capsOf);
      });
    }
  };

  /** Saves the post (created on the first save); resolves to its id. */
  const persist = async (): Promise<number> => {
    const sent = current;
    const post = await saveDraft(input);
    setState((s) => ({ ...s, id: post.id }));
    setSaved(sent);
    return post.id;
  };

  const showError = (err: unknown) => {
    const error = toAppError(err);
    if (error.field === 'when' || error.field === 'timeZone') {
      setWhenError(error.hint ? `${error.message} ${error.hint}` : error.message);
    } else {
      setActionError(error);
    }
  };

  const onSave = async () => {
    if (busy || state.channelIds.length === 0) {
      return;
    }
    setBusy('save');
    setActionError(undefined);
    try {
      await persist();
      if (scheduled) {
        notifySuccess('Changes saved', 'The post keeps its time.');
      } else {
        notifySuccess('Draft saved', 'It is kept on this computer; publish or schedule it when you are ready.');
      }
    } catch (err) {
      showError(err);
    } finally {
      setBusy(undefined);
    }
  };

  const onPrimary = async (publishChoice?: PublishChoice) => {
    if (primaryDisabled) {
      return;
    }
    if (mode === 'now' && publishChoice === undefined && publishing?.paused === true) {
      setAskPaused(true);
      return;
    }
    setBusy('primary');
    setChoice(publishChoice);
    setActionError(undefined);
    setWhenError(undefined);
    try {
      const id = await persist();
      let state: PostPageState = {};
      if (mode === 'schedule') {
        const local = whenLocal(when) ?? '';
        const result = await schedulePost(id, local, when.zone);
        const told = scheduledText(local, when.zone, result);
        notifySuccess('Scheduled', told.message);
        state = told.note ? { note: told.note } : {};
      } else if (mode === 'queue') {
        await addToQueue(id);
        notifySuccess('Added to the queue', "Each variant goes out at its channel's next free posting time.");
      } else {
        if (publishChoice === 'resume' && publishing && !(await publishing.changePaused(false))) {
          return; // the draft is saved; the failure to resume was notified
        }
        await publishNow(id);
        if (publishChoice === 'on_resume') {
          notifySuccess(...publishToast('on_resume', 'the post'));
        } else if (publishChoice === 'resume') {
          notifySuccess('Publishing resumed', 'Herald resumed publishing and is publishing the post now; follow it on this page.');
        } else {
          notifySuccess('Publishing now', 'Herald is publishing the post; follow it on this page.');
        }
      }
      setAskPaused(false);
      guard.release();
      void navigate(`/posts/${id}`, { state });
    } catch (err) {
      setAskPaused(false);
      showError(err);
    } finally {
      setBusy(undefined);
      setChoice(undefined);
    }
  };

  // Ctrl/Cmd+Enter runs the main action, Ctrl/Cmd+S saves the draft.
  const keys = useRef({ onPrimary, onSave });
  useEffect(() => {
    keys.current = { onPrimary, onSave };
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) {
        return;
      }
      if (event.key === 'Enter') {
        event.preventDefault();
        void keys.current.onPrimary();
      } else if (event.key.toLowerCase() === 's' && !event.shiftKey) {
        event.preventDefault();
        void keys.current.onSave();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
    };
  }, []);

  const onDragOver = (event: DragEvent) => {
    if (event.dataTransfer.types.includes('Files')) {
      event.preventDefault();
      setDragging(true);
    }
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const files = [...event.dataTransfer.files];
    if (files.length > 0) {
      void importFiles(slot, slotCaps, files);
    }
  };

  // Tabs and the preview's list in the order people count the channels' names.
  const tabOrder = [
    ...sortChannels(state.channelIds.flatMap((id) => channelById.get(id) ?? [])).map((c) => c.id),
    ...state.channelIds.filter((id) => !channelById.has(id)),
  ];
  const previewChannelId =
    slot !== 'base' ? slot : previewId !== undefined && state.channelIds.includes(previewId) ? previewId : state.channelIds[0];
  const previewChannel = previewChannelId === undefined ? undefined : channelById.get(previewChannelId);
  // @mentions are looked up through the variant's channel; for the shared text, the first channel taking it that can search.
  const mentionChannel = searchChannelFor(tabOrder.filter((id) => receivers.includes(id)), searchable.data);

  return (
    <Stack gap="lg" data-testid="composer" data-post-id={state.id} data-dirty={dirty}>
      <Card component="section" aria-label="Post to">
        <Title order={2} fz="md" mb="sm">
          Post to
        </Title>
        <ChannelPicker
          channels={channels}
          selected={state.channelIds}
          onToggle={(id) => {
            setState((s) => toggleChannel(s, id));
          }}
          onToggleMany={(ids) => {
            setState((s) => toggleChannels(s, ids));
          }}
        />
      </Card>

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card
            component="section"
            aria-label="Post"
            onDragOver={onDragOver}
            onDragLeave={() => {
              setDragging(false);
            }}
            onDrop={onDrop}
            style={dragging ? { outline: '2px dashed var(--mantine-primary-color-filled)', outlineOffset: 2 } : undefined}
            data-testid="compose-dropzone"
          >
            <Stack gap="md">
              <TextInput
                label="Title"
                description="Only shown in Herald, to find the post again."
                placeholder="Optional, e.g. Spring sale"
                value={state.title}
                onChange={(event) => {
                  const title = event.currentTarget.value;
                  setState((s) => ({ ...s, title }));
                }}
                data-testid="compose-title"
              />
              <Tabs
                value={slot === 'base' ? 'base' : String(slot)}
                onChange={(value) => {
                  setTab(value ?? 'base');
                }}
                keepMounted={false}
              >
                <Tabs.List>
                  <Tabs.Tab value="base" data-testid="compose-tab-base">
                    Same text everywhere
                  </Tabs.Tab>
                  {tabOrder.map((id) => {
                    const channel = channelById.get(id);
                    const name = channel ? shortName(id) : 'Removed channel';
                    return (
                      <Tabs.Tab
                        key={id}
                        value={String(id)}
                        leftSection={
                          <Group gap={4} wrap="nowrap">
                            <ChannelAvatar src={channel?.avatarUrl ?? ''} name={channel ? channelName(channel) : name} size={18} />
                            {channel && <NetworkIcon network={channel.network} size={14} />}
                          </Group>
                        }
                        rightSection={
                          isCustomised(state, id) ? (
                            <Badge size="xs" variant="light" tt="none">
                              Customised
                            </Badge>
                          ) : undefined
                        }
                        data-testid={`compose-tab-${id}`}
                        data-customised={isCustomised(state, id)}
                      >
                        {name}
                      </Tabs.Tab>
                    );
                  })}
                </Tabs.List>
              </Tabs>

              {slot !== 'base' && (
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Text size="sm" c="dimmed" style={{ flex: 1 }}>
                    {isCustomised(state, slot)
                      ? `${nameOf(slot)} has its own version; changes to the shared text no longer reach it.`
                      : `Follows the shared text. Editing here gives ${nameOf(slot)} its own version.`}
                  </Text>
                  {isCustomised(state, slot) && (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      leftSection={<IconArrowBackUp size={14} />}
                      style={{ flexShrink: 0 }}
                      onClick={() => {
                        setState((s) => resetToBase(s, slot));
                      }}
                      data-testid="compose-reset-variant"
                    >
                      Use the shared text again
                    </Button>
                  )}
                </Group>
              )}

              <VariantEditor
                key={String(slot)}
                content={slotContent}
                onChange={change}
                caps={slotCaps}
                checks={checks}
                testId={slot === 'base' ? 'compose' : `compose-variant-${slot}`}
                notes={notes()}
                importing={importing}
                onFiles={(files) => {
                  void importFiles(slot, slotCaps, files);
                }}
                placeholder={slot === 'base' ? 'What do you want to say?' : `What ${nameOf(slot)} should say`}
                mentionChannel={mentionChannel}
              />
              {dragging && (
                <Group gap={6} justify="center">
                  <IconPhotoPlus size={18} aria-hidden />
                  <Text size="sm">Drop to attach</Text>
                </Group>
              )}
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card component="section" aria-label="Preview">
            <Stack gap="sm">
              <Group justify="space-between" wrap="nowrap">
                <Title order={2} fz="md">
                  Preview
                </Title>
                {slot === 'base' && state.channelIds.length > 1 && (
                  <Select
                    aria-label="Preview on"
                    size="xs"
                    data={tabOrder.map((id) => ({ value: String(id), label: nameOf(id) }))}
                    value={previewChannelId === undefined ? null : String(previewChannelId)}
                    onChange={(value) => {
                      setPreviewId(value ? Number(value) : undefined);
                    }}
                    allowDeselect={false}
                    comboboxProps={{ withinPortal: false }}
                    w={220}
                  />
                )}
              </Group>
              {previewChannel && previewChannelId !== undefined ? (
                <NetworkPreview channel={previewChannel} content={contentFor(state, previewChannelId, capsOf)} />
              ) : (
                <Box py="lg">
                  <Text size="sm" c="dimmed" ta="center">
                    Choose a channel to see how the post will look there.
                  </Text>
                </Box>
              )}
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>

      <SchedulePanel
        mode={mode}
        onMode={(next) => {
          setMode(next);
          setActionError(undefined);
        }}
        when={when}
        onWhen={(next) => {
          setWhen(next);
          setWhenError(undefined);
          setState((s) => (s.timeZone === next.zone ? s : { ...s, timeZone: next.zone }));
        }}
        whenError={whenError}
        missedPolicy={state.missedPolicy}
        graceMinutes={state.graceMinutes}
        onPolicy={(missedPolicy, graceMinutes) => {
          setState((s) => ({ ...s, missedPolicy, graceMinutes }));
        }}
        handoff={{
          available: handoffAvailable,
          on: state.handoff,
          notes: [
            ...new Set(
              state.channelIds.flatMap((id) => networkOf(id)?.limitations.filter((l) => l.capability === 'native_schedule').map((l) => l.text) ?? []),
            ),
          ],
        }}
        onHandoff={(handoff) => {
          setState((s) => ({ ...s, handoff }));
        }}
        channelCount={state.channelIds.length}
        blockers={blockers}
        busy={busy}
        primaryDisabled={primaryDisabled}
        primaryReason={primaryReason}
        onPrimary={() => void onPrimary()}
        onSave={() => void onSave()}
        saveLabel={scheduled ? 'Save changes' : 'Save draft'}
        actionError={actionError}
      />

      <PublishNowModal
        opened={askPaused}
        paused
        what="the post"
        busy={busy === 'primary' ? choice : undefined}
        onChoose={(picked) => void onPrimary(picked)}
        onClose={() => {
          setAskPaused(false);
        }}
      />

      <Modal opened={guard.pending !== undefined} onClose={guard.stay} title="Leave without saving?" centered>
        <Stack gap="md">
          <Text size="sm">Your changes to this post are not saved. Save it as a draft to keep them.</Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={guard.stay}>
              Keep editing
            </Button>
            <Button variant="light" color="red" onClick={guard.leave} data-testid="guard-leave">
              Leave without saving
            </Button>
            {state.channelIds.length > 0 && (
              <Button
                loading={busy === 'save'}
                onClick={() => {
                  setBusy('save');
                  persist().then(
                    () => {
                      setBusy(undefined);
                      notifySuccess('Draft saved', 'It is kept on this computer.');
                      guard.leave();
                    },
                    (err: unknown) => {
                      setBusy(undefined);
                      guard.stay();
                      showError(err);
                    },
                  );
                }}
              >
                Save draft and leave
              </Button>
            )}
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
