/**
 * Barcodes as Amazon's Upload Catalog takes them in `external_product_id` (jwo-api.md §3.2):
 * "UPC 12/8 digits, EAN 13, EAN8 8, ISBN 10, GTIN 14 digits or PLU".
 *
 * A wrong check digit means the catalog and the label on the shelf disagree, so the item a shopper
 * takes would not match at checkout. We catch that before the upload instead of in Amazon's report.
 */
import { CheckResult, OK, fail } from './checkResult';

/** Amazon's names for `external_product_id_type`. "UPC" covers both UPC-A (12 digits) and UPC-E (8). */
export const BARCODE_TYPES = ['UPC', 'ISBN', 'EAN', 'EAN8', 'GTIN', 'PLU'] as const;
export type BarcodeType = (typeof BARCODE_TYPES)[number];

export function isBarcodeType(value: unknown): value is BarcodeType {
  return typeof value === 'string' && (BARCODE_TYPES as readonly string[]).includes(value);
}

/** How retailers' files spell the types, after upper-casing and dropping spaces, "-" and "_". */
const TYPE_SPELLINGS = new Map<string, BarcodeType>([
  ['UPC', 'UPC'],
  ['UPCA', 'UPC'],
  ['UPCE', 'UPC'],
  ['EAN', 'EAN'],
  ['EAN13', 'EAN'],
  ['EAN8', 'EAN8'],
  ['GTIN', 'GTIN'],
  ['GTIN14', 'GTIN'],
  ['ISBN', 'ISBN'],
  ['ISBN10', 'ISBN'],
  ['PLU', 'PLU'],
]);

/** Reads a retailer's spelling of a type ("upc-a", "EAN13", "gtin_14") as Amazon's name, or null. */
export function parseBarcodeType(spelling: string): BarcodeType | null {
  return TYPE_SPELLINGS.get(spelling.toUpperCase().replace(/[\s_-]/g, '')) ?? null;
}

const DIGITS = /^\d+$/;

/**
 * The GS1 mod-10 check digit (UPC-A, UPC-E via UPC-A, EAN-13, EAN-8, GTIN-14) of the digits before it.
 * Weights alternate 3, 1, 3, … starting from the rightmost digit, which is what lets one rule serve
 * every length.
 */
export function gs1CheckDigit(payload: string): number {
  if (!DIGITS.test(payload)) throw new RangeError(`GS1 payload must be digits, got "${payload}"`);
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    const positionFromRight = payload.length - 1 - i;
    sum += Number(payload[i]) * (positionFromRight % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** The ISBN-10 check character (mod 11, weights 10…2) of its first nine digits: "0"–"9", or "X" for ten. */
export function isbn10CheckDigit(firstNine: string): string {
  if (!/^\d{9}$/.test(firstNine)) throw new RangeError(`ISBN-10 payload must be 9 digits, got "${firstNine}"`);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

/**
 * The UPC-A a UPC-E code abbreviates. UPC-E drops zeros from the UPC-A; the last of its six middle
 * digits says where they were. The check digit carries over unchanged, since it was computed on the UPC-A.
 */
export function expandUpcE(upcE: string): string {
  if (!/^[01]\d{7}$/.test(upcE)) throw new RangeError(`UPC-E must be 8 digits starting with 0 or 1, got "${upcE}"`);
  const [numberSystem, d1, d2, d3, d4, d5, d6, check] = upcE;
  let middle: string;
  switch (d6) {
    case '0':
    case '1':
    case '2':
      middle = `${d1}${d2}${d6}0000${d3}${d4}${d5}`;
      break;
    case '3':
      middle = `${d1}${d2}${d3}00000${d4}${d5}`;
      break;
    case '4':
      middle = `${d1}${d2}${d3}${d4}00000${d5}`;
      break;
    default:
      middle = `${d1}${d2}${d3}${d4}${d5}0000${d6}`;
  }
  return numberSystem + middle + check;
}

function compareCheckDigit(name: string, expected: string | number, actual: string): CheckResult {
  return String(expected) === actual ? OK : fail(`${name} check digit should be ${expected}, got ${actual}`);
}

function validateGs1(code: string, name: string, length: number): CheckResult {
  if (!DIGITS.test(code)) return fail(`${name} must contain only digits, got "${code}"`);
  if (code.length !== length) return fail(`${name} must be ${length} digits, got ${code.length}`);
  return compareCheckDigit(name, gs1CheckDigit(code.slice(0, -1)), code.slice(-1));
}

export const validateUpcA = (code: string): CheckResult => validateGs1(code, 'UPC-A', 12);
export const validateEan13 = (code: string): CheckResult => validateGs1(code, 'EAN-13', 13);
export const validateEan8 = (code: string): CheckResult => validateGs1(code, 'EAN-8', 8);
export const validateGtin14 = (code: string): CheckResult => validateGs1(code, 'GTIN-14', 14);

/** UPC-E: number system 0 or 1, six digits, and the check digit of the UPC-A it expands to. */
export function validateUpcE(code: string): CheckResult {
  if (!DIGITS.test(code)) return fail(`UPC-E must contain only digits, got "${code}"`);
  if (code.length !== 8) return fail(`UPC-E must be 8 digits, got ${code.length}`);
  if (code[0] !== '0' && code[0] !== '1') return fail(`UPC-E must start with number system 0 or 1, got ${code[0]}`);
  return compareCheckDigit('UPC-E', gs1CheckDigit(expandUpcE(code).slice(0, 11)), code[7]);
}

/** ISBN-10: nine digits and a mod-11 check character, which is an upper-case X when it is ten. */
export function validateIsbn10(code: string): CheckResult {
  if (!/^\d{9}[\dX]$/.test(code)) return fail(`ISBN-10 must be 9 digits followed by a digit or X, got "${code}"`);
  return compareCheckDigit('ISBN-10', isbn10CheckDigit(code.slice(0, 9)), code[9]);
}

const isFourDigitPlu = (code: string): boolean => /^\d{4}$/.test(code) && code >= '3000' && code <= '4999';

/**
 * PLU codes as the IFPS (International Federation for Produce Standards) issues them:
 * - 4 digits in 3000–4999, the block IFPS assigns to produce (4011 is bananas);
 * - 5 digits: 9 (organic) in front of a valid 4-digit PLU (94011 is organic bananas).
 * The 8 prefix was once set aside for genetically modified produce but never used, and IFPS has since
 * reserved 83000–84999 for future assignment, so no 8xxxx code is in use and we reject them. In-store
 * codes outside these ranges are rejected as well: give such items a UPC or EAN instead.
 */
export function validatePlu(code: string): CheckResult {
  if (!DIGITS.test(code)) return fail(`PLU must contain only digits, got "${code}"`);
  if (code.length === 4) return isFourDigitPlu(code) ? OK : fail(`PLU ${code} is outside the IFPS range 3000–4999`);
  if (code.length === 5) {
    if (code[0] !== '9') return fail(`a 5-digit PLU must start with 9 (organic), got ${code[0]}`);
    const base = code.slice(1);
    return isFourDigitPlu(base)
      ? OK
      : fail(`organic PLU ${code} must be 9 plus a PLU in 3000–4999, got 9 plus ${base}`);
  }
  return fail(`PLU must be 4 digits, or 5 digits starting with 9, got ${code.length}`);
}

/** Checks a barcode against the type it is declared as (format, length and check digit). */
export function validateBarcode(code: string, type: BarcodeType): CheckResult {
  switch (type) {
    case 'UPC':
      if (code.length === 12) return validateUpcA(code);
      if (code.length === 8) return validateUpcE(code);
      return fail(`UPC must be 12 digits (UPC-A) or 8 digits (UPC-E), got ${code.length}`);
    case 'EAN':
      return validateEan13(code);
    case 'EAN8':
      return validateEan8(code);
    case 'GTIN':
      return validateGtin14(code);
    case 'ISBN':
      return validateIsbn10(code);
    case 'PLU':
      return validatePlu(code);
  }
}

/**
 * Guesses the type from the length, for items whose retailer left `external_product_id_type` out:
 * 12 → UPC, 13 → EAN, 14 → GTIN, 10 → ISBN, 4 or 5 → PLU; any other length → null.
 *
 * Eight digits are either EAN-8 or UPC-E, and their check digits often agree: always when the last
 * of the UPC-E's six middle digits is 5–9 (the weights line up), by chance one time in ten otherwise.
 * So the number system decides: a UPC-E starts with 0 or 1, and EAN-8 codes starting with 0 are
 * restricted-circulation (in-store) numbers that a JWO catalog does not carry, so 8 digits starting
 * with 0 or 1 that pass the UPC-E check are UPC; everything else is EAN8, so that the problem reported
 * for an invalid code is the EAN-8 check digit. Whether a code is accepted does not depend on this
 * choice (it passes if either check holds); it decides the type sent to Amazon and the GTIN-14 used to
 * find one product listed under two SKUs.
 */
export function detectBarcodeType(code: string): BarcodeType | null {
  switch (code.length) {
    case 12:
      return 'UPC';
    case 13:
      return 'EAN';
    case 14:
      return 'GTIN';
    case 10:
      return 'ISBN';
    case 4:
    case 5:
      return 'PLU';
    case 8:
      return /^[01]/.test(code) && validateUpcE(code).ok ? 'UPC' : 'EAN8';
    default:
      return null;
  }
}

/**
 * One spelling per product, to find the same product listed under two SKUs, or null when the code is
 * not valid for its type. GS1 codes become the GTIN-14 they denote (zero-padded on the left, UPC-E
 * expanded first), because GS1 defines 036000291452 and 0036000291452 as the same GTIN. An ISBN-10
 * becomes the GTIN-14 of its 978 book EAN. PLUs stay as they are; at 4 or 5 digits they cannot
 * collide with a 14-digit GTIN.
 */
export function canonicalBarcode(code: string, type: BarcodeType): string | null {
  if (!validateBarcode(code, type).ok) return null;
  switch (type) {
    case 'PLU':
      return code;
    case 'ISBN': {
      const bookEanPayload = '978' + code.slice(0, 9);
      return '0' + bookEanPayload + gs1CheckDigit(bookEanPayload);
    }
    default:
      return (code.length === 8 && type === 'UPC' ? expandUpcE(code) : code).padStart(14, '0');
  }
}
