/**
 * Thrown when the configuration handed to the engine (price book, tax rates, promotions, currency,
 * trip time) is invalid. Problems with individual cart lines are not errors: they are reported in
 * `PricingResult.unpriceable` so the rest of the cart can still be priced.
 */
export class PricingInputError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`Invalid pricing input: ${issues.join('; ')}`);
    this.name = 'PricingInputError';
  }
}
