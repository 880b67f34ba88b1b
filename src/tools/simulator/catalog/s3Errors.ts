/** S3's XML error documents, for the simulated presigned report links. */
import { randomBytes } from 'node:crypto';

export function s3ErrorXml(code: string, message: string, extra: Record<string, string> = {}): string {
  const fields = Object.entries({
    Code: code,
    Message: message,
    ...extra,
    RequestId: randomBytes(8).toString('hex').toUpperCase(),
  })
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${fields}</Error>`;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&${XML_ESCAPES[c]};`);
}

const XML_ESCAPES: Record<string, string> = { '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' };
