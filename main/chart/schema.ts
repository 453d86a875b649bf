// values.schema.json validation: the JSON Schema (draft-07) keywords charts use, reporting errors
// with the texts of gojsonschema, the validator behind Helm 3's
// "values don't meet the specifications of the schema(s) in the following chart(s):" message.

import { isPlainObject, marshalJson } from './goJson';

export interface SchemaError {
  /** Dotted field path like gojsonschema's: "(root)", "image.tag", "ports.0". */
  field: string;
  description: string;
}

type Schema = Record<string, unknown> | boolean;

function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return a === b;
}

function show(v: unknown): string {
  try {
    return marshalJson(v);
  } catch {
    return String(v);
  }
}

function fieldName(path: string[]): string {
  return path.length === 0 ? '(root)' : path.join('.');
}

/**
 * gojsonschema reports the errors of the alternative that got furthest: one whose type matched
 * beats one that failed on its type, then fewer errors win.
 */
function closer(a: SchemaError[], b: SchemaError[], path: string[]): boolean {
  const field = fieldName(path);
  const typeFail = (r: SchemaError[]) => r.some((e) => e.field === field && e.description.startsWith('Invalid type.'));
  const ta = typeFail(a);
  const tb = typeFail(b);
  if (ta !== tb) return !ta;
  return a.length < b.length;
}

class Validator {
  private readonly patterns = new Map<string, RegExp>();
  constructor(private readonly root: Schema) {}

  private resolveRef(ref: string): Schema {
    if (ref === '#') return this.root;
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref "${ref}": only references inside the schema (#/...) are supported`);
    let cur: unknown = this.root;
    for (const raw of ref.slice(2).split('/')) {
      const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (!isPlainObject(cur) && !Array.isArray(cur)) throw new Error(`$ref "${ref}" does not resolve`);
      cur = (cur as Record<string, unknown>)[part];
    }
    if (cur === undefined) throw new Error(`$ref "${ref}" does not resolve`);
    return cur as Schema;
  }

  private regex(p: string): RegExp {
    let r = this.patterns.get(p);
    if (!r) {
      r = new RegExp(p, 'u');
      this.patterns.set(p, r);
    }
    return r;
  }

  validate(schema: Schema, value: unknown, path: string[]): SchemaError[] {
    const errors: SchemaError[] = [];
    const add = (description: string, at: string[] = path) => errors.push({ field: fieldName(at), description });
    if (schema === true) return errors;
    if (schema === false) {
      add('False always fails validation');
      return errors;
    }
    if (!isPlainObject(schema)) return errors;
    if (typeof schema.$ref === 'string') {
      // draft-07: $ref replaces the rest of the schema.
      return this.validate(this.resolveRef(schema.$ref), value, path);
    }

    const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (types.length > 0) {
      const given = jsonType(value);
      const ok = types.includes(given) || (given === 'integer' && types.includes('number'));
      if (!ok) {
        const expected = types.length === 1 ? types[0] : `[${types.join(',')}]`;
        add(`Invalid type. Expected: ${expected}, given: ${given}`);
        return errors;
      }
    }

    // validateSchema: combinators.
    if (Array.isArray(schema.anyOf)) {
      let best: SchemaError[] | undefined;
      let valid = false;
      for (const s of schema.anyOf as Schema[]) {
        const r = this.validate(s, value, path);
        if (r.length === 0) {
          valid = true;
          break;
        }
        if (!best || closer(r, best, path)) best = r;
      }
      if (!valid) {
        add('Must validate at least one schema (anyOf)');
        if (best) errors.push(...best);
      }
    }
    if (Array.isArray(schema.oneOf)) {
      let count = 0;
      let best: SchemaError[] | undefined;
      for (const s of schema.oneOf as Schema[]) {
        const r = this.validate(s, value, path);
        if (r.length === 0) count++;
        else if (!best || closer(r, best, path)) best = r;
      }
      if (count !== 1) {
        add('Must validate one and only one schema (oneOf)');
        if (count === 0 && best) errors.push(...best);
      }
    }
    if (Array.isArray(schema.allOf)) {
      let validated = 0;
      for (const s of schema.allOf as Schema[]) {
        const r = this.validate(s, value, path);
        if (r.length === 0) validated++;
        errors.push(...r);
      }
      if (validated !== (schema.allOf as Schema[]).length) add('Must validate all the schemas (allOf)');
    }
    if (schema.not !== undefined && this.validate(schema.not as Schema, value, path).length === 0) {
      add('Must not validate the schema (not)');
    }
    if (schema.if !== undefined) {
      const ifValid = this.validate(schema.if as Schema, value, path).length === 0;
      if (ifValid && schema.then !== undefined) {
        const r = this.validate(schema.then as Schema, value, path);
        if (r.length > 0) {
          add('Must validate "then" as "if" was valid');
          errors.push(...r);
        }
      } else if (!ifValid && schema.else !== undefined) {
        const r = this.validate(schema.else as Schema, value, path);
        if (r.length > 0) {
          add('Must validate "else" as "if" was not valid');
          errors.push(...r);
        }
      }
    }

    const field = fieldName(path);
    const t = jsonType(value);
    if (t === 'object') this.validateObject(schema, value as Record<string, unknown>, path, errors, add);
    // validateCommon
    if (schema.const !== undefined && !deepEqual(value, schema.const)) add(`${field} does not match: ${show(schema.const)}`);
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => deepEqual(value, e))) {
      add(`${field} must be one of the following: ${schema.enum.map(show).join(', ')}`);
    }
    if (t === 'array') this.validateArray(schema, value as unknown[], path, errors, add);
    if (t === 'integer' || t === 'number') this.validateNumber(schema, num(value)!, add);
    if (t === 'string') this.validateString(schema, value as string, add);
    if (t === 'object') {
      const obj = value as Record<string, unknown>;
      const props = isPlainObject(schema.properties) ? schema.properties : {};
      for (const [k, s] of Object.entries(props)) {
        if (Object.prototype.hasOwnProperty.call(obj, k)) errors.push(...this.validate(s as Schema, obj[k], [...path, k]));
      }
    }
    return errors;
  }

  private validateObject(schema: Record<string, unknown>, obj: Record<string, unknown>, path: string[], errors: SchemaError[], add: (d: string, at?: string[]) => void): void {
    const keys = Object.keys(obj);
    const maxP = num(schema.maxProperties);
    if (maxP !== undefined && keys.length > maxP) add(`Must have at most ${maxP} properties`);
    const minP = num(schema.minProperties);
    if (minP !== undefined && keys.length < minP) add(`Must have at least ${minP} properties`);
    if (Array.isArray(schema.required)) {
      for (const r of schema.required as string[]) {
        if (!Object.prototype.hasOwnProperty.call(obj, r)) add(`${r} is required`);
      }
    }
    const props = isPlainObject(schema.properties) ? schema.properties : {};
    const patternProps = isPlainObject(schema.patternProperties) ? schema.patternProperties : {};
    for (const k of keys) {
      const matchedPatterns = Object.keys(patternProps).filter((p) => this.regex(p).test(k));
      for (const p of matchedPatterns) errors.push(...this.validate(patternProps[p] as Schema, obj[k], [...path, k]));
      if (Object.prototype.hasOwnProperty.call(props, k) || matchedPatterns.length > 0) continue;
      if (schema.additionalProperties === false) add(`Additional property ${k} is not allowed`);
      else if (isPlainObject(schema.additionalProperties)) errors.push(...this.validate(schema.additionalProperties, obj[k], [...path, k]));
    }
    if (schema.propertyNames !== undefined) {
      for (const k of keys) {
        const r = this.validate(schema.propertyNames as Schema, k, path);
        if (r.length > 0) add(`Property "${k}" does not match pattern`);
      }
    }
  }

  private validateArray(schema: Record<string, unknown>, arr: unknown[], path: string[], errors: SchemaError[], add: (d: string) => void): void {
    if (Array.isArray(schema.items)) {
      const tuple = schema.items as Schema[];
      arr.forEach((item, i) => {
        if (i < tuple.length) errors.push(...this.validate(tuple[i], item, [...path, String(i)]));
        else if (schema.additionalItems === false) add(`No additional items allowed on array`);
        else if (isPlainObject(schema.additionalItems)) errors.push(...this.validate(schema.additionalItems, item, [...path, String(i)]));
      });
    } else if (schema.items !== undefined) {
      arr.forEach((item, i) => errors.push(...this.validate(schema.items as Schema, item, [...path, String(i)])));
    }
    const minI = num(schema.minItems);
    if (minI !== undefined && arr.length < minI) add(`Array must have at least ${minI} items`);
    const maxI = num(schema.maxItems);
    if (maxI !== undefined && arr.length > maxI) add(`Array must have at most ${maxI} items`);
    if (schema.uniqueItems === true) {
      for (let i = 0; i < arr.length; i++) {
        for (let j = i + 1; j < arr.length; j++) {
          if (deepEqual(arr[i], arr[j])) {
            add(`array items[${i},${j}] must be unique`);
            return;
          }
        }
      }
    }
    if (schema.contains !== undefined && !arr.some((item, i) => this.validate(schema.contains as Schema, item, [...path, String(i)]).length === 0)) {
      add('At least one of the items must match');
    }
  }

  private validateNumber(schema: Record<string, unknown>, n: number, add: (d: string) => void): void {
    const multipleOf = num(schema.multipleOf);
    if (multipleOf !== undefined && multipleOf > 0) {
      const q = n / multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9) add(`Must be a multiple of ${multipleOf}`);
    }
    const max = num(schema.maximum);
    if (max !== undefined && n > max) add(`Must be less than or equal to ${max}`);
    const exMax = num(schema.exclusiveMaximum);
    if (exMax !== undefined && n >= exMax) add(`Must be less than ${exMax}`);
    const min = num(schema.minimum);
    if (min !== undefined && n < min) add(`Must be greater than or equal to ${min}`);
    const exMin = num(schema.exclusiveMinimum);
    if (exMin !== undefined && n <= exMin) add(`Must be greater than ${exMin}`);
  }

  private validateString(schema: Record<string, unknown>, s: string, add: (d: string) => void): void {
    const length = Array.from(s).length;
    const minL = num(schema.minLength);
    if (minL !== undefined && length < minL) add(`String length must be greater than or equal to ${minL}`);
    const maxL = num(schema.maxLength);
    if (maxL !== undefined && length > maxL) add(`String length must be less than or equal to ${maxL}`);
    if (typeof schema.pattern === 'string' && !this.regex(schema.pattern).test(s)) add(`Does not match pattern '${schema.pattern}'`);
  }
}

/** Validates values against one chart's schema; returns gojsonschema-style errors (empty when valid). */
export function validateValues(schema: unknown, values: unknown): SchemaError[] {
  const v = new Validator(schema as Schema);
  return v.validate(schema as Schema, values, []);
}

/** The "- field: description" lines Helm prints per error. */
export function formatSchemaErrors(errors: SchemaError[]): string {
  return errors.map((e) => `- ${e.field}: ${e.description}\n`).join('');
}
