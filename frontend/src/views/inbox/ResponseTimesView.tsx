import '@mantine/dates/styles.css';

import { Alert, Button, Card, Group, Skeleton, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { IconArrowLeft, IconCalendar } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useCallback, useState } from 'react';
import { Link } from 'react-router-dom';
import { type ResponseTimes, type ResponseTimesReport, responseTimes } from '../../api/inbox';
import { ErrorPanel } from '../../components/ErrorPanel';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../hooks/useLoad';
import { formatDuration, formatDurationLong } from '../../time/format';
import { localDayStart, parseDay } from '../audit/auditQuery';

/** The days a report covers, "YYYY-MM-DD" on this computer's calendar, both whole. */
export interface DayRange {
  from: string;
  to: string;
}

/** The last 30 days, today included. */
export function lastDays(days: number, today = dayjs()): DayRange {
  return { from: today.subtract(days - 1, 'day').format('YYYY-MM-DD'), to: today.format('YYYY-MM-DD') };
}

/** A wait as the report shows it: short on screen, spelled out for a screen reader. */
function Wait({ seconds, replied }: { seconds: number; replied: number }) {
  if (replied === 0) {
    return (
      <Text size="sm" c="dimmed" span>
        —<VisuallyHidden>no reply</VisuallyHidden>
      </Text>
    );
  }
  return (
    <Text size="sm" span title={formatDurationLong(seconds)}>
      <span aria-hidden>{formatDuration(seconds)}</span>
      <VisuallyHidden>{formatDurationLong(seconds)}</VisuallyHidden>
    </Text>
  );
}

function TimesTable({ caption, what, rows, testId }: { caption: string; what: string; rows: ResponseTimes[]; testId: string }) {
  return (
    <Card withBorder padding={0}>
      <Table verticalSpacing="sm" horizontalSpacing="md" data-testid={testId}>
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{what}</Table.Th>
            <Table.Th ta="right">Median</Table.Th>
            <Table.Th ta="right">90th percentile</Table.Th>
            <Table.Th ta="right">Answered</Table.Th>
            <Table.Th ta="right">Without a reply</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={`${r.id}:${r.name}`} data-testid={`${testId}-row`}>
              <Table.Th scope="row" fw={500}>
                {r.name}
              </Table.Th>
              <Table.Td ta="right">
                <Wait seconds={r.medianSeconds} replied={r.replied} />
              </Table.Td>
              <Table.Td ta="right">
                <Wait seconds={r.p90Seconds} replied={r.replied} />
              </Table.Td>
              <Table.Td ta="right">{r.replied}</Table.Td>
              <Table.Td ta="right">{r.unanswered}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function Summary({ report }: { report: ResponseTimesReport }) {
  const all = report.all;
  if (all.replied === 0 && all.unanswered === 0) {
    return (
      <Alert color="gray" variant="light" title="Nothing came in on these days" data-testid="response-times-empty">
        No new mention, reply, quote or message was created in this range. Pick other days.
      </Alert>
    );
  }
  return (
    <Card withBorder data-testid="response-times-summary">
      <Text size="sm">
        {all.replied === 0 ? (
          <>No item created on these days has a reply yet.</>
        ) : (
          <>
            Half of the answered items had their first reply within <strong>{formatDurationLong(all.medianSeconds)}</strong>, nine in ten
            within <strong>{formatDurationLong(all.p90Seconds)}</strong>.
          </>
        )}{' '}
        {all.replied} answered, {all.unanswered} without a reply.
      </Text>
    </Card>
  );
}

/** #/inbox/response-times: how long new items waited for their first reply, per channel and team, over chosen days. */
export function ResponseTimesView() {
  const [range, setRange] = useState<DayRange>(() => lastDays(30));
  const load = useCallback(() => responseTimes(localDayStart(range.from), localDayStart(range.to, 1)), [range]);
  const report = useLoad(load);
  const today = dayjs().format('YYYY-MM-DD');

  return (
    <>
      <PageHeader
        title="Response times"
        description="How long new items waited for their first reply, by channel and by team."
        actions={
          <Button component={Link} to="/inbox" variant="default" leftSection={<IconArrowLeft size={16} aria-hidden />}>
            Back to the inbox
          </Button>
        }
      />
      <Stack gap="lg" maw={960}>
        <Group gap="sm" align="flex-end" role="group" aria-label="Days of the report">
          <DateInput
            label="From"
            value={range.from}
            onChange={(from) => {
              setRange((r) => ({ ...r, from: from ?? '' }));
            }}
            maxDate={range.to || today}
            valueFormat="D MMM YYYY"
            dateParser={parseDay}
            leftSection={<IconCalendar size={15} aria-hidden />}
            w={170}
            popoverProps={{ withinPortal: false }}
            data-testid="response-times-from"
          />
          <DateInput
            label="To"
            value={range.to}
            onChange={(to) => {
              setRange((r) => ({ ...r, to: to ?? '' }));
            }}
            minDate={range.from || undefined}
            maxDate={today}
            valueFormat="D MMM YYYY"
            dateParser={parseDay}
            leftSection={<IconCalendar size={15} aria-hidden />}
            w={170}
            popoverProps={{ withinPortal: false }}
            data-testid="response-times-to"
          />
          <Group gap={4}>
            {[7, 30, 90].map((days) => (
              <Button key={days} variant="subtle" size="sm" onClick={() => setRange(lastDays(days))}>
                Last {days} days
              </Button>
            ))}
          </Group>
        </Group>
        {report.error && <ErrorPanel title="Herald could not build the report" error={report.error} onRetry={report.reload} />}
        {!report.data && !report.error && (
          <Stack gap="xs" aria-hidden data-testid="response-times-loading">
            <Skeleton h={60} />
            <Skeleton h={160} />
          </Stack>
        )}
        {report.data && (
          <Stack gap="lg">
            <Summary report={report.data} />
            <Stack gap="xs">
              <Title order={2} size="h4">
                By channel
              </Title>
              <TimesTable caption="First-reply times of each channel's items" what="Channel" rows={report.data.channels} testId="response-times-channels" />
            </Stack>
            {report.data.teams.length > 0 && (
              <Stack gap="xs">
                <Title order={2} size="h4">
                  By team
                </Title>
                <TimesTable
                  caption="An unassigned item counts for every team of its channel."
                  what="Team"
                  rows={report.data.teams}
                  testId="response-times-teams"
                />
              </Stack>
            )}
          </Stack>
        )}
        <Text size="xs" c="dimmed" maw={720}>
          The median and the 90th percentile are waits that really happened (nearest rank): half of the answered items waited
          at most the median, nine in ten at most the 90th percentile. Items count on the day they were created. What a
          channel's first check found, and items deleted before anyone replied, are left out.
        </Text>
      </Stack>
    </>
  );
}
