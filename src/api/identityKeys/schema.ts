/** Verify Identity Keys request (jwo-api.md §1.1). Unknown fields are ignored. */
import { z } from 'zod';
import { base64, isoTimestamp, text, uuid } from '../validation';

/** CONFIRMED: "ENTRY". INFERRED: "MANUAL_IN_STORE" (seen on Create Purchases) is accepted too. */
export const AUTH_EVENT_LOCATIONS = ['ENTRY', 'MANUAL_IN_STORE'] as const;
/** CONFIRMED: "OPTICAL" (a QR scanned at the gate); the only channel an app-entry store expects. */
export const KEY_CHANNELS = ['OPTICAL'] as const;

export const verifyIdentityKeysRequest = z.object({
  requestId: uuid(),
  identityKey: text(1000).pipe(base64()),
  storeId: text(255),
  authEvent: z.object({
    id: uuid(),
    timestamp: isoTimestamp(),
    location: z.enum(AUTH_EVENT_LOCATIONS),
  }),
  keyChannel: z.enum(KEY_CHANNELS).optional(),
});

export type VerifyIdentityKeysRequest = z.infer<typeof verifyIdentityKeysRequest>;
