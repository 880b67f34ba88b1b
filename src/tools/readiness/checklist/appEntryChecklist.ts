/**
 * The operational readiness checklist of an app-entry JWO store. Sources: the App Entry Store and
 * Catalog Upload Well-Architected Reviews and the test and validation plans (jwo-api.md §5), and the
 * "Sample Store - App Entry" page's integration summaries.
 */
import type { ChecklistItem } from './checklistItem';
import { REQUIRED_METRICS } from './requiredMetrics';

export const APP_ENTRY_CHECKLIST: readonly ChecklistItem[] = [
  // Identity verification
  {
    id: 'IDV-01',
    area: 'Identity verification',
    text: 'Gate decisions answer within the 2-second budget at peak: the gate p99 of the last load test is within 2000 ms.',
    howToVerify: 'Run the load test with many simultaneous gate scans and read the p99 of jwo_gate_decision_seconds.',
    liveCheck: 'gate-p99',
  },
  {
    id: 'IDV-02',
    area: 'Identity verification',
    text: 'The identityKey is Base64-decoded and the Scan Key Code validated: alphanumeric payload, Customer Prefix, timestamp within the 30–90 s window of authEvent.timestamp, Recognition Token known, account not flagged.',
    howToVerify: 'Run Verify Identity Keys test cases sections 1, 2 and 7, and VAL-CONN-001 (valid test key → 200).',
  },
  {
    id: 'IDV-03',
    area: 'Identity verification',
    text: 'Verify Identity Keys is idempotent on authEvent.id: a retried scan gets the same decision and does not use the key twice.',
    howToVerify: 'Run Verify Identity Keys test cases section 6 (Idempotency).',
  },
  {
    id: 'IDV-04',
    area: 'Identity verification',
    text: 'Answers match the gate behaviour: 200 opens the gate, 400, 401 and 429 keep it closed, 500 follows the store default decision agreed with Amazon.',
    howToVerify:
      'Run Verify Identity Keys test cases sections 2 to 5 and 8; confirm the store default decision with the Amazon JWO team.',
  },
  {
    id: 'IDV-05',
    area: 'Identity verification',
    text: 'Associates and cash shoppers are recognised and answered with visitor type ASSOCIATE or CASH_SHOPPER.',
    howToVerify: 'Scan an associate code and a cash-shopper code in the store; Verify Identity Keys test case 1.2.',
  },

  // Charge calculation
  {
    id: 'CHG-01',
    area: 'Charge calculation',
    text: 'Create Purchases is idempotent on idempotentShoppingTripId: a repeated call returns the same purchaseId and charges nothing more.',
    howToVerify: 'Run Create Purchases test cases section 2; the payment ledger shows one capture per trip.',
  },
  {
    id: 'CHG-02',
    area: 'Charge calculation',
    text: 'Prices, promotions and taxes come from the POS and match the shelf.',
    howToVerify:
      'Validation plan "pricing accuracy": price sample carts in the store and compare with the POS receipt.',
  },
  {
    id: 'CHG-03',
    area: 'Charge calculation',
    text: 'An empty cart is answered 201 with an empty purchaseId and its pre-auth is cancelled.',
    howToVerify: 'Run Create Purchases test case 1.7 (Empty Cart) and check the pre-auth is voided.',
  },
  {
    id: 'CHG-04',
    area: 'Charge calculation',
    text: 'Carts with unidentifiable SKUs go to the bad-cart process, which has an owner and a deadline with a default decision.',
    howToVerify: 'Send a cart with an unknown SKU; it appears in the bad-cart queue and is decided by the deadline.',
  },
  {
    id: 'CHG-05',
    area: 'Charge calculation',
    text: 'Cart payloads are validated (400 for each invalid field) while unknown fields are ignored.',
    howToVerify: 'Run Create Purchases test cases 3.1 to 3.35, plus a request carrying an extra field.',
  },
  {
    id: 'CHG-06',
    area: 'Charge calculation',
    text: 'Group trips (several auth events) and manual in-store entries are charged to the right shopper.',
    howToVerify: 'Run Create Purchases test cases 1.13 and 1.14.',
  },

  // Pre-auth management
  {
    id: 'PRE-01',
    area: 'Pre-auth management',
    text: "A pre-auth is placed on the shopper's payment instrument at entry, for an amount agreed with the payment provider.",
    howToVerify: 'Enter the store in the end-to-end test and find the pre-auth at the payment provider.',
  },
  {
    id: 'PRE-02',
    area: 'Pre-auth management',
    text: 'The pre-auth is captured (or adjusted) when the purchase is priced, and voided for an empty cart.',
    howToVerify: 'End-to-end test with a cart and with an empty cart; compare the ledger with the provider.',
  },
  {
    id: 'PRE-03',
    area: 'Pre-auth management',
    text: 'An alert fires for carts received but not charged before the pre-auth expires.',
    howToVerify: 'Find the alert rule and its owner; trigger it in a test environment with a short horizon.',
  },
  {
    id: 'PRE-04',
    area: 'Pre-auth management',
    text: "Pre-auths of trips that never get a purchase are voided before the issuer's expiry (PREAUTH_HORIZON).",
    howToVerify:
      "Compare PREAUTH_HORIZON with the provider's pre-auth lifetime; enter without a purchase in a test environment.",
  },
  {
    id: 'PRE-05',
    area: 'Pre-auth management',
    text: 'Failed captures are retried and then handed to bad-debt handling, never charged twice.',
    howToVerify: 'Test plan section 7 (Post-Purchase: refunds, bad debt) with a declining test card.',
  },

  // Catalog sync
  {
    id: 'CAT-01',
    area: 'Catalog sync',
    text: "Every store's catalog is uploaded and its last upload finished DONE.",
    howToVerify: 'Get Catalog Upload Status of the last upload of each store answers DONE.',
    liveCheck: 'catalog',
  },
  {
    id: 'CAT-02',
    area: 'Catalog sync',
    text: 'Catalog data is prepared and barcodes validated before upload (check digits, no duplicates).',
    howToVerify: 'Run the catalog import on the full store file; it reports no rejected rows.',
  },
  {
    id: 'CAT-03',
    area: 'Catalog sync',
    text: 'Uploads send at most 10,000 items per request and at most 10 requests per second, retrying throttling and 5xx with backoff.',
    howToVerify: 'Catalog Upload test cases; upload a catalog larger than 10,000 items.',
  },
  {
    id: 'CAT-04',
    area: 'Catalog sync',
    text: 'Upload status is tracked with Get Catalog Upload Status and the SNS to SQS notifications; the SNS subscription is confirmed.',
    howToVerify: 'The Merchant Portal shows the subscription Complete; an upload ends with a notification received.',
  },
  {
    id: 'CAT-05',
    area: 'Catalog sync',
    text: 'The result report is downloaded within the 60 minutes of its presigned URL and rejected items are fixed and re-sent.',
    howToVerify: 'Upload a file with one bad item; the rejection is reported and the corrected item accepted.',
  },
  {
    id: 'CAT-06',
    area: 'Catalog sync',
    text: 'Merchandise changes (new items, price changes, removals) reach Amazon before the items reach the shelf.',
    howToVerify: 'Walk through the catalog maintenance procedure with store operations.',
  },

  // Mobile app
  {
    id: 'APP-01',
    area: 'Mobile app',
    text: 'The Scan Key screen shows a QR code in the format agreed with Amazon, readable at the gate.',
    howToVerify: 'Scan codes from several phones at the store gate; Verify Identity Keys test cases section 7.',
  },
  {
    id: 'APP-02',
    area: 'Mobile app',
    text: 'The QR code refreshes before it leaves its validity window.',
    howToVerify: 'Keep the Scan Key screen open past the window and scan: the gate still opens.',
  },
  {
    id: 'APP-03',
    area: 'Mobile app',
    text: 'A code is issued only after pre-validation (payment method, fraud threshold, card not expired), and the app tells the shopper what to fix when it refuses.',
    howToVerify: 'Try with no payment method and with an expired card.',
  },
  {
    id: 'APP-04',
    area: 'Mobile app',
    text: 'The version in the app stores is the one tested end to end, and a forced-update path exists.',
    howToVerify: 'Compare the released build number with the end-to-end test record.',
  },

  // Retries and error handling
  {
    id: 'RTY-01',
    area: 'Retries and error handling',
    text: "Amazon's retries of both connectors are safe, and no cart is answered with a 5xx that Amazon would retry forever.",
    howToVerify: 'Replay the same requests; review the bad-cart answers.',
  },
  {
    id: 'RTY-02',
    area: 'Retries and error handling',
    text: 'Calls to the POS and the payment provider have timeouts and retries with backoff; a slow dependency never holds the gate past its deadline.',
    howToVerify:
      'Slow down the POS in a test environment: the gate answers within 2 s and purchases complete after recovery.',
  },
  {
    id: 'RTY-03',
    area: 'Retries and error handling',
    text: 'Failed purchases can be found and replayed without charging twice.',
    howToVerify:
      'jwo purchases list --status failed, then jwo purchases replay <tripId>; the ledger shows one capture.',
  },
  {
    id: 'RTY-04',
    area: 'Retries and error handling',
    text: 'Above the per-store rate limit the gate answers 429 rather than falling over.',
    howToVerify: 'Verify Identity Keys test cases section 4 (Rate Limiting).',
  },

  // Observability
  {
    id: 'OBS-01',
    area: 'Observability',
    text: 'The API answers its liveness probe /healthz.',
    howToVerify: 'GET /healthz answers 200.',
    liveCheck: 'healthz',
  },
  {
    id: 'OBS-02',
    area: 'Observability',
    text: 'The readiness probe /readyz reports the database and Temporal as ok.',
    howToVerify: 'GET /readyz answers 200 with database and temporal "ok".',
    liveCheck: 'readyz',
  },
  {
    id: 'OBS-03',
    area: 'Observability',
    text: `The metrics the alerts are built on are exported: ${REQUIRED_METRICS.join(', ')}.`,
    howToVerify: 'GET /metrics lists each of them.',
    liveCheck: 'metrics',
  },
  {
    id: 'OBS-04',
    area: 'Observability',
    text: 'Temporal is reachable and the search attributes StoreId, ShopperId, TripId and PurchaseStatus are registered, so any trip can be found.',
    howToVerify: 'temporal operator search-attribute list; find a trip with temporal workflow list --query.',
    liveCheck: 'temporal',
  },
  {
    id: 'OBS-05',
    area: 'Observability',
    text: 'Alerts with an owner exist for gate errors and latency, failed purchases, pre-auths nearing expiry, open bad carts and catalog upload failures.',
    howToVerify: 'Compare the alerting rules with the alert list in the README.',
  },
  {
    id: 'OBS-06',
    area: 'Observability',
    text: 'Logs carry requestId, authEvent.id and the trip id, so a shopper complaint can be traced from gate to charge.',
    howToVerify: 'Trace one end-to-end test trip through the logs.',
  },
  {
    id: 'OBS-07',
    area: 'Observability',
    text: 'Store reporting is reconciled: Merchant Portal reports and intra-day report files match your own records.',
    howToVerify: 'Test plan section 6 (Store Reporting) on a day of test trips.',
  },
  {
    id: 'OBS-08',
    area: 'Observability',
    text: 'An on-call rotation with runbooks is staffed, and the escalation path to the Amazon JWO team is known.',
    howToVerify: 'Review the rota and the runbooks; run one incident drill.',
  },

  // Change management
  {
    id: 'CHM-01',
    area: 'Change management',
    text: 'Connector deployments cause no downtime, and the Merchant Portal endpoint tests are run after each one.',
    howToVerify: 'Deploy during a load test; the Connector Configurations tests answer 200 afterwards.',
  },
  {
    id: 'CHM-02',
    area: 'Change management',
    text: 'Workflow code changes are checked against recorded histories before they are deployed.',
    howToVerify: 'CI replays test/histories with the new code.',
  },
  {
    id: 'CHM-03',
    area: 'Change management',
    text: 'Mobile app changes that touch the Scan Key Code are agreed with Amazon, and older app versions keep working until retired.',
    howToVerify: 'Review the app release checklist; scan a code from the previous app version.',
  },
  {
    id: 'CHM-04',
    area: 'Change management',
    text: 'Changes to the IAM role and the CloudFormation stacks are reviewed, and the connectivity test is re-run after them.',
    howToVerify: 'Review the infrastructure change process and its last record.',
  },
  {
    id: 'CHM-05',
    area: 'Change management',
    text: 'Changes to Connector Configurations (endpoints, credentials) have a rollback plan and are announced to Amazon.',
    howToVerify: 'Review the change procedure for connector endpoints and keys.',
  },

  // Security
  {
    id: 'SEC-01',
    area: 'Security',
    text: 'The Identity Connector refuses requests without credentials.',
    howToVerify: 'POST /v1/identity/identity-keys without the key answers 401.',
    liveCheck: 'identity-auth',
  },
  {
    id: 'SEC-02',
    area: 'Security',
    text: 'The Ordering Connector refuses requests without credentials.',
    howToVerify: 'POST /v1/order/purchases without the key answers 401.',
    liveCheck: 'purchases-auth',
  },
  {
    id: 'SEC-03',
    area: 'Security',
    text: 'No secret is left at its demo value (connector keys, operator keys, Scan Key MAC keys).',
    howToVerify: 'Compare the deployed configuration with the defaults in the README.',
    liveCheck: 'secrets',
  },
  {
    id: 'SEC-04',
    area: 'Security',
    text: 'Connector and operator keys live in a secrets manager and can be rotated without downtime.',
    howToVerify: 'Rotate a connector key in a test environment using two accepted keys.',
  },
  {
    id: 'SEC-05',
    area: 'Security',
    text: 'The IAM role for the Catalog API allows only execute-api:Invoke on it.',
    howToVerify: 'Review the role policy.',
  },
  {
    id: 'SEC-06',
    area: 'Security',
    text: 'Endpoints are HTTPS only, and logs hold ids but no card data or raw identity keys.',
    howToVerify: 'Test plan section 5 (Security); search the logs of a test day for identity keys.',
  },
];
