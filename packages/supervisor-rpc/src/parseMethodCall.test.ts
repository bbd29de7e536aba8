import { describe, expect, it } from 'vitest';
import { RpcFault } from './faults.js';
import { parseMethodCall } from './parseMethodCall.js';
import { serializeFault, serializeResponse } from './serializeResponse.js';
import { XmlRpcDouble } from './xmlRpcValue.js';

const call = (params: string, method = 'supervisor.x') => `<?xml version='1.0'?>\n<methodCall>\n<methodName>${method}</methodName>\n<params>\n${params}</params>\n</methodCall>\n`;
const param = (value: string) => `<param>\n<value>${value}</value>\n</param>\n`;

describe('parseMethodCall', () => {
  it("reads what Python's xmlrpc.client writes: every type, entities, nested arrays and structs", () => {
    const body = call(
      [
        param('<string>a &lt;b&gt; &amp; &#233;&#x1F600;</string>'),
        param('bare text'),
        param('<int>-42</int>'),
        param('<i4>7</i4>'),
        param('<boolean>1</boolean>'),
        param('<double>1.5e3</double>'),
        param('<base64>aGk=</base64>'),
        param('<dateTime.iso8601>20261201T23:59:58</dateTime.iso8601>'),
        param('<array><data>\n<value><int>1</int></value>\n<value><array><data></data></array></value>\n</data></array>'),
        param('<struct>\n<member>\n<name>methodName</name>\n<value><string>m</string></value>\n</member>\n</struct>'),
        param('<string/>'),
      ].join(''),
    );
    const parsed = parseMethodCall(body);
    expect(parsed.method).toBe('supervisor.x');
    expect(parsed.params).toEqual([
      'a <b> & é😀',
      'bare text',
      -42,
      7,
      true,
      new XmlRpcDouble(1500),
      Buffer.from('hi'),
      new Date(Date.UTC(2026, 11, 1, 23, 59, 58)),
      [1, []],
      { methodName: 'm' },
      '',
    ]);
    expect(parseMethodCall('<methodCall><methodName>system.listMethods</methodName></methodCall>')).toEqual({ method: 'system.listMethods', params: [] });
  });

  it.each([
    ['not XML', 'hello'],
    ['truncated', '<methodCall><methodName>x'],
    ['a DOCTYPE (no entity expansion)', '<!DOCTYPE x [<!ENTITY a "b">]><methodCall><methodName>&a;</methodName></methodCall>'],
    ['an unknown entity', '<methodCall><methodName>&a;</methodName></methodCall>'],
    ['CDATA', '<methodCall><methodName><![CDATA[x]]></methodName></methodCall>'],
    ['attributes', '<methodCall a="1"><methodName>x</methodName></methodCall>'],
    ['mismatched tags', '<methodCall><methodName>x</methodCall></methodName>'],
    ['no method name', '<methodCall><params/></methodCall>'],
    ['another root', '<methodResponse/>'],
    ['an int out of range', call(param('<int>2147483648</int>'))],
    ['a bad int', call(param('<int>1.5</int>'))],
    ['a bad boolean', call(param('<boolean>true</boolean>'))],
    ['an unknown type', call(param('<nil/>'))],
    ['a member without a value', call(param('<struct><member><name>a</name></member></struct>'))],
    ['deep nesting', call(param(`${'<array><data><value>'.repeat(50)}x${'</value></data></array>'.repeat(50)}`))],
    ['content after the root', '<methodCall><methodName>x</methodName></methodCall><x/>'],
  ])('refuses %s with an INCORRECT_PARAMETERS fault', (_what, body) => {
    let thrown: unknown;
    try {
      parseMethodCall(body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RpcFault);
    expect((thrown as RpcFault).code).toBe(2);
  });
});

describe('serializeResponse', () => {
  it('writes ints, booleans, strings (escaped; what XML cannot carry replaced), arrays and structs', () => {
    const xml = serializeResponse([1, true, 'a<&>\u0001b', { k: 2.5 }, 2 ** 40]);
    expect(xml).toContain('<value><int>1</int></value>');
    expect(xml).toContain('<value><boolean>1</boolean></value>');
    expect(xml).toContain('<value><string>a&lt;&amp;&gt;\ufffdb</string></value>');
    expect(xml).toContain('<name>k</name>\n<value><double>2.5</double></value>');
    expect(xml).toContain(`<int>${2 ** 31 - 1}</int>`);
    expect(serializeFault(new RpcFault('BAD_NAME', 'web'))).toContain('<name>faultString</name>\n<value><string>BAD_NAME: web</string></value>');
  });
});
