/** `jwo plan`: from the command's options to what it prints. */
import { parseCalendarDate, type CalendarDate } from './calendarDate';
import { APP_ENTRY_PLAN } from './appEntryPlan';
import { criticalPathSummary, renderPlanCsv, renderPlanMarkdown } from './renderPlan';
import { scheduleBackwards } from './schedule';
import { parseHolidays, WorkingCalendar } from './workingCalendar';

export interface PlanOptions {
  launch: string;
  start?: string;
  format: 'csv' | 'md';
  /** Comma-separated YYYY-MM-DD dates. */
  holidays?: string;
  /** Injected so tests do not depend on the day they run. */
  today: CalendarDate;
}

/** CSV keeps stdout a clean file to redirect, so its critical path goes to stderr; Markdown holds its own. */
export function planReport(options: PlanOptions): { stdout: string; stderr: string } {
  const holidays = parseHolidays(options.holidays ?? '');
  const launch = parseCalendarDate(options.launch, '--launch');
  const notBefore = options.start
    ? { date: parseCalendarDate(options.start, '--start'), is: 'the start date' as const }
    : { date: options.today, is: 'today' as const };
  const schedule = scheduleBackwards({
    tasks: APP_ENTRY_PLAN,
    calendar: new WorkingCalendar(holidays),
    launch,
    notBefore,
  });
  return options.format === 'csv'
    ? { stdout: renderPlanCsv(schedule), stderr: `${criticalPathSummary(schedule)}\n` }
    : { stdout: renderPlanMarkdown(schedule, holidays), stderr: '' };
}
