import {
  APP_ENTRY_PLAN,
  isMilestone,
  LAUNCH_MILESTONE_ID,
  PHASES,
  scheduleBackwards,
  WorkingCalendar,
  type ScheduledTask,
} from '../../../../src/tools/readiness/plan';

const HOLIDAYS = ['2026-05-25', '2026-07-03', '2026-09-07'];
const calendar = new WorkingCalendar(HOLIDAYS);
const schedule = scheduleBackwards({
  tasks: APP_ENTRY_PLAN,
  calendar,
  launch: '2026-09-14',
  notBefore: { date: '2026-01-05', is: 'today' },
});
const byId = new Map(schedule.tasks.map((task) => [task.id, task]));
const successors = (task: ScheduledTask) => schedule.tasks.filter((next) => next.dependsOn.includes(task.id));

describe('the app-entry store plan', () => {
  test('when listed, then every phase of an app-entry launch has tasks, each with an owner', () => {
    expect(new Set(APP_ENTRY_PLAN.map((task) => task.phase))).toEqual(new Set(PHASES));
    expect(APP_ENTRY_PLAN.every((task) => task.owner && task.name)).toBe(true);
  });

  test('when listed, then it has the milestones a launch is steered by', () => {
    expect(APP_ENTRY_PLAN.filter(isMilestone).map((task) => task.name)).toEqual(
      expect.arrayContaining(['Catalog uploaded', 'Connectors certified', 'Go/no-go', 'Launch']),
    );
  });

  test('when listed, then every task leads to the launch (the launch is the only task nothing waits for)', () => {
    expect(schedule.tasks.filter((task) => successors(task).length === 0).map((task) => task.id)).toEqual([
      LAUNCH_MILESTONE_ID,
    ]);
  });

  test('when scheduled, then the launch milestone is on the launch date', () => {
    expect(byId.get(LAUNCH_MILESTONE_ID)).toMatchObject({ start: '2026-09-14', end: '2026-09-14' });
  });

  test('when scheduled, then every task starts and ends on a working day and spans exactly its duration in working days', () => {
    for (const task of schedule.tasks) {
      expect([task.id, calendar.isWorkingDay(task.start), calendar.isWorkingDay(task.end)]).toEqual([
        task.id,
        true,
        true,
      ]);
      if (!isMilestone(task))
        expect([task.id, calendar.shift(task.start, task.durationDays - 1)]).toEqual([task.id, task.end]);
    }
  });

  test('when scheduled, then every task ends before any successor starts (a milestone is reached the morning its successors start)', () => {
    for (const task of schedule.tasks) {
      for (const next of successors(task)) {
        const respected = isMilestone(task) ? task.end <= next.start : task.end < next.start;
        expect([task.id, next.id, respected]).toEqual([task.id, next.id, true]);
      }
    }
  });

  test('when scheduled, then every task ends as late as possible: right before its earliest successor starts', () => {
    for (const task of schedule.tasks.filter((t) => t.id !== LAUNCH_MILESTONE_ID)) {
      const firstSuccessorStart = successors(task)
        .map((next) => next.start)
        .sort()[0];
      const latestEnd = isMilestone(task) ? firstSuccessorStart : calendar.shift(firstSuccessorStart, -1);
      expect([task.id, task.end]).toEqual([task.id, latestEnd]);
    }
  });

  test('when scheduled, then the critical path is a chain of dependencies from the plan start to the launch', () => {
    const path = schedule.criticalPath;
    expect(path[0].start).toBe(schedule.start);
    expect(path[path.length - 1].id).toBe(LAUNCH_MILESTONE_ID);
    for (let i = 1; i < path.length; i += 1) expect(path[i].dependsOn).toContain(path[i - 1].id);
  });
});
