// YAML as Helm reads it: sigs.k8s.io/yaml, i.e. go-yaml v2's YAML 1.1 rules, then JSON: yes/no/
// on/off/y/n are booleans, every number becomes a float64 (a JS number), timestamps and
// sexagesimal numbers stay strings. Writing is in yamlWriter.ts.

import { parseAllDocuments, type Tags } from 'yaml';
import { formatFloatG, setOwn } from './goJson';

export { marshalYaml, goYamlKeyLess } from './yamlWriter';

export class YamlSyntaxError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
    this.name = 'YamlSyntaxError';
  }
}

const KEPT_TAGS = new Set(['tag:yaml.org,2002:map', 'tag:yaml.org,2002:seq', 'tag:yaml.org,2002:str', 'tag:yaml.org,2002:binary', 'tag:yaml.org,2002:merge']);

/** Go's strconv.ParseInt(s, 0, 64) / ParseUint as go-yaml v2 calls them (after dropping '_'). */
function goParseInt(plain: string): number | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)$/.exec(plain);
  if (!m) return undefined;
  const body = m[2];
  let n: bigint;
  if (/^0[xXbBoO]/.test(body)) n = BigInt(body.replace(/^0[oO]/, '0o'));
  else if (body.length > 1 && body[0] === '0') n = BigInt('0o' + body.slice(1));
  else n = BigInt(body);
  if (m[1] === '-') n = -n;
  if (n < -(2n ** 63n) || n >= 2n ** 64n) return undefined;
  return Number(n);
}

const V2_FLOAT_RE = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** go-yaml v2's resolve() for plain scalars that look numeric; undefined means "a string". */
function goResolveNumber(s: string): number | undefined {
  switch (s) {
    case '.inf': case '.Inf': case '.INF': case '+.inf': case '+.Inf': case '+.INF': return Infinity;
    case '-.inf': case '-.Inf': case '-.INF': return -Infinity;
    case '.nan': case '.NaN': case '.NAN': return NaN;
  }
  // After a leading dot v2 calls ParseFloat on the text as is; otherwise it drops '_' first.
  if (s[0] === '.') return V2_FLOAT_RE.test(s) ? Number(s) : undefined;
  const plain = s.replace(/_/g, '');
  const i = goParseInt(plain);
  if (i !== undefined) return i;
  if (V2_FLOAT_RE.test(plain)) return Number(plain);
  return undefined;
}

const GO_YAML_SCALARS = [
  { tag: 'tag:yaml.org,2002:null', default: true, identify: () => false, test: /^(?:~|null|Null|NULL)?$/, resolve: () => null },
  { tag: 'tag:yaml.org,2002:bool', default: true, identify: () => false, test: /^(?:y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE)$/, resolve: () => true },
  { tag: 'tag:yaml.org,2002:bool', default: true, identify: () => false, test: /^(?:n|N|no|No|NO|off|Off|OFF|false|False|FALSE)$/, resolve: () => false },
  {
    tag: 'tag:yaml.org,2002:float',
    default: true,
    identify: () => false,
    // go-yaml v2 only tries numbers for plain scalars starting with a digit, a sign or a dot.
    test: /^[-+.0-9]/,
    resolve: (s: string) => goResolveNumber(s) ?? s,
  },
];

function goYamlTags(tags: Tags): Tags {
  // go-yaml v2's YAML 1.1 resolution: its own null/bool/number rules; timestamps and sexagesimal
  // numbers (1:20) stay plain strings.
  const kept = tags.filter((t) => KEPT_TAGS.has((t as { tag: string }).tag));
  return [...(GO_YAML_SCALARS as unknown as Tags), ...kept];
}

/** Converts parsed YAML into the JSON data model sigs.k8s.io/yaml produces. */
function toJsonModel(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(toJsonModel);
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, val] of v) setOwn(out, keyString(k), toJsonModel(val));
    return out;
  }
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) setOwn(out, k, toJsonModel(val));
    return out;
  }
  return String(v);
}

function keyString(k: unknown): string {
  if (typeof k === 'number') return Number.isInteger(k) ? String(k) : formatFloatG(k);
  if (k === null || k === undefined) return 'null';
  return String(k);
}

/**
 * Parses the first YAML document like sigs.k8s.io/yaml.Unmarshal into interface{}. An empty
 * document gives null. Throws YamlSyntaxError with the 1-based line of the problem.
 */
export function parseYaml(text: string): unknown {
  const docs = parseAllDocuments(text, {
    version: '1.1',
    schema: 'yaml-1.1',
    merge: true,
    uniqueKeys: false,
    customTags: goYamlTags,
    prettyErrors: false,
  });
  const list = Array.isArray(docs) ? docs : [docs];
  const doc = list[0];
  if (doc === undefined) return null;
  const err = doc.errors[0];
  if (err !== undefined) {
    const offset = err.pos?.[0];
    const line = err.linePos?.[0]?.line ?? (offset === undefined ? undefined : text.slice(0, offset).split('\n').length);
    const reason = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new YamlSyntaxError(`yaml: ${line !== undefined ? `line ${line}: ` : ''}${reason}`, line);
  }
  return toJsonModel(doc.toJS({ maxAliasCount: 10000 }));
}
