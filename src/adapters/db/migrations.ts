/**
 * The schema, as an ordered list of migrations. A migration is never edited once released:
 * add a new one. Applied at start-up by migrate(), once, under an advisory lock so that
 * several replicas starting together do not race.
 * Amounts are integer minor units (bigint), currencies ISO 4217 codes.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'stores, shoppers, catalog, pricing',
    sql: `
      CREATE TABLE stores (
        store_id text PRIMARY KEY,
        name text NOT NULL,
        retailer_id text NOT NULL DEFAULT 'default',
        currency text NOT NULL DEFAULT 'USD',
        tax_inclusive boolean NOT NULL DEFAULT false,
        preauth_amount_minor bigint NOT NULL DEFAULT 5000 CHECK (preauth_amount_minor > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE shoppers (
        shopper_id text PRIMARY KEY,
        display_name text NOT NULL,
        visitor_type text NOT NULL CHECK (visitor_type IN ('SHOPPER', 'ASSOCIATE', 'CASH_SHOPPER')),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'CLOSED')),
        flagged_reason text,
        app_token_sha256 text UNIQUE,
        payment_token text,
        payment_expiry text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE recognition_tokens (
        token text PRIMARY KEY,
        shopper_id text NOT NULL REFERENCES shoppers(shopper_id),
        issued_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        -- A code lets one shopper in once: the first authEvent that presents it consumes it.
        consumed_by_auth_event text
      );
      CREATE INDEX recognition_tokens_shopper ON recognition_tokens(shopper_id);
      CREATE TABLE catalog_items (
        store_id text NOT NULL REFERENCES stores(store_id),
        sku text NOT NULL,
        name text NOT NULL,
        barcode text NOT NULL,
        barcode_type text,
        additional_barcodes jsonb NOT NULL DEFAULT '[]',
        price_minor bigint CHECK (price_minor >= 0),
        pricing_unit text NOT NULL DEFAULT 'each',
        tax_code text,
        amazon_item jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (store_id, sku)
      );
      CREATE TABLE catalog_barcodes (
        store_id text NOT NULL,
        barcode text NOT NULL,
        sku text NOT NULL,
        PRIMARY KEY (store_id, barcode),
        FOREIGN KEY (store_id, sku) REFERENCES catalog_items(store_id, sku) ON DELETE CASCADE
      );
      CREATE TABLE promotions (
        store_id text NOT NULL REFERENCES stores(store_id),
        promotion_id text NOT NULL,
        definition jsonb NOT NULL,
        PRIMARY KEY (store_id, promotion_id)
      );
      CREATE TABLE tax_rates (
        store_id text NOT NULL REFERENCES stores(store_id),
        tax_code text NOT NULL,
        rate_basis_points integer NOT NULL CHECK (rate_basis_points >= 0),
        name text,
        PRIMARY KEY (store_id, tax_code)
      );
    `,
  },
  {
    version: 2,
    name: 'gate decisions, payments, purchases, bad carts, debts',
    sql: `
      CREATE TABLE gate_decisions (
        auth_event_id text PRIMARY KEY,
        request_id text NOT NULL,
        store_id text NOT NULL,
        key_sha256 text NOT NULL,
        status integer NOT NULL,
        body jsonb NOT NULL,
        shopper_id text,
        visitor_type text,
        decided_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX gate_decisions_shopper ON gate_decisions(shopper_id);
      CREATE TABLE payment_authorizations (
        authorization_id text PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        shopper_id text NOT NULL,
        store_id text NOT NULL,
        auth_event_id text NOT NULL,
        payment_token text NOT NULL,
        currency text NOT NULL,
        authorized_minor bigint NOT NULL,
        captured_minor bigint NOT NULL DEFAULT 0,
        status text NOT NULL CHECK (status IN ('AUTHORIZED', 'CAPTURED', 'VOIDED', 'DECLINED')),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX payment_authorizations_event ON payment_authorizations(auth_event_id);
      CREATE TABLE payment_ledger (
        entry_id bigserial PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        operation text NOT NULL CHECK (operation IN ('AUTHORIZE', 'ADJUST', 'CAPTURE', 'VOID', 'REFUND')),
        outcome text NOT NULL CHECK (outcome IN ('APPROVED', 'DECLINED')),
        authorization_id text,
        shopper_id text NOT NULL,
        trip_id text,
        amount_minor bigint NOT NULL,
        currency text NOT NULL,
        decline_reason text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX payment_ledger_authorization ON payment_ledger(authorization_id);
      CREATE INDEX payment_ledger_trip ON payment_ledger(trip_id);
      CREATE TABLE purchases (
        trip_id text PRIMARY KEY,
        purchase_id text NOT NULL,
        store_id text NOT NULL,
        request_sha256 text NOT NULL,
        request jsonb NOT NULL,
        shopper_id text,
        status text NOT NULL,
        total_minor bigint,
        currency text,
        receipt jsonb,
        failure text,
        replays jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX purchases_purchase_id ON purchases(purchase_id);
      CREATE INDEX purchases_status ON purchases(status, created_at);
      CREATE TABLE bad_carts (
        trip_id text PRIMARY KEY REFERENCES purchases(trip_id),
        store_id text NOT NULL,
        problems jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('OPEN', 'RESOLVED')),
        deadline timestamptz NOT NULL,
        decision jsonb,
        decided_by text,
        decided_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE debts (
        trip_id text PRIMARY KEY,
        shopper_id text NOT NULL REFERENCES shoppers(shopper_id),
        amount_minor bigint NOT NULL,
        currency text NOT NULL,
        reason text NOT NULL,
        settled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX debts_open ON debts(shopper_id) WHERE settled_at IS NULL;
    `,
  },
  {
    version: 3,
    name: 'catalog uploads, their chunks and per-item results',
    sql: `
      CREATE TABLE catalog_uploads (
        upload_id text PRIMARY KEY,
        store_id text NOT NULL REFERENCES stores(store_id),
        -- Set when this upload re-sends the failed items of an earlier one.
        retry_of text REFERENCES catalog_uploads(upload_id),
        status text NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'COMPLETED_WITH_FAILURES', 'FAILED')),
        summary jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      );
      CREATE INDEX catalog_uploads_store ON catalog_uploads(store_id, created_at);
      CREATE TABLE catalog_upload_chunks (
        upload_id text NOT NULL REFERENCES catalog_uploads(upload_id),
        chunk_no integer NOT NULL,
        item_count integer NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'PROCESSING', 'DONE', 'FAILED')),
        -- Amazon's id once the request was accepted; the SQS notifications are matched by it.
        ingestion_id text UNIQUE,
        processing_status text,
        error text,
        PRIMARY KEY (upload_id, chunk_no)
      );
      CREATE TABLE catalog_upload_items (
        upload_id text NOT NULL REFERENCES catalog_uploads(upload_id),
        sku text NOT NULL,
        position integer NOT NULL,
        -- Null for items our validation refused: they are never sent.
        chunk_no integer,
        -- The item exactly as sent (a snapshot: the catalog may change during the upload).
        item jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'SUCCESS', 'FAILED', 'INVALID', 'UNKNOWN')),
        errors jsonb NOT NULL DEFAULT '[]',
        PRIMARY KEY (upload_id, sku)
      );
      CREATE INDEX catalog_upload_items_chunk ON catalog_upload_items(upload_id, chunk_no, position);
    `,
  },
  {
    version: 4,
    name: 'load test runs; purchases by shopper',
    sql: `
      CREATE TABLE load_test_runs (
        run_id bigserial PRIMARY KEY,
        started_at timestamptz NOT NULL,
        rate_per_second double precision NOT NULL,
        duration_seconds double precision NOT NULL,
        -- The figure the gate's 2-second budget is judged on.
        gate_p99_ms double precision,
        budget_held boolean NOT NULL,
        -- Every figure the run printed (percentiles and errors per endpoint).
        result jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX load_test_runs_recorded ON load_test_runs(recorded_at);
      -- The app lists a shopper's receipts.
      CREATE INDEX purchases_shopper ON purchases(shopper_id, created_at);
    `,
  },
  {
    version: 5,
    name: 'gate decisions keep their rejection reason, not an HTTP body',
    sql: `
      -- A retry's answer is built from the decision, so a refusal's reason gets its own column
      -- (until now it was read back out of the stored HTTP body).
      ALTER TABLE gate_decisions ADD COLUMN reason text;
      UPDATE gate_decisions SET reason = body->>'reason' WHERE status <> 200;
      -- Only 200s and 401s were ever recorded, every 401 with a reason: a row breaking this is
      -- corrupt, and stopping the migration on it beats answering a retry with a made-up decision.
      ALTER TABLE gate_decisions ADD CONSTRAINT gate_decisions_reason
        CHECK ((status = 200 AND reason IS NULL AND shopper_id IS NOT NULL AND visitor_type IS NOT NULL)
            OR (status = 401 AND reason IS NOT NULL));
      -- Kept for the rows decided before this migration (and for one release's rollback); no longer written.
      ALTER TABLE gate_decisions ALTER COLUMN body DROP NOT NULL;
    `,
  },
];
