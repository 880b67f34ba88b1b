/**
 * Every refusal a use case can make, in the product's words. Use cases throw these and never an
 * HTTP status: the edge maps each kind to exactly one status in one pure function
 * (`toErrorResponse` in src/api/httpErrors.ts), so the same refusal answers the same everywhere.
 */
export interface FieldProblem {
  field: string;
  reason: string;
}

/** The request itself is wrong: each problem names the field and why. */
export class InvalidRequest extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(
      problems.length === 1 ? `${problems[0].field}: ${problems[0].reason}` : `${problems.length} fields are invalid`,
    );
    this.name = 'InvalidRequest';
  }
}

/** A store id this deployment does not serve (or not yet: a store that is not live). */
export class UnknownStore extends InvalidRequest {
  constructor(readonly storeId: string) {
    super([{ field: 'storeId', reason: 'is not a store of this retailer' }]);
    this.name = 'UnknownStore';
  }
}

/** The thing asked about (a purchase, an upload, a workflow) does not exist. */
export class NotFound extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFound';
  }
}

/** An idempotency key was used again with a different request: the first request's answer stands. */
export class IdempotencyConflict extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'IdempotencyConflict';
  }
}

/** The request is valid, but what it asks cannot be done in the current state (e.g. replay a purchase that did not fail). */
export class StateConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateConflict';
  }
}

/** The caller is known but may not do this (a role too weak, a demo-only action outside demo mode). */
export class Forbidden extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Forbidden';
  }
}
