/** The building blocks of a project plan, before it has dates. */

/** In the order the plan lists them. */
export const PHASES = [
  'AWS account and IAM',
  'Catalog',
  'Identity connector',
  'Ordering connector',
  'Mobile app',
  'Testing',
  'Operational readiness',
  'Launch',
] as const;
export type Phase = (typeof PHASES)[number];

export type OwnerRole =
  | 'Retailer cloud engineer'
  | 'Backend engineer'
  | 'Mobile engineer'
  | 'QA'
  | 'Ops'
  | 'Store operations'
  | 'Amazon JWO team';

export interface PlanTask {
  /** Stable and readable, so dependencies can be written and read by id. */
  id: string;
  phase: Phase;
  name: string;
  owner: OwnerRole;
  /** Working days; 0 makes the task a milestone. */
  durationDays: number;
  /** Ids of the tasks that must be finished before this one starts. */
  dependsOn: readonly string[];
}

export const isMilestone = (task: PlanTask): boolean => task.durationDays === 0;
