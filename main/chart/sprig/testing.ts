// Test helpers for the Sprig suites: a function map with a fixed clock, a seeded random source
// and UTC as "Local", and a table runner where each case is [function, args, expected] or
// [function, args, { error }] — the error being the Go/Sprig message the engine would wrap.

import { expect, it } from 'vitest';
import { sprigFunctions, type SprigOptions } from './index';

export const FIXED_NOW = new Date('2024-05-06T07:08:09.123Z');

/** A small deterministic PRNG (mulberry32) so random functions are repeatable in tests. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function fixture(extra: SprigOptions = {}) {
  return sprigFunctions({ now: () => FIXED_NOW, random: seeded(42), localZone: 'UTC', env: { HOME: '/home/dev', USER: 'dev' }, ...extra });
}

export type Case = [name: string, args: unknown[], expected: unknown];

const show = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));

/** Runs each case as its own test, named after the call. */
export function table(cases: Case[], funcs = fixture()): void {
  for (const [name, args, expected] of cases) {
    const title = `${name} ${args.map(show).join(' ')}`;
    if (expected !== null && typeof expected === 'object' && 'error' in (expected as object) && Object.keys(expected as object).length === 1) {
      const message = (expected as { error: string | RegExp }).error;
      it(`${title} fails`, () => {
        const fn = funcs[name];
        expect(fn, `function ${name} exists`).toBeTypeOf('function');
        let thrown: unknown;
        try {
          fn(...args);
        } catch (e) {
          thrown = e;
        }
        expect(thrown, 'it throws').toBeInstanceOf(Error);
        if (typeof message === 'string') expect((thrown as Error).message).toBe(message);
        else expect((thrown as Error).message).toMatch(message);
      });
    } else {
      it(`${title} → ${show(expected)}`, () => {
        const fn = funcs[name];
        expect(fn, `function ${name} exists`).toBeTypeOf('function');
        expect(fn(...args)).toEqual(expected);
      });
    }
  }
}

export const err = (error: string | RegExp) => ({ error });
