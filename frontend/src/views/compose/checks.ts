import type { CheckResult, Count, Issue, Validation } from '../../api/posts';
import type { LabelledCount } from './TextCounter';
import type { EditorChecks } from './VariantEditor';

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

/**
 * The counts and issues of the given channels' variants, merged for one
 * editor: the base shows every inheriting channel's limits, a channel tab
 * only its own.
 */
export function checksFor(validation: Validation | undefined, channelIds: number[]): EditorChecks {
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
    issues: (field) => {
      const seen = new Set<string>();
      const out: Issue[] = [];
      for (const v of variants) {
        for (const issue of v.result.issues ?? []) {
          if (issue.field === field && !seen.has(issue.message)) {
            seen.add(issue.message);
            out.push(issue);
          }
        }
      }
      return out;
    },
  };
}

/** Why the post cannot be published, one line per problem; [] when it can. */
export function blockersOf(validation: Validation | undefined, nameOf: (channelId: number) => string): string[] {
  if (!validation) {
    return [];
  }
  const lines = [...(validation.problems ?? [])];
  for (const v of validation.variants ?? []) {
    for (const issue of v.result.issues ?? []) {
      if (issue.severity === 'error') {
        lines.push(`${nameOf(v.channelId)}: ${issue.message}`);
      }
    }
  }
  return [...new Set(lines)];
}
