export * from './checkResult';
export * from './barcodes';
export * from './price';
export * from './catalogItem';
export * from './chunk';
export * from './csv';
export * from './import';
export * from './delta';
