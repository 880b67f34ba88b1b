/** The scheduled plan as CSV (for spreadsheets and project tools) or as Markdown (for people). */
import { toCsv } from '../csv';
import { markdownTable } from '../markdown';
import { isMilestone, PHASES, type Phase } from './planTask';
import type { PlanSchedule, ScheduledTask } from './schedule';

export const PLAN_CSV_HEADER = [
  'id',
  'phase',
  'task',
  'owner',
  'start',
  'end',
  'duration_days',
  'depends_on',
  'milestone',
] as const;

/** Phase by phase, and within a phase in date order (the task list's order breaks ties). */
function byPhaseAndDate(schedule: PlanSchedule): Map<Phase, ScheduledTask[]> {
  const groups = new Map<Phase, ScheduledTask[]>(PHASES.map((phase) => [phase, []]));
  for (const task of schedule.tasks) groups.get(task.phase)!.push(task);
  for (const tasks of groups.values())
    tasks.sort((a, b) => a.start.localeCompare(b.start) || a.end.localeCompare(b.end));
  for (const [phase, tasks] of groups) if (tasks.length === 0) groups.delete(phase);
  return groups;
}

export function renderPlanCsv(schedule: PlanSchedule): string {
  const rows = [...byPhaseAndDate(schedule).values()].flat().map((task) => [
    task.id,
    task.phase,
    task.name,
    task.owner,
    task.start,
    task.end,
    String(task.durationDays),
    // Semicolons keep the list one unquoted cell that splits without ambiguity.
    task.dependsOn.join(';'),
    isMilestone(task) ? 'yes' : 'no',
  ]);
  return toCsv(PLAN_CSV_HEADER, rows);
}

export function criticalPathSummary(schedule: PlanSchedule): string {
  return `Critical path: ${schedule.workingDays} working days, ${schedule.start} → ${schedule.launch}: ${schedule.criticalPath.map((task) => task.id).join(' → ')}`;
}

export function renderPlanMarkdown(schedule: PlanSchedule, holidays: readonly string[]): string {
  const sections = [
    `# Project plan: app-entry Just Walk Out store\n`,
    `Launch on **${schedule.launch}**; work starts on **${schedule.start}** (${schedule.workingDays} working days on the critical path). ` +
      `Working days are Monday to Friday${holidays.length ? `, except ${holidays.join(', ')}` : ''}. ` +
      `A milestone is reached on the morning of its date; ◆ marks milestones.\n`,
  ];
  for (const [phase, tasks] of byPhaseAndDate(schedule)) {
    const rows = tasks.map((task) => [
      task.id,
      isMilestone(task) ? `◆ ${task.name}` : task.name,
      task.owner,
      task.start,
      task.end,
      String(task.durationDays),
      task.dependsOn.join(', '),
      String(task.slackDays),
    ]);
    sections.push(
      `## ${phase}\n\n${markdownTable(['ID', 'Task', 'Owner', 'Start', 'End', 'Days', 'Depends on', 'Slack (days)'], rows)}`,
    );
  }
  const path = schedule.criticalPath.map(
    (task, i) =>
      `${i + 1}. ${task.name} (\`${task.id}\`): ${isMilestone(task) ? task.start : `${task.start} → ${task.end}`}`,
  );
  sections.push(`## Critical path\n\nAny delay on these tasks moves the launch.\n\n${path.join('\n')}\n`);
  return sections.join('\n');
}
