import { Button, Menu, useComputedColorScheme, useMantineTheme } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconDownload, IconFileTypeCsv, IconFileTypePdf, IconPhoto } from '@tabler/icons-react';
import { toPng } from 'html-to-image';
import { type RefObject, useState } from 'react';
import { type ExportResult, exportMeasureCsv, type MeasureExport, saveImage, savePdf } from '../../api/measure';
import { notifyError, notifySuccess } from '../../lib/notify';

/** A CSV the menu offers: its label and what the server exports. */
export interface CsvChoice {
  label: string;
  export: MeasureExport;
}

interface ExportMenuProps {
  /** What is exported: the element drawn as one PNG, its blocks (BLOCK_ATTR) one a page section of the PDF. */
  target: RefObject<HTMLElement | null>;
  /** The file's name and the PDF's title. */
  title: string;
  /** The PDF's subtitle: the channels and the period. */
  subtitle: string;
  csv: CsvChoice[];
  disabled?: boolean;
}

/** The attribute of the blocks (cards) the PDF is made of, in document order. */
export const BLOCK_ATTR = 'data-export-block';

/** The attribute of what a picture leaves out. */
export const SKIP_ATTR = 'data-export-skip';

/** Says where a file went, or that nothing was saved. */
function saved(what: string, result: ExportResult) {
  if (result.path) {
    notifySuccess(`${what} saved`, result.path);
  } else {
    notifications.show({ color: 'gray', title: 'Nothing saved', message: `The ${what} was not saved: the save dialog was closed.`, autoClose: 4000 });
  }
}

/**
 * "Export": the view as a PNG picture, as a PDF (each card a picture,
 * under the title and subtitle), or its data as CSV files.
 */
export function ExportMenu({ target, title, subtitle, csv, disabled }: ExportMenuProps) {
  const theme = useMantineTheme();
  const scheme = useComputedColorScheme('light');
  const [busy, setBusy] = useState(false);
  const background = scheme === 'dark' ? theme.colors.dark[7] : theme.white;

  // The Export button itself is left out of the picture.
  const capture = (el: HTMLElement) =>
    toPng(el, { backgroundColor: background, pixelRatio: 2, cacheBust: true, filter: (node) => !(node instanceof HTMLElement && node.hasAttribute(SKIP_ATTR)) });

  const run = async (what: string, work: () => Promise<ExportResult>) => {
    setBusy(true);
    try {
      saved(what, await work());
    } catch (err) {
      notifyError(`Herald could not save the ${what}`, err);
    } finally {
      setBusy(false);
    }
  };

  const png = () =>
    run('picture', async () => {
      const el = target.current;
      if (!el) {
        throw new Error('There is nothing on the page to save yet.');
      }
      return saveImage(title, await capture(el));
    });

  const pdf = () =>
    run('PDF', async () => {
      const el = target.current;
      if (!el) {
        throw new Error('There is nothing on the page to save yet.');
      }
      const blocks = [...el.querySelectorAll<HTMLElement>(`[${BLOCK_ATTR}]`)];
      const images: string[] = [];
      for (const b of blocks.length > 0 ? blocks : [el]) {
        images.push(await capture(b));
      }
      return savePdf(title, subtitle, images);
    });

  return (
    <Menu position="bottom-end" withinPortal={false}>
      <Menu.Target>
        <Button
          variant="default"
          size="xs"
          leftSection={<IconDownload size={14} aria-hidden />}
          rightSection={<IconChevronDown size={14} aria-hidden />}
          loading={busy}
          disabled={disabled}
          {...{ [SKIP_ATTR]: '' }}
          data-testid="measure-export"
        >
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconPhoto size={16} aria-hidden />} onClick={() => void png()} data-testid="measure-export-png">
          PNG picture
        </Menu.Item>
        <Menu.Item leftSection={<IconFileTypePdf size={16} aria-hidden />} onClick={() => void pdf()} data-testid="measure-export-pdf">
          PDF
        </Menu.Item>
        {csv.length > 0 && <Menu.Divider />}
        {csv.map((c) => (
          <Menu.Item
            key={c.label}
            leftSection={<IconFileTypeCsv size={16} aria-hidden />}
            onClick={() => void run('CSV file', () => exportMeasureCsv(c.export))}
            data-testid={`measure-export-csv-${c.export.kind}`}
          >
            {c.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
