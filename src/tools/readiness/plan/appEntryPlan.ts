/**
 * The project plan of an app-entry JWO store, from Amazon's "Sample Store - App Entry" page
 * (integration summaries, testing phases, operational readiness) and jwo-api.md §5.
 * Durations are working days for one team doing the work for the first time; Amazon-side steps
 * are waits the retailer cannot shorten. Every task leads to the `launch` milestone.
 */
import type { OwnerRole, Phase, PlanTask } from './planTask';

const task = (
  phase: Phase,
  id: string,
  name: string,
  owner: OwnerRole,
  durationDays: number,
  dependsOn: string[] = [],
): PlanTask => ({
  id,
  phase,
  name,
  owner,
  durationDays,
  dependsOn,
});
const milestone = (phase: Phase, id: string, name: string, owner: OwnerRole, dependsOn: string[]): PlanTask =>
  task(phase, id, name, owner, 0, dependsOn);

export const LAUNCH_MILESTONE_ID = 'launch';

export const APP_ENTRY_PLAN: readonly PlanTask[] = [
  // AWS account and IAM: the Catalog API is called with SigV4 from the retailer's own account.
  task(
    'AWS account and IAM',
    'aws-iam-role',
    'Set up the AWS account and an IAM role allowed execute-api:Invoke on the Catalog API',
    'Retailer cloud engineer',
    3,
  ),
  task(
    'AWS account and IAM',
    'aws-cloudformation',
    'Deploy the CloudFormation templates for the SQS queue and connectivity testing',
    'Retailer cloud engineer',
    2,
    ['aws-iam-role'],
  ),
  task(
    'AWS account and IAM',
    'aws-portal-onboarding',
    'Onboard the AWS account and the SQS ARN in the Merchant Portal',
    'Retailer cloud engineer',
    1,
    ['aws-cloudformation'],
  ),
  task(
    'AWS account and IAM',
    'aws-amazon-onboarding',
    'Amazon enables the account and subscribes the queue to the upload-result SNS topic',
    'Amazon JWO team',
    5,
    ['aws-portal-onboarding'],
  ),
  task(
    'AWS account and IAM',
    'aws-sns-confirm',
    'Confirm the SNS subscription (Pending → Complete)',
    'Retailer cloud engineer',
    1,
    ['aws-amazon-onboarding'],
  ),

  // Catalog
  task(
    'Catalog',
    'catalog-prepare-data',
    'Prepare the catalog data: SKUs, names, barcodes, store ids',
    'Store operations',
    5,
  ),
  task(
    'Catalog',
    'catalog-validate-barcodes',
    'Validate barcodes (check digits, no duplicates) and fix the source data',
    'Backend engineer',
    2,
    ['catalog-prepare-data'],
  ),
  task(
    'Catalog',
    'catalog-upload-client',
    'Build the catalog upload: at most 10,000 items per request, throttled to 10 requests/second',
    'Backend engineer',
    5,
    ['aws-iam-role'],
  ),
  task(
    'Catalog',
    'catalog-status-tracking',
    'Track upload status with Get Catalog Upload Status and the SNS/SQS notifications',
    'Backend engineer',
    3,
    ['catalog-upload-client', 'aws-sns-confirm'],
  ),
  task(
    'Catalog',
    'catalog-report-processing',
    'Download and process the upload result report from the S3 presigned URL (valid 60 minutes)',
    'Backend engineer',
    2,
    ['catalog-status-tracking'],
  ),
  task(
    'Catalog',
    'catalog-first-upload',
    'Upload the store catalog and re-send rejected items until the upload is DONE',
    'Backend engineer',
    2,
    ['catalog-validate-barcodes', 'catalog-report-processing', 'test-catalog-connectivity'],
  ),
  milestone('Catalog', 'catalog-uploaded', 'Catalog uploaded', 'Backend engineer', ['catalog-first-upload']),

  // Identity connector
  task(
    'Identity connector',
    'identity-scan-key-format',
    'Agree the Scan Key Code format with Amazon (Customer Prefix, timestamp, Recognition Token)',
    'Backend engineer',
    5,
  ),
  task(
    'Identity connector',
    'identity-verify-endpoint',
    'Implement VerifyIdentityKeys (POST /v1/identity/identity-keys): decode, validate, idempotent on authEvent.id',
    'Backend engineer',
    10,
    ['identity-scan-key-format'],
  ),
  task(
    'Identity connector',
    'identity-latency-budget',
    'Keep gate decisions within the 2-second budget: deadline, rate limit, store default on 500',
    'Backend engineer',
    3,
    ['identity-verify-endpoint'],
  ),
  task(
    'Identity connector',
    'identity-register',
    'Register the Identity Connector in Connector Configurations and run its endpoint test',
    'Retailer cloud engineer',
    1,
    ['test-mock'],
  ),

  // Ordering connector
  task(
    'Ordering connector',
    'ordering-create-purchases',
    'Implement Create Purchases (POST /v1/order/purchases), idempotent on idempotentShoppingTripId',
    'Backend engineer',
    8,
  ),
  task(
    'Ordering connector',
    'ordering-pos-pricing',
    'Price carts on the POS: promotions and taxes',
    'Backend engineer',
    8,
    ['ordering-create-purchases'],
  ),
  task(
    'Ordering connector',
    'ordering-payments',
    'Capture payments against the entry pre-auth; void it for empty carts and at expiry',
    'Backend engineer',
    8,
    ['ordering-create-purchases'],
  ),
  task(
    'Ordering connector',
    'ordering-bad-carts',
    'Route carts with unrecognised SKUs to the bad-cart process',
    'Backend engineer',
    4,
    ['ordering-create-purchases'],
  ),
  task(
    'Ordering connector',
    'ordering-register',
    'Register the Ordering Connector in Connector Configurations and run its endpoint test',
    'Retailer cloud engineer',
    1,
    ['test-mock'],
  ),

  // Mobile app
  task(
    'Mobile app',
    'mobile-scan-key-screen',
    'Build the Scan Key screen that shows the QR code',
    'Mobile engineer',
    8,
    ['identity-scan-key-format'],
  ),
  task(
    'Mobile app',
    'mobile-qr-refresh',
    'Refresh the QR code before it leaves its validity window',
    'Mobile engineer',
    3,
    ['mobile-scan-key-screen'],
  ),
  task(
    'Mobile app',
    'mobile-pre-validation',
    'Pre-validate before issuing a code: payment method, fraud threshold, card not expired',
    'Backend engineer',
    5,
    ['identity-scan-key-format'],
  ),
  // The released build must be the one tested end to end; store review takes days.
  task('Mobile app', 'mobile-store-release', 'Submit the app to the app stores and release it', 'Mobile engineer', 7, [
    'test-end-to-end',
  ]),

  // Testing: the four phases of the sample store page, then Amazon's validation plan.
  task('Testing', 'test-mock', 'Functional / mock testing of both connectors with the Amazon test cases', 'QA', 5, [
    'identity-latency-budget',
    'ordering-pos-pricing',
    'ordering-payments',
    'ordering-bad-carts',
  ]),
  task(
    'Testing',
    'test-catalog-connectivity',
    'Connectivity testing: the AWS account invokes the Catalog API',
    'QA',
    1,
    ['aws-sns-confirm'],
  ),
  task(
    'Testing',
    'test-connector-connectivity',
    'Connectivity testing: Merchant Portal tests of both connectors answer 200 (VAL-CONN-001, VAL-CONN-002)',
    'QA',
    1,
    ['identity-register', 'ordering-register'],
  ),
  task(
    'Testing',
    'test-end-to-end',
    'End-to-end testing in the store: entry, shopping, exit, charge, refunds',
    'QA',
    10,
    ['test-connector-connectivity', 'catalog-uploaded', 'mobile-qr-refresh', 'mobile-pre-validation'],
  ),
  task(
    'Testing',
    'test-load',
    'Load testing: gate p99 within 2 s under peak scans, post-exit purchase bursts',
    'QA',
    3,
    ['test-connector-connectivity'],
  ),
  task(
    'Testing',
    'test-amazon-validation',
    'Amazon runs the validation plan against the connectors',
    'Amazon JWO team',
    5,
    ['test-end-to-end', 'test-load'],
  ),
  milestone('Testing', 'connectors-certified', 'Connectors certified', 'Amazon JWO team', ['test-amazon-validation']),

  // Operational readiness
  task(
    'Operational readiness',
    'ops-war',
    'Answer the App Entry Store and Catalog Upload Well-Architected Review questionnaires',
    'Ops',
    5,
    ['test-mock'],
  ),
  task(
    'Operational readiness',
    'ops-alerts',
    'Set up alerts: gate errors and latency, failed purchases, pre-auths nearing expiry, catalog uploads',
    'Ops',
    3,
    ['test-mock'],
  ),
  task(
    'Operational readiness',
    'ops-runbooks',
    'Write runbooks: gate outage, bad carts, failed purchase replay, catalog rejections',
    'Ops',
    4,
    ['ops-alerts'],
  ),
  task(
    'Operational readiness',
    'ops-on-call',
    'Staff the on-call rotation and the escalation path to Amazon',
    'Ops',
    2,
    ['ops-runbooks'],
  ),
  task(
    'Operational readiness',
    'ops-associate-training',
    'Train store associates: associate entry, gate problems, bad carts',
    'Store operations',
    3,
    ['ops-runbooks'],
  ),
  task(
    'Operational readiness',
    'ops-readiness-review',
    'Operational readiness review with Amazon (jwo checklist --live)',
    'Amazon JWO team',
    2,
    ['ops-war', 'ops-on-call', 'ops-associate-training', 'test-load'],
  ),

  // Launch
  milestone('Launch', 'go-no-go', 'Go/no-go', 'Store operations', [
    'connectors-certified',
    'ops-readiness-review',
    'mobile-store-release',
  ]),
  task('Launch', 'soft-opening', 'Soft opening for associates and invited shoppers', 'Store operations', 5, [
    'go-no-go',
  ]),
  milestone('Launch', LAUNCH_MILESTONE_ID, 'Launch', 'Store operations', ['soft-opening']),
];
