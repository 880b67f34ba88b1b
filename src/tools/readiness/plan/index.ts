export { APP_ENTRY_PLAN, LAUNCH_MILESTONE_ID } from './appEntryPlan';
export { localDate, parseCalendarDate, type CalendarDate } from './calendarDate';
export { LaunchTooEarlyError, PlanDefinitionError, PlanInputError } from './errors';
export { planReport, type PlanOptions } from './planReport';
export { isMilestone, PHASES, type OwnerRole, type Phase, type PlanTask } from './planTask';
export { criticalPathSummary, PLAN_CSV_HEADER, renderPlanCsv, renderPlanMarkdown } from './renderPlan';
export { scheduleBackwards, type PlanSchedule, type ScheduledTask, type ScheduleRequest } from './schedule';
export { parseHolidays, WorkingCalendar } from './workingCalendar';
