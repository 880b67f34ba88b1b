/**
 * Custom search attributes set on every workflow so operators can find a trip in the Temporal UI
 * or with `temporal workflow list --query "StoreId='STORE-001' AND PurchaseStatus='FAILED'"`.
 * No Node imports: workflow code imports this module.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SEARCH_ATTRIBUTES = {
  StoreId: 'Keyword',
  ShopperId: 'Keyword',
  TripId: 'Keyword',
  PurchaseStatus: 'Keyword',
} as const;

export const StoreIdKey = defineSearchAttributeKey('StoreId', SearchAttributeType.KEYWORD);
export const ShopperIdKey = defineSearchAttributeKey('ShopperId', SearchAttributeType.KEYWORD);
export const TripIdKey = defineSearchAttributeKey('TripId', SearchAttributeType.KEYWORD);
export const PurchaseStatusKey = defineSearchAttributeKey('PurchaseStatus', SearchAttributeType.KEYWORD);
