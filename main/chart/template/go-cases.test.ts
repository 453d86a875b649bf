// Table-driven: several hundred templates with Go's exact output or error text (go-cases.ts).
import { describe, expect, it } from 'vitest';
import { goCases } from './go-cases';
import { execute, TemplateError } from './index';

describe('text/template behaves like Go 1.25', () => {
  it('has several hundred cases, both outputs and errors', () => {
    expect(goCases.length).toBeGreaterThan(500);
    expect(goCases.filter((c) => c.err !== undefined).length).toBeGreaterThan(150);
    expect(goCases.filter((c) => c.out !== undefined).length).toBeGreaterThan(250);
  });

  it.each(goCases.map((c, i) => [i, c.template, c] as const))('#%i %s', (_i, _t, c) => {
    let out: string | undefined;
    let err: unknown;
    try {
      out = execute(c.template, c.data, { name: 'tpl', missingKey: 'error' });
    } catch (e) {
      err = e;
    }
    if (c.err !== undefined) {
      expect(err, `expected Go's error, got output ${JSON.stringify(out)}`).toBeInstanceOf(TemplateError);
      expect((err as TemplateError).message).toBe(c.err);
    } else {
      if (err) throw err;
      expect(out).toBe(c.out);
    }
  });
});
