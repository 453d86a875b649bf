// Differential tests against Go's real text/template (compiled to wasm): the same template and
// data must give the same output, or both must fail with the same message.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { goCases } from './go-cases';
import { loadGoOracle, OracleResult } from './go-oracle';
import { execute } from './index';
import { action, grammarData, operand, printfAction, printfData, template, tokenSoup } from './template-grammar';

let go: ((t: string, d: unknown) => OracleResult) | null = null;
let unavailable = '';

beforeAll(async () => {
  try {
    go = await loadGoOracle();
  } catch (e) {
    unavailable = `Go oracle (@evertdespiegeleer/go-template) could not load: ${(e as Error).message}`;
    console.warn(`skipping differential tests: ${unavailable}`);
  }
});

function mine(t: string, data: unknown): string {
  try {
    return 'OK ' + execute(t, data, { name: 'tpl', missingKey: 'error' });
  } catch (e) {
    return 'ERR ' + (e as Error).message;
  }
}

function theirs(t: string, data: unknown): string {
  const r = go!(t, data);
  return r.ok ? 'OK ' + r.output : 'ERR ' + r.message;
}

describe('differential: TypeScript engine vs Go text/template', () => {
  it('the transcribed table still matches live Go', (ctx) => {
    if (!go) return ctx.skip(unavailable);
    const mismatches = goCases
      .map((c) => ({ t: c.template, go: theirs(c.template, c.data), table: c.err !== undefined ? 'ERR ' + c.err : 'OK ' + c.out }))
      .filter((m) => m.go !== m.table);
    expect(mismatches).toEqual([]);
  });

  it('generated actions give identical output or identical errors', (ctx) => {
    if (!go) return ctx.skip(unavailable);
    fc.assert(
      fc.property(action, (t) => {
        expect(mine(t, grammarData)).toBe(theirs(t, grammarData));
      }),
      { numRuns: 400, seed: 42 },
    );
  });

  it('printf with random flags, widths, precisions, indexes and verbs matches Go\'s fmt', (ctx) => {
    if (!go) return ctx.skip(unavailable);
    fc.assert(
      fc.property(printfAction, (t) => {
        expect(mine(t, printfData)).toBe(theirs(t, printfData));
      }),
      { numRuns: 1000, seed: 11 },
    );
  });

  it('token soup gives the same output or the same parse/exec error (line numbers included)', (ctx) => {
    if (!go) return ctx.skip(unavailable);
    const data = { a: 1, b: { c: 'x' } };
    fc.assert(
      fc.property(tokenSoup, (t) => {
        expect(mine(t, data)).toBe(theirs(t, data));
      }),
      { numRuns: 1000, seed: 13 },
    );
  });

  it('generated templates (control flow, variables, defines, trimming) match', (ctx) => {
    if (!go) return ctx.skip(unavailable);
    fc.assert(
      fc.property(template, (t) => {
        expect(mine(t, grammarData)).toBe(theirs(t, grammarData));
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it('generated actions match over random JSON documents', (ctx) => {
    if (!go) return ctx.skip(unavailable);
    const json = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    const keys = ['a', 'b', 'c', 'd', 'm', 'list', 't', 'n', 's', 'z', 'h', 'f', 'big', 'html'] as const;
    const doc = fc.record(Object.fromEntries(keys.map((k) => [k, json])) as Record<(typeof keys)[number], fc.Arbitrary<unknown>>);
    fc.assert(
      fc.property(operand, doc, (op, d) => {
        const t = `{{ ${op} }}`;
        expect(mine(t, d)).toBe(theirs(t, d));
      }),
      { numRuns: 500, seed: 5 },
    );
  });

  it('generated templates match with random JSON data', (ctx) => {
    if (!go) return ctx.skip(unavailable);
    const json = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    const data = fc.record({ a: json, b: json, c: fc.array(json, { maxLength: 3 }), d: fc.dictionary(fc.string({ maxLength: 3 }), json, { maxKeys: 3 }) });
    const tpl = fc.constantFrom(
      '{{ . }}', '{{ .a }}|{{ .b }}', '{{ printf "%v|%d|%s|%q|%x|%5.2f|%T" .a .a .b .b .a .a .c }}', '{{ range $k, $v := .d }}{{ $k }}={{ $v }};{{ end }}',
      '{{ range .c }}[{{ . }}]{{ else }}empty{{ end }}', '{{ if .a }}T{{ else }}F{{ end }}{{ with .b }}W{{ . }}{{ end }}', '{{ eq .a .b }}',
      '{{ lt .a .b }}', '{{ len .c }} {{ len .d }}', '{{ index .c 0 }}', '{{ .a.x }}', '{{ html .b }}{{ js .a }}{{ urlquery .c }}', '{{ print .a .b .c }}',
      '{{ println .d }}', '{{ not .a }}{{ and .a .b }}{{ or .a .b }}', '{{ printf "%#v" . }}', '{{ printf "%+v %e %g" .d .a .b }}',
    );
    fc.assert(
      fc.property(tpl, data, (t, d) => {
        expect(mine(t, d)).toBe(theirs(t, d));
      }),
      { numRuns: 400, seed: 3 },
    );
  });
});
