import type { CalendarDate } from './calendarDate';

/** What the user asked for cannot be planned: a malformed date, a launch on a day off, a launch too early. */
export class PlanInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanInputError';
  }
}

/** The critical path does not fit between the earliest allowed start and the launch date. */
export class LaunchTooEarlyError extends PlanInputError {
  constructor(
    message: string,
    readonly earliestLaunch: CalendarDate,
  ) {
    super(message);
    this.name = 'LaunchTooEarlyError';
  }
}

/** The task list itself is inconsistent (a programming error in a plan template, not a user error). */
export class PlanDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanDefinitionError';
  }
}
