import { RpcFault } from './faults.js';
import { XmlRpcDouble, type XmlRpcValue } from './xmlRpcValue.js';

/** One parsed <methodCall>. */
export interface MethodCall {
  method: string;
  params: XmlRpcValue[];
}

/** Bounds on what a request may make the parser do (the body size is bounded by the server). */
export const PARSE_LIMITS = { maxDepth: 40, maxElements: 200_000 };

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

interface Element {
  name: string;
  children: Element[];
  /** Text directly inside this element (entities decoded). */
  text: string;
  /** Whether non-whitespace text sat beside child elements. */
  mixed: boolean;
}

const bad = (why: string) => new RpcFault('INCORRECT_PARAMETERS', `invalid XML-RPC request: ${why}`);

/**
 * Parses an XML-RPC <methodCall>: a strict reader of the subset XML-RPC uses (elements, text,
 * the five entities and character references, comments, an XML declaration). A DOCTYPE, CDATA,
 * processing instructions and attributes are refused, so no entity expansion or external
 * reference can happen. Every problem is an RpcFault, never another error.
 */
export function parseMethodCall(body: string): MethodCall {
  const root = parseDocument(body);
  if (root.name !== 'methodCall') throw bad(`the root element is <${root.name}>, not <methodCall>`);
  let method: string | undefined;
  const params: XmlRpcValue[] = [];
  let sawParams = false;
  for (const child of root.children) {
    if (child.name === 'methodName' && method === undefined) {
      if (child.children.length > 0) throw bad('<methodName> holds elements');
      method = child.text.trim();
    } else if (child.name === 'params' && !sawParams) {
      sawParams = true;
      for (const param of child.children) {
        if (param.name !== 'param') throw bad(`<${param.name}> in <params>`);
        params.push(readValue(only(param, 'value')));
      }
    } else {
      throw bad(`unexpected <${child.name}> in <methodCall>`);
    }
  }
  if (!method) throw bad('no <methodName>');
  return { method, params };
}

function only(element: Element, name: string): Element {
  if (element.children.length !== 1 || element.children[0]!.name !== name || element.mixed) throw bad(`<${element.name}> must hold one <${name}>`);
  return element.children[0]!;
}

function readValue(value: Element): XmlRpcValue {
  if (value.name !== 'value') throw bad(`<${value.name}> where a <value> belongs`);
  if (value.children.length === 0) return value.text;
  const typed = only(value, value.children[0]!.name);
  const leaf = () => {
    if (typed.children.length > 0) throw bad(`<${typed.name}> holds elements`);
    return typed.text;
  };
  switch (typed.name) {
    case 'string':
      return leaf();
    case 'int':
    case 'i4': {
      const text = leaf().trim();
      if (!/^[+-]?\d{1,10}$/.test(text)) throw bad(`<${typed.name}>${text.slice(0, 40)}</${typed.name}> is not an integer`);
      const n = Number(text);
      if (n < INT_MIN || n > INT_MAX) throw bad(`${text} does not fit XML-RPC's 32-bit <int>`);
      return n;
    }
    case 'boolean': {
      const text = leaf().trim();
      if (text !== '0' && text !== '1') throw bad(`<boolean> must be 0 or 1, not ${text.slice(0, 40)}`);
      return text === '1';
    }
    case 'double': {
      const text = leaf().trim();
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw bad(`<double>${text.slice(0, 40)}</double> is not a number`);
      return new XmlRpcDouble(Number(text));
    }
    case 'base64': {
      const text = leaf().replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw bad('<base64> is not base64');
      return Buffer.from(text, 'base64');
    }
    case 'dateTime.iso8601': {
      const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(leaf().trim());
      if (!m) throw bad('<dateTime.iso8601> is not YYYYMMDDTHH:MM:SS');
      return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
    }
    case 'array': {
      const data = only(typed, 'data');
      if (data.mixed) throw bad('text in <data>');
      return data.children.map(readValue);
    }
    case 'struct': {
      if (typed.mixed) throw bad('text in <struct>');
      const struct: { [key: string]: XmlRpcValue } = Object.create(null);
      for (const member of typed.children) {
        if (member.name !== 'member' || member.mixed) throw bad(`<${member.name}> in <struct>`);
        const name = member.children.find((c) => c.name === 'name');
        const val = member.children.find((c) => c.name === 'value');
        if (!name || !val || member.children.length !== 2 || name.children.length > 0) throw bad('a <member> needs one <name> and one <value>');
        struct[name.text] = readValue(val);
      }
      return struct;
    }
    default:
      throw bad(`unknown type <${typed.name}>`);
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeText(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&]{0,12});?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw bad('an unterminated entity reference');
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      if (!/^#(x[0-9a-fA-F]+|\d+)$/.test(ref) || !Number.isFinite(code) || code > 0x10ffff || code < 1) throw bad(`bad character reference &${ref};`);
      return String.fromCodePoint(code);
    }
    const text = ENTITIES[ref];
    if (text === undefined) throw bad(`unknown entity &${ref.slice(0, 12)};`);
    return text;
  });
}

const NAME = /^[A-Za-z_][\w.:-]*$/;

function parseDocument(input: string): Element {
  let text = input.startsWith('\ufeff') ? input.slice(1) : input;
  let pos = 0;
  const skipMisc = () => {
    for (;;) {
      while (pos < text.length && /\s/.test(text[pos]!)) pos += 1;
      if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos + 4);
        if (end < 0) throw bad('an unterminated comment');
        pos = end + 3;
      } else return;
    }
  };
  if (text.startsWith('<?xml', pos)) {
    const end = text.indexOf('?>', pos);
    if (end < 0) throw bad('an unterminated XML declaration');
    pos = end + 2;
  }
  skipMisc();
  const stack: Element[] = [];
  let root: Element | undefined;
  let elements = 0;
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    if (stack.length === 0) {
      if (root) {
        skipMisc();
        if (pos < text.length) throw bad('content after the root element');
        break;
      }
      if (lt !== pos) throw bad('text before the root element');
    }
    if (lt < 0) throw bad('the document ends inside an element');
    if (lt > pos) {
      const chunk = decodeText(text.slice(pos, lt));
      const top = stack[stack.length - 1]!;
      top.text += chunk;
      pos = lt;
      continue;
    }
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      if (end < 0) throw bad('an unterminated comment');
      pos = end + 3;
      continue;
    }
    if (text.startsWith('<!', pos) || text.startsWith('<?', pos)) throw bad('DOCTYPE, CDATA and processing instructions are not accepted');
    const gt = text.indexOf('>', pos);
    if (gt < 0) throw bad('an unterminated tag');
    let tag = text.slice(pos + 1, gt);
    pos = gt + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw bad(`</${name.slice(0, 40)}> does not close <${open?.name ?? ''}>`);
      if (open.children.length > 0) {
        if (open.text.trim() !== '') open.mixed = true;
        open.text = '';
      }
      continue;
    }
    const selfClosing = tag.endsWith('/');
    if (selfClosing) tag = tag.slice(0, -1);
    const name = tag.trim();
    if (!NAME.test(name)) throw bad(`a tag with attributes or a bad name: <${tag.slice(0, 40)}>`);
    elements += 1;
    if (elements > PARSE_LIMITS.maxElements) throw bad('too many elements');
    const element: Element = { name, children: [], text: '', mixed: false };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else if (!root) root = element;
    if (!selfClosing) {
      stack.push(element);
      if (stack.length > PARSE_LIMITS.maxDepth) throw bad('nested too deeply');
    }
  }
  if (!root) throw bad('an empty document');
  if (stack.length > 0) throw bad(`<${stack[stack.length - 1]!.name}> is never closed`);
  text = '';
  return root;
}
