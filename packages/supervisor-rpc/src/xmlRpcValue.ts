/** A double as received (XML-RPC tells <int> from <double>; JavaScript numbers do not). */
export class XmlRpcDouble {
  constructor(readonly value: number) {}
}

/**
 * The values XML-RPC carries. Sent: an integer number is an <int>, any other number a
 * <double>; a Buffer is <base64>; a Date is <dateTime.iso8601>.
 */
export type XmlRpcValue = string | number | boolean | XmlRpcDouble | Date | Buffer | XmlRpcValue[] | { [key: string]: XmlRpcValue };

/** A struct (a plain object that is none of the other kinds). */
export function isStruct(value: XmlRpcValue): value is { [key: string]: XmlRpcValue } {
  return typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value) && !(value instanceof XmlRpcDouble);
}

/** XML-RPC's name of a value's type (what system.methodSignature speaks). */
export function xmlRpcType(value: XmlRpcValue): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (value instanceof XmlRpcDouble) return 'double';
  if (value instanceof Date) return 'dateTime.iso8601';
  if (Buffer.isBuffer(value)) return 'base64';
  if (Array.isArray(value)) return 'array';
  return 'struct';
}
