import type { CalendarOptions } from '@fullcalendar/core';

/**
 * Fixes to FullCalendar's own markup, applied as it mounts its elements:
 * - a month day cell is named by its day number's link ("November 29, 2026")
 *   while it also shows the day's posts, so its name does not contain what
 *   it shows (WCAG 2.5.3); named by its content, it starts with that date.
 * - "+2 more" is a link without an address that opens a popover: a button,
 *   for which aria-expanded is allowed.
 */
export const calendarA11yHooks: Pick<CalendarOptions, 'dayCellDidMount' | 'moreLinkDidMount'> = {
  dayCellDidMount: ({ el }) => {
    el.removeAttribute('aria-labelledby');
  },
  moreLinkDidMount: ({ el }) => {
    el.setAttribute('role', 'button');
  },
};
