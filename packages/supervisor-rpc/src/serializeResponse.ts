import type { RpcFault } from './faults.js';
import { isStruct, XmlRpcDouble, type XmlRpcValue } from './xmlRpcValue.js';

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/** Characters XML 1.0 cannot carry at all (C0 controls but tab, CR, LF; lone surrogates; U+FFFE/F). */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/gu;

/** Escapes text for XML; what XML cannot carry (a log's control bytes) becomes U+FFFD. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, (c) => (c.length === 2 ? c : '\ufffd')).replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function serializeValue(value: XmlRpcValue): string {
  if (typeof value === 'string') return `<value><string>${escapeXml(value)}</string></value>`;
  if (typeof value === 'boolean') return `<value><boolean>${value ? 1 : 0}</boolean></value>`;
  if (typeof value === 'number') {
    // supervisord caps its timestamps to XML-RPC's int (capped_int); so do we.
    if (Number.isInteger(value)) return `<value><int>${Math.min(INT_MAX, Math.max(INT_MIN, value))}</int></value>`;
    return `<value><double>${Number.isFinite(value) ? value : 0}</double></value>`;
  }
  if (value instanceof XmlRpcDouble) return `<value><double>${value.value}</double></value>`;
  if (value instanceof Date) {
    const d = value;
    return `<value><dateTime.iso8601>${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}</dateTime.iso8601></value>`;
  }
  if (Buffer.isBuffer(value)) return `<value><base64>${value.toString('base64')}</base64></value>`;
  if (Array.isArray(value)) return `<value><array><data>\n${value.map(serializeValue).join('\n')}\n</data></array></value>`;
  if (isStruct(value)) {
    const members = Object.entries(value).map(([k, v]) => `<member>\n<name>${escapeXml(k)}</name>\n${serializeValue(v)}\n</member>`);
    return `<value><struct>\n${members.join('\n')}\n</struct></value>`;
  }
  throw new TypeError('not an XML-RPC value');
}

/** A <methodResponse> with one value, as Python's xmlrpc.client.dumps(methodresponse=True) writes it. */
export function serializeResponse(value: XmlRpcValue): string {
  return `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n${serializeValue(value)}\n</param>\n</params>\n</methodResponse>\n`;
}

export function serializeFault(fault: RpcFault): string {
  return `<?xml version='1.0'?>\n<methodResponse>\n<fault>\n${serializeValue({ faultCode: fault.code, faultString: fault.text })}\n</fault>\n</methodResponse>\n`;
}
