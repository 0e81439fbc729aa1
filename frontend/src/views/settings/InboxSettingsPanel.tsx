import { Stack, Title } from '@mantine/core';
import { InboxRulesPanel } from './InboxRulesPanel';
import { InboxSyncPanel } from './InboxSyncPanel';
import { SavedRepliesPanel } from './SavedRepliesPanel';

/** Settings → Inbox: how each channel is checked and notifies, the rules new items go through, and the replies you reuse. */
export function InboxSettingsPanel() {
  return (
    <Stack gap="xl">
      <Stack gap="sm" component="section" aria-labelledby="inbox-sync-heading">
        <Title order={2} size="h4" id="inbox-sync-heading">
          Checking and notifications
        </Title>
        <InboxSyncPanel />
      </Stack>
      <Stack gap="sm" component="section" aria-labelledby="inbox-rules-heading">
        <Title order={2} size="h4" id="inbox-rules-heading">
          Rules
        </Title>
        <InboxRulesPanel />
      </Stack>
      <Stack gap="sm" component="section" aria-labelledby="saved-replies-heading">
        <Title order={2} size="h4" id="saved-replies-heading">
          Saved replies
        </Title>
        <SavedRepliesPanel />
      </Stack>
    </Stack>
  );
}
