/**
 * Physical names shared by the two stacks.
 *
 * The onboarding role must trust the connector's worker task role, and the worker must know the
 * role's ARN and the queue's URL. Passing both ways as CloudFormation references would make the
 * two stacks depend on each other (a cycle). So the onboarding stack takes the task role (a
 * reference: onboarding depends on connector), and the connector computes the role ARN and the
 * queue URL from these fixed names instead of importing them.
 */
export interface OnboardingNames {
  /** IAM role the connector assumes to call Amazon's APIs (at most 64 characters). */
  readonly catalogApiRoleName: string;
  /** SQS queue Amazon's SNS topic notifies of finished catalog ingestions (at most 80 characters). */
  readonly catalogQueueName: string;
}

export function onboardingNames(prefix: string): OnboardingNames {
  const names = {
    catalogApiRoleName: `${prefix}-catalog-api`,
    catalogQueueName: `${prefix}-catalog-notifications`,
  };
  if (names.catalogApiRoleName.length > 64) throw new Error(`role name too long (64 max): ${names.catalogApiRoleName}`);
  if (names.catalogQueueName.length > 80) throw new Error(`queue name too long (80 max): ${names.catalogQueueName}`);
  return names;
}
