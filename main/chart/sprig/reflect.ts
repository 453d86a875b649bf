// Sprig's reflection functions (reflect.go): typeOf/typeIs/typeIsLike use Go's %T names
// (int, float64, string, bool, []interface {}, map[string]interface {}, time.Time, …), and
// kindOf/kindIs use reflect.Kind names (int, float64, string, bool, slice, map, struct, ptr).

import { goFunc, type FuncMap } from './signature';
import { deepEqual, goKind, goTypeName } from './convert';

export function reflectFunctions(): FuncMap {
  return {
    typeOf: goFunc('typeOf', ['any'], goTypeName),
    typeIs: goFunc('typeIs', ['string', 'any'], (target: string, src: unknown) => target === goTypeName(src)),
    typeIsLike: goFunc('typeIsLike', ['string', 'any'], (target: string, src: unknown) => {
      const t = goTypeName(src);
      return target === t || '*' + target === t;
    }),
    kindOf: goFunc('kindOf', ['any'], goKind),
    kindIs: goFunc('kindIs', ['string', 'any'], (target: string, src: unknown) => target === goKind(src)),
    deepEqual: goFunc('deepEqual', ['any', 'any'], deepEqual),
  };
}
