/** Checks a task list and orders it so every task comes after the tasks it depends on. */
import { PlanDefinitionError } from './errors';
import type { PlanTask } from './planTask';

function checkTasks(tasks: readonly PlanTask[]): Map<string, PlanTask> {
  const byId = new Map<string, PlanTask>();
  for (const task of tasks) {
    if (byId.has(task.id)) throw new PlanDefinitionError(`two tasks have the id "${task.id}"`);
    if (!Number.isInteger(task.durationDays) || task.durationDays < 0) {
      throw new PlanDefinitionError(
        `task "${task.id}" lasts ${task.durationDays} days: durations are whole working days, 0 for a milestone`,
      );
    }
    byId.set(task.id, task);
  }
  for (const task of tasks) {
    for (const dependency of task.dependsOn) {
      if (!byId.has(dependency))
        throw new PlanDefinitionError(`task "${task.id}" depends on "${dependency}", which is not in the plan`);
    }
  }
  return byId;
}

/** Dependencies first; otherwise the list's own order, so the same list always gives the same plan. */
export function dependencyOrder(tasks: readonly PlanTask[]): PlanTask[] {
  const byId = checkTasks(tasks);
  const ordered: PlanTask[] = [];
  const done = new Set<string>();
  const path: string[] = [];

  const visit = (task: PlanTask) => {
    if (done.has(task.id)) return;
    const loopStart = path.indexOf(task.id);
    if (loopStart >= 0)
      throw new PlanDefinitionError(`dependency cycle: ${[...path.slice(loopStart), task.id].join(' → ')}`);
    path.push(task.id);
    for (const dependency of task.dependsOn) visit(byId.get(dependency)!);
    path.pop();
    done.add(task.id);
    ordered.push(task);
  };
  tasks.forEach(visit);
  return ordered;
}

export function successorsOf(tasks: readonly PlanTask[]): Map<string, PlanTask[]> {
  const successors = new Map<string, PlanTask[]>(tasks.map((task) => [task.id, []]));
  for (const task of tasks) for (const dependency of task.dependsOn) successors.get(dependency)?.push(task);
  return successors;
}
