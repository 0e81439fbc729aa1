import type { CheckResult, Count, Issue, Validation, VariantCheck } from '../../api/posts';
import type { LabelledCount } from './TextCounter';

/** A way to fix a problem that Herald can carry out: a button beside it. */
export interface Fix {
  label: string;
  run: () => void;
  /** Names the fix in data-testid="fix-<kind>". */
  kind: string;
}

/**
 * One problem, shown once for every channel that has it: the same issue
 * (field, code and message) from several variants is one Problem naming
 * their channels.
 */
export interface Problem extends Issue {
  /** The sentence shown: "Too long for Bluesky (Shop, Café): 312 of 300 characters". */
  text: string;
  networkName: string;
  channelIds: number[];
  /** The channels' counts of the field, where it has one (length problems). */
  counts: Count[];
  fixes: Fix[];
}

/** Live validation of the content being edited, by field ("text", "thread[1]", "media[0].alt"…). */
export interface EditorChecks {
  counts: (field: string) => LabelledCount[];
  issues: (field: string) => Problem[];
}

/** The count of one text field ("text", "thread[2]", "first_comment") in a result. */
export function countOf(result: CheckResult, field: string): Count | undefined {
  if (field === 'text') {
    return result.text;
  }
  if (field === 'first_comment') {
    return result.firstComment ?? undefined;
  }
  const m = /^thread\[(\d+)\]$/.exec(field);
  return m ? result.thread?.[Number(m[1])] : undefined;
}

const number = (n: number) => n.toLocaleString('en');

/** The sentence for a problem shared by the channels called `who` (already joined). */
function problemText(issue: Issue, networkName: string, who: string, count: Count | undefined): string {
  if (issue.code === 'too_long' && count) {
    const cw = count.contentWarning > 0 ? ', including the content warning' : '';
    return `Too long for ${networkName} (${who}): ${number(count.chars)} of ${number(count.max)} characters${cw}`;
  }
  if (issue.code === 'too_many_bytes' && count) {
    return `Too long for ${networkName} (${who}): ${number(count.bytes)} of ${number(count.maxBytes)} bytes`;
  }
  return `${issue.message} (${who})`;
}

/**
 * The variants' issues grouped: one Problem per distinct issue, naming every
 * channel that has it, in the order the variants report them. fixes gives
 * each problem its ways out.
 */
export function groupProblems(
  variants: VariantCheck[],
  nameOf: (channelIds: number[]) => string,
  fixes: (problem: Problem) => Fix[] = () => [],
  field?: string,
): Problem[] {
  const groups = new Map<string, { issue: Issue; networkName: string; channelIds: number[]; counts: Count[] }>();
  for (const v of variants) {
    for (const issue of v.result.issues ?? []) {
      if (field !== undefined && issue.field !== field) {
        continue;
      }
      const key = `${issue.field}|${issue.code}|${issue.message}`;
      const group = groups.get(key) ?? { issue, networkName: v.networkName, channelIds: [], counts: [] };
      group.channelIds.push(v.channelId);
      const count = countOf(v.result, issue.field);
      if (count) {
        group.counts.push(count);
      }
      groups.set(key, group);
    }
  }
  return [...groups.values()].map(({ issue, networkName, channelIds, counts }) => {
    const problem: Problem = {
      ...issue,
      text: problemText(issue, networkName, nameOf(channelIds), counts[0]),
      networkName,
      channelIds,
      counts,
      fixes: [],
    };
    problem.fixes = fixes(problem);
    return problem;
  });
}

/**
 * The counts and problems of the given channels' variants, merged for one
 * editor: the base shows every inheriting channel's limits, a channel tab
 * only its own.
 */
export function checksFor(
  validation: Validation | undefined,
  channelIds: number[],
  nameOf: (channelIds: number[]) => string,
  fixes?: (problem: Problem) => Fix[],
): EditorChecks {
  const variants = (validation?.variants ?? []).filter((v) => channelIds.includes(v.channelId));
  return {
    counts: (field) => {
      const seen = new Set<string>();
      const out: LabelledCount[] = [];
      for (const v of variants) {
        const count = countOf(v.result, field);
        const key = `${v.networkName}|${count?.chars}|${count?.max}|${count?.maxBytes}`;
        if (count && !seen.has(key)) {
          seen.add(key);
          out.push({ label: v.networkName, count });
        }
      }
      return out;
    },
    issues: (field) => groupProblems(variants, nameOf, fixes, field),
  };
}

/** Why the post cannot be published, one line per problem (each naming its channels); [] when it can. */
export function blockersOf(validation: Validation | undefined, nameOf: (channelIds: number[]) => string): string[] {
  if (!validation) {
    return [];
  }
  const problems = groupProblems(validation.variants ?? [], nameOf).filter((p) => p.severity === 'error');
  return [...new Set([...(validation.problems ?? []), ...problems.map((p) => p.text)])];
}

/**
 * Where to split a text that is too long so that the first part fits the
 * strictest of the counts: at the last space before the cut when there is
 * one (a word is not broken), else at the cut. undefined when it all fits.
 */
export function splitPoint(text: string, counts: Count[]): number | undefined {
  const fits = Math.min(...counts.map((c) => c.fits));
  if (!(fits < text.length) || fits <= 0) {
    return undefined;
  }
  const space = text.slice(0, fits + 1).search(/\s\S*$/);
  return space > 0 ? space : fits;
}

/** "5th", "1st", "22nd": ordinals for "Remove the 5th image". */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
