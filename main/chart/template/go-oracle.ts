// Test helper: Go's real text/template (Go 1.25, compiled to WebAssembly by the
// @evertdespiegeleer/go-template devDependency) as an oracle for differential tests. It executes
// with missingkey=error, names the template "tpl", has no extra functions, and decodes data from
// JSON (numbers become float64), exactly like Helm's values.

export type OracleResult = { ok: true; output: string } | { ok: false; phase: 'parse' | 'exec'; message: string };

type RenderFn = (template: string, json: string) => string;

let render: RenderFn | null = null;

/** Load the wasm module once; resolves to a synchronous render function. */
export async function loadGoOracle(): Promise<(template: string, data: unknown) => OracleResult> {
  if (!render) {
    const mod = (await import('@evertdespiegeleer/go-template')) as { parse: (t: string, v: unknown) => Promise<string> };
    await mod.parse('', {});
    render = (globalThis as unknown as { Render: RenderFn }).Render;
  }
  const r = render;
  return (template, data) => {
    const out = r(template, JSON.stringify(data));
    if (out.startsWith('Template parse error: ')) return { ok: false, phase: 'parse', message: out.slice('Template parse error: '.length) };
    if (out.startsWith('Template exec error: ')) return { ok: false, phase: 'exec', message: out.slice('Template exec error: '.length) };
    if (out.startsWith('JSON parse error:')) throw new Error(out);
    return { ok: true, output: out };
  };
}
