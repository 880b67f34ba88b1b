/**
 * RFC 4180 CSV writing for the readiness reports (plan and checklist): a field is quoted when it
 * holds a comma, a quote or a line break, and quotes inside are doubled. Lines end in LF.
 */

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((fields) => fields.map(csvField).join(',')).join('\n') + '\n';
}
