import {
  canonicalBarcode,
  detectBarcodeType,
  expandUpcE,
  gs1CheckDigit,
  isBarcodeType,
  isbn10CheckDigit,
  parseBarcodeType,
  validateBarcode,
  validateEan13,
  validateEan8,
  validateGtin14,
  validateIsbn10,
  validatePlu,
  validateUpcA,
  validateUpcE,
} from '../../../../src/domain/catalog';

describe('check digits', () => {
  it.each([
    ['UPC-A', '03600029145', 2],
    ['EAN-13', '400638133393', 1],
    ['EAN-8', '7351353', 7],
    ['GTIN-14', '1001234567890', 2],
  ])('computes the GS1 mod-10 check digit of a %s payload', (_type, payload, check) => {
    expect(gs1CheckDigit(payload)).toBe(check);
  });

  it('refuses a GS1 payload that is not digits', () => {
    expect(() => gs1CheckDigit('12a4')).toThrow(RangeError);
  });

  it('computes the ISBN-10 check character, X for ten', () => {
    expect(isbn10CheckDigit('030640615')).toBe('2');
    expect(isbn10CheckDigit('080442957')).toBe('X');
    expect(() => isbn10CheckDigit('03064061')).toThrow(RangeError);
  });
});

describe('validators for each type', () => {
  it.each([
    ['UPC-A', validateUpcA, '036000291452', '036000291455', 'UPC-A check digit should be 2, got 5'],
    ['EAN-13', validateEan13, '4006381333931', '4006381333932', 'EAN-13 check digit should be 1, got 2'],
    ['EAN-8', validateEan8, '73513537', '73513530', 'EAN-8 check digit should be 7, got 0'],
    ['UPC-E', validateUpcE, '04252614', '04252610', 'UPC-E check digit should be 4, got 0'],
    ['GTIN-14', validateGtin14, '10012345678902', '10012345678909', 'GTIN-14 check digit should be 2, got 9'],
    ['ISBN-10', validateIsbn10, '0306406152', '0306406153', 'ISBN-10 check digit should be 2, got 3'],
    ['ISBN-10 with X', validateIsbn10, '080442957X', '0804429570', 'ISBN-10 check digit should be X, got 0'],
  ])('%s: accepts a real code and names the right check digit of a wrong one', (_type, validate, good, bad, reason) => {
    expect(validate(good)).toEqual({ ok: true });
    expect(validate(bad)).toEqual({ ok: false, reason });
  });

  it('reports wrong lengths and non-digits before check digits', () => {
    expect(validateUpcA('03600029145')).toEqual({ ok: false, reason: 'UPC-A must be 12 digits, got 11' });
    expect(validateEan13('400638133393A')).toEqual({
      ok: false,
      reason: 'EAN-13 must contain only digits, got "400638133393A"',
    });
    expect(validateGtin14(' 0012345678902')).toMatchObject({ ok: false });
    expect(validateUpcE('0425261')).toEqual({ ok: false, reason: 'UPC-E must be 8 digits, got 7' });
  });

  it('UPC-E needs number system 0 or 1', () => {
    expect(validateUpcE('24252614')).toEqual({
      ok: false,
      reason: 'UPC-E must start with number system 0 or 1, got 2',
    });
  });

  it('ISBN-10 takes only an upper-case X, and only as the check character', () => {
    expect(validateIsbn10('080442957x')).toMatchObject({ ok: false });
    expect(validateIsbn10('08044295X7')).toMatchObject({ ok: false });
    expect(validateIsbn10('0-306-40615-2')).toEqual({
      ok: false,
      reason: 'ISBN-10 must be 9 digits followed by a digit or X, got "0-306-40615-2"',
    });
  });
});

describe('UPC-E expansion', () => {
  it.each([
    ['last digit 0–2: manufacturer d1 d2 d6 00, product 00 d3 d4 d5', '04252614', '042100005264'],
    ['last digit 0', '01234505', '012000003455'],
    ['last digit 3: manufacturer d1 d2 d3 00, product 000 d4 d5', '01234531', '012300000451'],
    ['last digit 4: manufacturer d1–d4 0, product 0000 d5', '01234543', '012340000053'],
    ['last digit 5–9: manufacturer d1–d5, product 0000 d6', '01234572', '012345000072'],
  ])('%s', (_rule, upcE, upcA) => {
    expect(expandUpcE(upcE)).toBe(upcA);
    expect(validateUpcE(upcE)).toEqual({ ok: true });
    expect(validateUpcA(upcA)).toEqual({ ok: true });
  });

  it('refuses what is not a UPC-E', () => {
    expect(() => expandUpcE('2425261')).toThrow(RangeError);
  });
});

describe('PLU (IFPS rule)', () => {
  it.each(['4011', '3000', '4999', '94011', '93000', '94999'])('accepts %s', (plu) => {
    expect(validatePlu(plu)).toEqual({ ok: true });
  });

  it.each([
    ['2999', 'PLU 2999 is outside the IFPS range 3000–4999'],
    ['5000', 'PLU 5000 is outside the IFPS range 3000–4999'],
    ['84011', 'a 5-digit PLU must start with 9 (organic), got 8'],
    ['92999', 'organic PLU 92999 must be 9 plus a PLU in 3000–4999, got 9 plus 2999'],
    ['401', 'PLU must be 4 digits, or 5 digits starting with 9, got 3'],
    ['40a1', 'PLU must contain only digits, got "40a1"'],
  ])('rejects %s', (plu, reason) => {
    expect(validatePlu(plu)).toEqual({ ok: false, reason });
  });
});

describe('validateBarcode', () => {
  it('takes UPC-A and UPC-E under Amazon\'s one name "UPC"', () => {
    expect(validateBarcode('036000291452', 'UPC')).toEqual({ ok: true });
    expect(validateBarcode('04252614', 'UPC')).toEqual({ ok: true });
    expect(validateBarcode('0360002914521', 'UPC')).toEqual({
      ok: false,
      reason: 'UPC must be 12 digits (UPC-A) or 8 digits (UPC-E), got 13',
    });
  });

  it.each([
    ['EAN', '4006381333931'],
    ['EAN8', '73513537'],
    ['GTIN', '10012345678902'],
    ['ISBN', '080442957X'],
    ['PLU', '94011'],
  ] as const)('checks %s', (type, code) => {
    expect(validateBarcode(code, type)).toEqual({ ok: true });
  });

  it('holds a code to its declared type', () => {
    expect(validateBarcode('036000291452', 'EAN')).toEqual({ ok: false, reason: 'EAN-13 must be 13 digits, got 12' });
  });
});

describe('detectBarcodeType', () => {
  it.each([
    ['036000291452', 'UPC'],
    ['4006381333931', 'EAN'],
    ['10012345678902', 'GTIN'],
    ['0306406152', 'ISBN'],
    ['080442957X', 'ISBN'],
    ['4011', 'PLU'],
    ['94011', 'PLU'],
    ['73513537', 'EAN8'],
  ])('reads %s as %s', (code, type) => {
    expect(detectBarcodeType(code)).toBe(type);
  });

  it('reads 8 digits as UPC-E only when the EAN-8 check fails and the UPC-E check holds', () => {
    expect(validateEan8('04252614').ok).toBe(false);
    expect(detectBarcodeType('04252614')).toBe('UPC');
  });

  it('reads a UPC-E number system (0 or 1) as UPC even when the EAN-8 check also holds', () => {
    expect(validateEan8('02345857').ok && validateUpcE('02345857').ok).toBe(true);
    expect(detectBarcodeType('02345857')).toBe('UPC');
  });

  it('keeps EAN8 for other prefixes, and when neither check holds', () => {
    expect(detectBarcodeType('73513537')).toBe('EAN8');
    expect(detectBarcodeType('73513530')).toBe('EAN8');
    expect(detectBarcodeType('02345850')).toBe('EAN8');
  });

  it('has no answer for other lengths', () => {
    expect(detectBarcodeType('03600029145')).toBeNull();
    expect(detectBarcodeType('')).toBeNull();
  });
});

describe('parseBarcodeType', () => {
  it.each([
    ['UPC', 'UPC'],
    ['upc-a', 'UPC'],
    ['UPC-E', 'UPC'],
    ['ean13', 'EAN'],
    ['EAN 8', 'EAN8'],
    ['gtin_14', 'GTIN'],
    ['ISBN-10', 'ISBN'],
    ['plu', 'PLU'],
  ])('reads "%s" as %s', (spelling, type) => {
    expect(parseBarcodeType(spelling)).toBe(type);
  });

  it.each(['QR', '', 'constructor', '__proto__'])('knows no type "%s"', (spelling) => {
    expect(parseBarcodeType(spelling)).toBeNull();
  });

  it("isBarcodeType accepts only Amazon's exact names", () => {
    expect(isBarcodeType('EAN8')).toBe(true);
    expect(isBarcodeType('ean8')).toBe(false);
    expect(isBarcodeType(8)).toBe(false);
  });
});

describe('canonicalBarcode', () => {
  it('gives every spelling of one GTIN the same GTIN-14', () => {
    expect(canonicalBarcode('036000291452', 'UPC')).toBe('00036000291452');
    expect(canonicalBarcode('0036000291452', 'EAN')).toBe('00036000291452');
    expect(canonicalBarcode('00036000291452', 'GTIN')).toBe('00036000291452');
    expect(canonicalBarcode('04252614', 'UPC')).toBe(canonicalBarcode('042100005264', 'UPC'));
    expect(canonicalBarcode('73513537', 'EAN8')).toBe('00000073513537');
  });

  it('maps an ISBN-10 to its 978 book EAN', () => {
    expect(canonicalBarcode('0306406152', 'ISBN')).toBe(canonicalBarcode('9780306406157', 'EAN'));
  });

  it('keeps PLUs as they are and has nothing for invalid codes', () => {
    expect(canonicalBarcode('94011', 'PLU')).toBe('94011');
    expect(canonicalBarcode('036000291455', 'UPC')).toBeNull();
  });
});
