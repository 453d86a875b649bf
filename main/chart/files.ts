// `.Files` in templates: the chart's non-template files with Helm's methods (engine/files.go).

import type { ChartFile } from './chart';
import { setOwn } from './goJson';
import { GO_MAP } from './template';
import { marshalYaml } from './yaml';

const decoder = new TextDecoder();

/** gobwas/glob with '/' as separator: '*' and '?' stay inside a path segment, '**' crosses them, {a,b} alternates. */
export function filesGlobToRegExp(pattern: string): RegExp {
  let re = '^';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      re += '(?:';
      depth++;
    } else if (c === '}' && depth > 0) {
      re += ')';
      depth--;
    } else if (c === ',' && depth > 0) re += '|';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) {
      i++;
      re += pattern[i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  if (depth !== 0) throw new Error(`unexpected end of pattern: ${pattern}`);
  return new RegExp(re + '$', 's');
}

function toYamlTrimmed(v: unknown): string {
  return marshalYaml(v).replace(/\n$/, '');
}

/**
 * Go's `engine.files` (map[string][]byte with methods). The files are own enumerable properties
 * (path → bytes), so the value is a map to code that ranges over it or marshals it; the methods
 * live on the prototype, where the template engine looks first, as Go does. `goMap` marks it as
 * a map type with methods for the engine (ranging over `.Files.Glob "…"` needs that).
 */
export class Files {
  static readonly goType = 'engine.files';
  static readonly goMap = true;
  [path: string]: Uint8Array | ((...args: never[]) => unknown);

  constructor(files: Map<string, Uint8Array>) {
    for (const [name, data] of files) setOwn(this as unknown as Record<string, unknown>, name, data);
  }

  /** The map's contents for the template engine's range/len/index. */
  [GO_MAP](): Record<string, Uint8Array> {
    return Object.fromEntries(this.entries());
  }

  private entries(): [string, Uint8Array][] {
    return Object.entries(this) as [string, Uint8Array][];
  }

  private file(name: unknown): Uint8Array | undefined {
    const key = String(name);
    return Object.prototype.hasOwnProperty.call(this, key) ? (this[key] as Uint8Array) : undefined;
  }

  /** The file's text, or "" when there is no such file. */
  Get(name: unknown): string {
    const d = this.file(name);
    return d === undefined ? '' : decoder.decode(d);
  }

  GetBytes(name: unknown): Uint8Array {
    return this.file(name) ?? new Uint8Array(0);
  }

  /** The files whose path matches a glob ('**' crosses directories). */
  Glob(pattern: unknown): Files {
    let re: RegExp;
    try {
      re = filesGlobToRegExp(String(pattern));
    } catch {
      return new Files(new Map());
    }
    return new Files(new Map(this.entries().filter(([name]) => re.test(name))));
  }

  /** The file's lines, without the final newline. */
  Lines(path: unknown): string[] {
    const d = this.file(path);
    if (d === undefined || d.length === 0) return [];
    let s = decoder.decode(d);
    if (s.endsWith('\n')) s = s.slice(0, -1);
    return s.split('\n');
  }

  /** The files as a ConfigMap's data: base name → content, as YAML. */
  AsConfig(): string {
    const entries = this.entries();
    if (entries.length === 0) return '';
    const m: Record<string, string> = {};
    for (const [name, data] of entries) setOwn(m, name.slice(name.lastIndexOf('/') + 1), decoder.decode(data));
    return toYamlTrimmed(m);
  }

  /** The files as a Secret's data: base name → base64 content, as YAML. */
  AsSecrets(): string {
    const m: Record<string, string> = {};
    for (const [name, data] of this.entries()) setOwn(m, name.slice(name.lastIndexOf('/') + 1), Buffer.from(data).toString('base64'));
    return toYamlTrimmed(m);
  }

  /** What toJson/toYaml print for .Files: Go marshals map[string][]byte with base64 values. */
  toGoJSON(): Record<string, Uint8Array> {
    return Object.fromEntries(this.entries());
  }
}

export function filesOf(list: ChartFile[]): Files {
  return new Files(new Map(list.map((f) => [f.name, f.data])));
}
