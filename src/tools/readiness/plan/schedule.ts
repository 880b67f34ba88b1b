/**
 * Backward (as-late-as-possible) scheduling on working days.
 *
 * Time is counted in working days relative to the launch date: offset 0 is the launch date, -1 the
 * working day before it. A task of d days that must finish by offset F occupies offsets F-d … F-1.
 * A milestone is a moment, the start of the working day it is dated: "Launch" on the launch date
 * means the store opens that morning, so everything before it ends the working day before, and
 * "Go/no-go" dated D is decided on the morning the soft opening starts.
 *
 * Rules:
 * - each task finishes as late as its successors allow (ALAP); a task no other task waits for
 *   finishes by the launch;
 * - a launch date that is not a working day is refused (moving a public opening silently would be a
 *   surprise); the message names the working days either side;
 * - if the first task would start before the earliest allowed start (the --start date, else
 *   today), the launch is refused with the earliest feasible launch: the critical path scheduled
 *   forwards from that start.
 */
import type { CalendarDate } from './calendarDate';
import { LaunchTooEarlyError, PlanInputError } from './errors';
import { isMilestone, type PlanTask } from './planTask';
import { dependencyOrder, successorsOf } from './taskGraph';
import type { WorkingCalendar } from './workingCalendar';

export interface ScheduledTask extends PlanTask {
  start: CalendarDate;
  /** The last working day of the task; a milestone's own date. */
  end: CalendarDate;
  /** Working days the task could move earlier without moving the plan's start; 0 on the critical path. */
  slackDays: number;
}

export interface PlanSchedule {
  launch: CalendarDate;
  /** The first working day of the first task. */
  start: CalendarDate;
  /** Working days from the start to the launch: the length of the critical path. */
  workingDays: number;
  /** In the order of the task list. */
  tasks: ScheduledTask[];
  /** From the first task to the launch, each waiting for the one before, none with slack. */
  criticalPath: ScheduledTask[];
}

export interface ScheduleRequest {
  tasks: readonly PlanTask[];
  calendar: WorkingCalendar;
  launch: CalendarDate;
  /** The first day work may start: the planner's start date, or today. */
  notBefore: { date: CalendarDate; is: 'the start date' | 'today' };
}

interface Offsets {
  latestStart: number;
  latestFinish: number;
  earliestFinish: number;
  slack: number;
}

function computeOffsets(tasks: readonly PlanTask[]): {
  offsets: Map<string, Offsets>;
  ordered: PlanTask[];
  first: number;
} {
  const ordered = dependencyOrder(tasks);
  const successors = successorsOf(tasks);
  const latest = new Map<string, { start: number; finish: number }>();
  for (const task of [...ordered].reverse()) {
    const finish = Math.min(0, ...successors.get(task.id)!.map((next) => latest.get(next.id)!.start));
    latest.set(task.id, { start: finish - task.durationDays, finish });
  }
  const first = Math.min(0, ...[...latest.values()].map((l) => l.start));

  // Forwards from the first day, as early as possible: the difference to the latest start is the slack.
  const offsets = new Map<string, Offsets>();
  for (const task of ordered) {
    const earliestStart = Math.max(first, ...task.dependsOn.map((id) => offsets.get(id)!.earliestFinish));
    const { start, finish } = latest.get(task.id)!;
    offsets.set(task.id, {
      latestStart: start,
      latestFinish: finish,
      earliestFinish: earliestStart + task.durationDays,
      slack: start - earliestStart,
    });
  }
  return { offsets, ordered, first };
}

/** Walks back from the launch through predecessors without slack that end exactly when their successor starts. */
function criticalChain(
  ordered: PlanTask[],
  offsets: Map<string, Offsets>,
  byId: Map<string, ScheduledTask>,
): ScheduledTask[] {
  const isCritical = (task: PlanTask) => offsets.get(task.id)!.slack === 0;
  let current = [...ordered].reverse().find((task) => isCritical(task) && offsets.get(task.id)!.latestFinish === 0);
  const chain: ScheduledTask[] = [];
  while (current) {
    chain.unshift(byId.get(current.id)!);
    const startsAt = offsets.get(current.id)!.latestStart;
    current = current.dependsOn
      .map((id) => byId.get(id)!)
      .find((p) => isCritical(p) && offsets.get(p.id)!.latestFinish === startsAt);
  }
  return chain;
}

export function scheduleBackwards(request: ScheduleRequest): PlanSchedule {
  const { calendar, launch, notBefore } = request;
  const dayOff = calendar.nonWorkingReason(launch);
  if (dayOff) {
    throw new PlanInputError(
      `the launch date ${launch} is ${dayOff}, not a working day: choose a working day, e.g. ${calendar.onOrBefore(launch)} or ${calendar.onOrAfter(launch)}`,
    );
  }

  const { offsets, ordered, first } = computeOffsets(request.tasks);
  const dayAt = (offset: number) => calendar.shift(launch, offset);
  const start = dayAt(first);
  if (start < notBefore.date) {
    const earliestLaunch = calendar.shift(calendar.onOrAfter(notBefore.date), -first);
    throw new LaunchTooEarlyError(
      `the launch date ${launch} is too early: the critical path takes ${-first} working days, so work would have to start on ${start}, ` +
        `before ${notBefore.is} (${notBefore.date}). The earliest feasible launch is ${earliestLaunch}.`,
      earliestLaunch,
    );
  }

  const tasks = request.tasks.map((task): ScheduledTask => {
    const { latestStart, latestFinish, slack } = offsets.get(task.id)!;
    return {
      ...task,
      start: dayAt(latestStart),
      end: isMilestone(task) ? dayAt(latestStart) : dayAt(latestFinish - 1),
      slackDays: slack,
    };
  });
  const byId = new Map(tasks.map((task) => [task.id, task]));
  return { launch, start, workingDays: -first, tasks, criticalPath: criticalChain(ordered, offsets, byId) };
}
