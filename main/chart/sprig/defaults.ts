// Sprig's default-value and JSON functions (defaults.go): default, empty, coalesce, all, any,
// ternary and the toJson/fromJson family. Helm replaces toJson/fromJson with its own versions;
// Sprig's are still provided here for the plain Sprig function map.

import { goFunc, type FuncMap } from './signature';
import { isEmpty } from './convert';
import { marshalJson, unmarshalJson } from './json';

function orEmpty(f: () => string): string {
  try {
    return f();
  } catch {
    return '';
  }
}

export function defaultFunctions(): FuncMap {
  const toJson = (v: unknown) => marshalJson(v, { escapeHTML: true });
  const toPrettyJson = (v: unknown) => marshalJson(v, { escapeHTML: true, indent: '  ' });
  const toRawJson = (v: unknown) => marshalJson(v, { escapeHTML: false });
  return {
    default: goFunc('default', ['any'], (d: unknown, ...given: unknown[]) => (given.length === 0 || isEmpty(given[0]) ? d : given[0]), 'any'),
    empty: goFunc('empty', ['any'], isEmpty),
    coalesce: goFunc('coalesce', [], (...v: unknown[]) => v.find((x) => !isEmpty(x)) ?? null, 'any'),
    all: goFunc('all', [], (...v: unknown[]) => v.every((x) => !isEmpty(x)), 'any'),
    any: goFunc('any', [], (...v: unknown[]) => v.some((x) => !isEmpty(x)), 'any'),
    ternary: goFunc('ternary', ['any', 'any', 'bool'], (vt: unknown, vf: unknown, v: boolean) => (v ? vt : vf)),
    fromJson: goFunc('fromJson', ['string'], (v: string) => {
      try {
        return unmarshalJson(v);
      } catch {
        return null;
      }
    }),
    mustFromJson: goFunc('mustFromJson', ['string'], unmarshalJson),
    toJson: goFunc('toJson', ['any'], (v: unknown) => orEmpty(() => toJson(v))),
    mustToJson: goFunc('mustToJson', ['any'], toJson),
    toPrettyJson: goFunc('toPrettyJson', ['any'], (v: unknown) => orEmpty(() => toPrettyJson(v))),
    mustToPrettyJson: goFunc('mustToPrettyJson', ['any'], toPrettyJson),
    toRawJson: goFunc('toRawJson', ['any'], (v: unknown) => orEmpty(() => toRawJson(v))),
    mustToRawJson: goFunc('mustToRawJson', ['any'], toRawJson),
  };
}
