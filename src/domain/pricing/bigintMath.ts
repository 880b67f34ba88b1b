/** The two bigint helpers the engine needs; Math.min and Array.prototype.reduce defaults only know numbers. */
export function sumOf(values: readonly bigint[]): bigint {
  return values.reduce((total, value) => total + value, 0n);
}

export function smallerOf(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
