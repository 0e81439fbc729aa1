import { Button } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { type AuditQuery, exportAuditCSV } from '../../api/audit';
import { notifyError, notifySuccess } from '../../lib/notify';
import { entriesText, splitPath } from './auditText';

/** Saves every entry the filters select to a CSV file the user picks. */
export function ExportButton({ query }: { query: AuditQuery }) {
  const [exporting, setExporting] = useState(false);

  const run = async () => {
    setExporting(true);
    try {
      const result = await exportAuditCSV({ ...query, beforeId: 0, limit: 0 });
      // No path: the user closed the save dialog, which needs no word.
      if (result.path) {
        const { name, folder } = splitPath(result.path);
        notifySuccess('Audit log exported', `${entriesText(result.entries)} saved to ${name}${folder ? ` in ${folder}` : ''}.`);
      }
    } catch (err) {
      notifyError('Herald could not export the audit log', err);
    } finally {
      setExporting(false);
    }
  };

  return (
    <Button
      variant="default"
      leftSection={<IconDownload size={16} aria-hidden />}
      loading={exporting}
      onClick={() => void run()}
      data-testid="audit-export"
    >
      Export CSV
    </Button>
  );
}
