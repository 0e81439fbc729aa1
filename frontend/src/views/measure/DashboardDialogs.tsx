import { Alert, Button, Group, Modal, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconFolder } from '@tabler/icons-react';
import { useState } from 'react';
import { type AppError, toAppError } from '../../api/errors';
import { chooseFolder, type Dashboard, type MetricInfo, setDashboardReport, type Widget } from '../../api/measure';
import { TimeValue } from '../../components/TimeValue';
import { MAX_NAME, metricOptions, WIDGET_SIZES, WIDGET_TYPES, type WidgetSize, type WidgetType, widgetScope, widgetTitle } from './dashboardModel';

/** Adds a widget: its kind, what it shows (only what that kind may show), a title and a size. */
export function WidgetDialog({ catalogue, onClose, onAdd }: { catalogue: MetricInfo[]; onClose: () => void; onAdd: (w: Omit<Widget, 'id'>) => void }) {
  const [type, setType] = useState<WidgetType>('kpi');
  const options = metricOptions(type, catalogue);
  const [metric, setMetric] = useState<string>(options[0]?.value ?? '');
  const [title, setTitle] = useState('');
  const [size, setSize] = useState<WidgetSize>('s');
  const shown = type === 'heatmap' ? '' : metric;
  const placeholder = widgetTitle({ id: '', type, metric: shown, title: '', size }, catalogue);
  return (
    <Modal opened onClose={onClose} title="Add a widget">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onAdd({ type, metric: shown, title: title.trim(), size });
        }}
      >
        <Stack gap="md">
          <Select
            label="Kind"
            data={WIDGET_TYPES}
            value={type}
            allowDeselect={false}
            onChange={(value) => {
              const t = (value ?? 'kpi');
              setType(t);
              setMetric(metricOptions(t, catalogue)[0]?.value ?? '');
              setSize(t === 'kpi' ? 's' : t === 'heatmap' ? 'l' : 'm');
            }}
            comboboxProps={{ withinPortal: false }}
            data-autofocus
            data-testid="widget-type"
          />
          {type !== 'heatmap' && (
            <Select
              label="Shows"
              description={widgetScope(type)}
              data={options}
              value={metric}
              allowDeselect={false}
              onChange={(value) => {
                setMetric(value ?? options[0]?.value ?? '');
              }}
              comboboxProps={{ withinPortal: false }}
              data-testid="widget-metric"
            />
          )}
          <TextInput
            label="Title"
            description="Leave empty to use what it shows."
            placeholder={placeholder}
            value={title}
            maxLength={MAX_NAME}
            onChange={(e) => {
              setTitle(e.currentTarget.value);
            }}
            data-testid="widget-title"
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="widget-size-label">
              Size
            </Text>
            <SegmentedControl
              aria-labelledby="widget-size-label"
              data={WIDGET_SIZES}
              value={size}
              onChange={(value) => {
                setSize(value);
              }}
              data-testid="widget-size"
            />
          </Stack>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={type !== 'heatmap' && !metric} data-testid="widget-add-confirm">
              Add widget
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

type Every = '' | 'week' | 'month';

/** A dashboard written as a PDF into a folder every week or month, with or without the window. */
export function ReportDialog({ dashboard, onClose, onSaved }: { dashboard: Dashboard; onClose: () => void; onSaved: (d: Dashboard) => void }) {
  const [every, setEvery] = useState<Every>((dashboard.reportEvery as Every) || '');
  const [dir, setDir] = useState(dashboard.reportDir);
  const [error, setError] = useState<AppError | undefined>(undefined);
  const [saving, setSaving] = useState(false);

  const choose = async () => {
    try {
      const picked = await chooseFolder('Where Herald writes the report');
      if (picked) {
        setDir(picked);
        setError(undefined);
      }
    } catch (err) {
      setError(toAppError(err));
    }
  };

  const save = async () => {
    setSaving(true);
    try {
      onSaved(await setDashboardReport(dashboard.id, every, every ? dir.trim() : ''));
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setSaving(false);
    }
  };

  const dirError = error?.field === 'dir' ? error.message : undefined;
  return (
    <Modal opened onClose={onClose} title={`Scheduled report of “${dashboard.name}”`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="md">
          <Text size="sm">
            Herald writes the dashboard as a PDF into the folder, for the week before (Mondays at 08:00) or the month before (the 1st at 08:00), even when the window is closed.
          </Text>
          <Stack gap={4}>
            <Text size="sm" fw={500} id="report-every-label">
              Write a PDF
            </Text>
            <SegmentedControl
              aria-labelledby="report-every-label"
              data={[
                { value: '', label: 'Never' },
                { value: 'week', label: 'Weekly' },
                { value: 'month', label: 'Monthly' },
              ]}
              value={every}
              onChange={(value) => {
                setEvery(value);
                setError(undefined);
              }}
              data-testid="report-every"
            />
          </Stack>
          {every && (
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <TextInput
                label="Folder"
                placeholder="The full path of a folder"
                value={dir}
                onChange={(e) => {
                  setDir(e.currentTarget.value);
                }}
                error={dirError}
                style={{ flex: 1 }}
                data-testid="report-dir"
              />
              <Button variant="default" leftSection={<IconFolder size={16} aria-hidden />} onClick={() => void choose()} mb={dirError ? 22 : 0}>
                Choose folder…
              </Button>
            </Group>
          )}
          {error && !dirError && (
            <Alert color="red" variant="light" role="alert" title="Herald could not save the schedule">
              {error.message}
              {error.hint ? ` ${error.hint}` : ''}
            </Alert>
          )}
          {dashboard.reportNextAt && (
            <Group gap={6}>
              <Text size="sm" c="dimmed">
                Next report:
              </Text>
              <TimeValue iso={dashboard.reportNextAt} />
            </Group>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving} disabled={every !== '' && dir.trim() === ''} data-testid="report-save">
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
