import { parseCsv } from '../../../../src/domain/catalog';
import { csvField, toCsv } from '../../../../src/tools/readiness/csv';
import { markdownCell } from '../../../../src/tools/readiness/markdown';
import {
  APP_ENTRY_PLAN,
  PHASES,
  planReport,
  PLAN_CSV_HEADER,
  renderPlanCsv,
  scheduleBackwards,
  WorkingCalendar,
} from '../../../../src/tools/readiness/plan';

describe('CSV and Markdown escaping', () => {
  test('when a field holds a comma, a quote or a line break, then it is quoted with inner quotes doubled', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('SKUs, names')).toBe('"SKUs, names"');
    expect(csvField('12" pizza')).toBe('"12"" pizza"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(toCsv(['a', 'b'], [['x,y', 'z']])).toBe('a,b\n"x,y",z\n');
  });

  test('when a Markdown cell holds a pipe or a line break, then the table stays one row', () => {
    expect(markdownCell('a | b\nc')).toBe('a \\| b<br>c');
  });
});

describe('the plan as CSV', () => {
  const schedule = scheduleBackwards({
    tasks: APP_ENTRY_PLAN,
    calendar: new WorkingCalendar(),
    launch: '2026-09-14',
    notBefore: { date: '2026-01-05', is: 'today' },
  });
  const records = parseCsv(renderPlanCsv(schedule)).map((record) => record.fields);

  test('when rendered, then it has the agreed header and one row per task that reads back unchanged', () => {
    expect(records[0]).toEqual([...PLAN_CSV_HEADER]);
    expect(records).toHaveLength(APP_ENTRY_PLAN.length + 1);
    const upload = records.find((fields) => fields[0] === 'catalog-upload-client');
    expect(upload).toEqual([
      'catalog-upload-client',
      'Catalog',
      'Build the catalog upload: at most 10,000 items per request, throttled to 10 requests/second',
      'Backend engineer',
      schedule.tasks.find((t) => t.id === 'catalog-upload-client')!.start,
      schedule.tasks.find((t) => t.id === 'catalog-upload-client')!.end,
      '5',
      'aws-iam-role',
      'no',
    ]);
  });

  test('when rendered, then rows are grouped by phase in plan order and dated in order within a phase', () => {
    const rows = records.slice(1);
    const phaseIndexes = rows.map((fields) => PHASES.indexOf(fields[1] as (typeof PHASES)[number]));
    expect(phaseIndexes).toEqual([...phaseIndexes].sort((a, b) => a - b));
    for (const phase of PHASES) {
      const starts = rows.filter((fields) => fields[1] === phase).map((fields) => fields[4]);
      expect(starts).toEqual([...starts].sort());
    }
  });

  test('when a task has several dependencies or is a milestone, then the row says so', () => {
    expect(records.find((fields) => fields[0] === 'go-no-go')).toEqual(
      expect.arrayContaining(['0', 'connectors-certified;ops-readiness-review;mobile-store-release', 'yes']),
    );
  });
});

describe('planReport (what `jwo plan` prints)', () => {
  test('when the format is CSV, then stdout is only the CSV and the critical path goes to stderr', () => {
    const { stdout, stderr } = planReport({ launch: '2026-09-14', format: 'csv', today: '2026-01-05' });
    expect(stdout.startsWith(`${PLAN_CSV_HEADER.join(',')}\n`)).toBe(true);
    expect(stderr).toMatch(/^Critical path: \d+ working days, \d{4}-\d{2}-\d{2} → 2026-09-14: .* → launch\n$/);
  });

  test('when the format is Markdown, then tasks are grouped under a heading per phase, followed by the critical path', () => {
    const { stdout, stderr } = planReport({
      launch: '2026-09-14',
      format: 'md',
      today: '2026-01-05',
      holidays: '2026-05-25',
    });
    const headings = stdout.split('\n').filter((line) => line.startsWith('## '));
    expect(headings).toEqual([...PHASES.map((phase) => `## ${phase}`), '## Critical path']);
    expect(stdout).toContain('except 2026-05-25');
    expect(stdout).toContain(
      '| launch | ◆ Launch | Store operations | 2026-09-14 | 2026-09-14 | 0 | soft-opening | 0 |',
    );
    expect(stderr).toBe('');
  });

  test('when --start is given, then the launch is checked against it instead of today', () => {
    expect(() => planReport({ launch: '2026-09-14', start: '2026-09-01', format: 'csv', today: '2026-01-05' })).toThrow(
      /before the start date \(2026-09-01\)\. The earliest feasible launch is \d{4}-\d{2}-\d{2}\./,
    );
  });

  test('when the launch is too early, then the earliest feasible launch given is accepted', () => {
    let earliest = '';
    try {
      planReport({ launch: '2026-01-12', format: 'csv', today: '2026-01-05' });
    } catch (err) {
      earliest = /The earliest feasible launch is (\S+)\.$/.exec((err as Error).message)![1];
    }
    expect(planReport({ launch: earliest, format: 'csv', today: '2026-01-05' }).stderr).toContain('2026-01-05 → ');
  });
});
