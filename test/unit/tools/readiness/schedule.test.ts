import {
  LaunchTooEarlyError,
  PlanDefinitionError,
  PlanInputError,
  scheduleBackwards,
  WorkingCalendar,
  type PlanSchedule,
  type PlanTask,
} from '../../../../src/tools/readiness/plan';

const task = (id: string, durationDays: number, dependsOn: string[] = []): PlanTask => ({
  id,
  phase: 'Testing',
  name: id,
  owner: 'QA',
  durationDays,
  dependsOn,
});

/** design(2) → build(3) ┐
 *            docs(1)   ┴→ ◆ready → pilot(2) → ◆launch */
const SMALL_PLAN = [
  task('design', 2),
  task('build', 3, ['design']),
  task('docs', 1),
  task('ready', 0, ['build', 'docs']),
  task('pilot', 2, ['ready']),
  task('launch', 0, ['pilot']),
];

const dates = (schedule: PlanSchedule) => Object.fromEntries(schedule.tasks.map((t) => [t.id, [t.start, t.end]]));
const plan = (
  launch: string,
  options: { holidays?: string[]; notBefore?: string; is?: 'today' | 'the start date' } = {},
) =>
  scheduleBackwards({
    tasks: SMALL_PLAN,
    calendar: new WorkingCalendar(options.holidays),
    launch,
    notBefore: { date: options.notBefore ?? '2025-01-01', is: options.is ?? 'today' },
  });

// March 2025: Monday the 3rd, 10th and 17th; weekends 8/9 and 15/16.
describe('scheduleBackwards on a known calendar', () => {
  test('when scheduled back from a Monday launch, then every task ends as late as possible and weekends are skipped', () => {
    const schedule = plan('2025-03-17');
    expect(dates(schedule)).toEqual({
      design: ['2025-03-06', '2025-03-07'],
      build: ['2025-03-10', '2025-03-12'],
      docs: ['2025-03-12', '2025-03-12'],
      ready: ['2025-03-13', '2025-03-13'],
      pilot: ['2025-03-13', '2025-03-14'],
      launch: ['2025-03-17', '2025-03-17'],
    });
    expect(schedule.start).toBe('2025-03-06');
    expect(schedule.workingDays).toBe(7);
  });

  test('when a holiday falls inside the plan, then no task works on it and earlier tasks move back a day', () => {
    const schedule = plan('2025-03-17', { holidays: ['2025-03-11'] });
    expect(dates(schedule)).toMatchObject({
      design: ['2025-03-05', '2025-03-06'],
      build: ['2025-03-07', '2025-03-12'],
      docs: ['2025-03-12', '2025-03-12'],
    });
  });

  test('when scheduled, then the critical path runs from the first task to the launch with no slack, and the rest shows its slack', () => {
    const schedule = plan('2025-03-17');
    expect(schedule.criticalPath.map((t) => t.id)).toEqual(['design', 'build', 'ready', 'pilot', 'launch']);
    expect(schedule.tasks.find((t) => t.id === 'docs')?.slackDays).toBe(4);
    expect(schedule.criticalPath.every((t) => t.slackDays === 0)).toBe(true);
  });

  test('when the launch date is a Saturday, then it is refused naming the working days either side', () => {
    expect(() => plan('2025-03-15')).toThrow(PlanInputError);
    expect(() => plan('2025-03-15')).toThrow(
      'the launch date 2025-03-15 is a Saturday, not a working day: choose a working day, e.g. 2025-03-14 or 2025-03-17',
    );
  });

  test('when the launch date is a holiday, then it is refused', () => {
    expect(() => plan('2025-03-17', { holidays: ['2025-03-17'] })).toThrow(
      'the launch date 2025-03-17 is a holiday, not a working day: choose a working day, e.g. 2025-03-14 or 2025-03-18',
    );
  });

  test('when the plan would start before today, then the launch is refused with the earliest feasible date', () => {
    const refusal = () => plan('2025-03-17', { notBefore: '2025-03-10' });
    expect(refusal).toThrow(LaunchTooEarlyError);
    expect(refusal).toThrow(
      'the launch date 2025-03-17 is too early: the critical path takes 7 working days, so work would have to start on 2025-03-06, before today (2025-03-10). The earliest feasible launch is 2025-03-19.',
    );
  });

  test('when given the earliest feasible date, then it is accepted, and one working day earlier is not', () => {
    expect(plan('2025-03-19', { notBefore: '2025-03-10' }).start).toBe('2025-03-10');
    expect(() => plan('2025-03-18', { notBefore: '2025-03-10' })).toThrow(LaunchTooEarlyError);
  });

  test('when the start date is a weekend, then the earliest launch counts from the next working day', () => {
    try {
      plan('2025-03-17', { notBefore: '2025-03-08', is: 'the start date' });
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(LaunchTooEarlyError);
      expect((err as LaunchTooEarlyError).earliestLaunch).toBe('2025-03-19');
      expect((err as Error).message).toContain('before the start date (2025-03-08)');
    }
  });

  test('when the earliest launch crosses a holiday, then the holiday is not counted', () => {
    expect(() => plan('2025-03-17', { notBefore: '2025-03-10', holidays: ['2025-03-18'] })).toThrow(
      'The earliest feasible launch is 2025-03-20.',
    );
  });

  test('when a dependency is unknown, then the plan definition is refused', () => {
    const tasks = [task('a', 1, ['ghost'])];
    expect(() =>
      scheduleBackwards({
        tasks,
        calendar: new WorkingCalendar(),
        launch: '2025-03-17',
        notBefore: { date: '2025-01-01', is: 'today' },
      }),
    ).toThrow(new PlanDefinitionError('task "a" depends on "ghost", which is not in the plan'));
  });

  test('when dependencies form a cycle, then the plan definition is refused naming the cycle', () => {
    const tasks = [task('a', 1, ['c']), task('b', 1, ['a']), task('c', 1, ['b'])];
    expect(() =>
      scheduleBackwards({
        tasks,
        calendar: new WorkingCalendar(),
        launch: '2025-03-17',
        notBefore: { date: '2025-01-01', is: 'today' },
      }),
    ).toThrow('dependency cycle: a → c → b → a');
  });

  test('when two tasks share an id or a duration is not whole days, then the plan definition is refused', () => {
    const schedule = (tasks: PlanTask[]) => () =>
      scheduleBackwards({
        tasks,
        calendar: new WorkingCalendar(),
        launch: '2025-03-17',
        notBefore: { date: '2025-01-01', is: 'today' },
      });
    expect(schedule([task('a', 1), task('a', 2)])).toThrow('two tasks have the id "a"');
    expect(schedule([task('a', 1.5)])).toThrow(
      'task "a" lasts 1.5 days: durations are whole working days, 0 for a milestone',
    );
  });
});
