// Masterminds/semver v3 as Sprig exposes it: `semver` parses a version into an object with
// Go's methods (Major, Minor, Patch, Prerelease, Metadata, Original, String, Compare, …) and
// `semverCompare` checks a constraint: = != > < >= <= ~ ~> ^, x/X/* wildcards, hyphen ranges,
// comma/space for AND, || for OR, and the rule that a prerelease version only satisfies a
// constraint that itself names a prerelease.

import { goFunc, type FuncMap } from './signature';
import { goQuote } from './convert';

const NUM = '0123456789';
const ALLOWED = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-' + NUM;

const SEMVER_RE = 'v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const VERSION_RE = new RegExp(`^${SEMVER_RE}$`);

const containsOnly = (s: string, set: string) => [...s].every((c) => set.includes(c));

/** A *semver.Version. Methods are capitalised like Go's so templates can call .Major etc. */
export class SemverVersion {
  /** Go's type name, read by the template engine for %T and parameter checks. */
  static readonly goType = '*semver.Version';

  private constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: string,
    readonly metadata: string,
    readonly original: string,
  ) {}

  /** semver.NewVersion (the lenient parser: "v1", "1.2" and leading zeros are accepted). */
  static parse(v: string): SemverVersion {
    const m = VERSION_RE.exec(v);
    if (!m) throw new Error('Invalid Semantic Version');
    const seg = (s: string | undefined) => {
      const n = BigInt((s ?? '0').replace(/^\./, '') || '0');
      if (n >= 2n ** 64n) throw new Error(`Error parsing version segment: strconv.ParseUint: parsing ${goQuote(s ?? '')}: value out of range`);
      return n;
    };
    const pre = m[5] ?? '';
    const meta = m[8] ?? '';
    if (pre !== '') {
      for (const p of pre.split('.')) {
        if (containsOnly(p, NUM)) {
          if (p.length > 1 && p[0] === '0') throw new Error('Version segment starts with 0');
        } else if (!containsOnly(p, ALLOWED)) throw new Error('Invalid Prerelease string');
      }
    }
    if (meta !== '') {
      for (const p of meta.split('.')) if (!containsOnly(p, ALLOWED)) throw new Error('Invalid Metadata string');
    }
    return new SemverVersion(seg(m[1]), seg(m[2]), seg(m[3]), pre, meta, v);
  }

  compare(o: SemverVersion): number {
    for (const [a, b] of [
      [this.major, o.major],
      [this.minor, o.minor],
      [this.patch, o.patch],
    ]) {
      if (a !== b) return a < b ? -1 : 1;
    }
    if (this.pre === '' && o.pre === '') return 0;
    if (this.pre === '') return 1;
    if (o.pre === '') return -1;
    return comparePrerelease(this.pre, o.pre);
  }

  toString(): string {
    let s = `${this.major}.${this.minor}.${this.patch}`;
    if (this.pre) s += `-${this.pre}`;
    if (this.metadata) s += `+${this.metadata}`;
    return s;
  }

  goString(): string {
    return this.toString();
  }
  goTypeName(): string {
    return '*semver.Version';
  }
  toJSON(): string {
    return this.toString();
  }

  // Go methods, for templates: {{ (semver "1.2.3").Major }}
  Major(): bigint {
    return this.major;
  }
  Minor(): bigint {
    return this.minor;
  }
  Patch(): bigint {
    return this.patch;
  }
  Prerelease(): string {
    return this.pre;
  }
  Metadata(): string {
    return this.metadata;
  }
  Original(): string {
    return this.original;
  }
  String(): string {
    return this.toString();
  }
  Compare(o: SemverVersion): bigint {
    return BigInt(this.compare(o));
  }
  LessThan(o: SemverVersion): boolean {
    return this.compare(o) < 0;
  }
  GreaterThan(o: SemverVersion): boolean {
    return this.compare(o) > 0;
  }
  Equal(o: SemverVersion): boolean {
    return this.compare(o) === 0;
  }
  IncMajor(): SemverVersion {
    return new SemverVersion(this.major + 1n, 0n, 0n, '', '', `${this.major + 1n}.0.0`);
  }
  IncMinor(): SemverVersion {
    return new SemverVersion(this.major, this.minor + 1n, 0n, '', '', `${this.major}.${this.minor + 1n}.0`);
  }
  IncPatch(): SemverVersion {
    // A prerelease version's next patch is its release version, as in Masterminds/semver.
    const p = this.pre !== '' || this.metadata !== '' ? this.patch : this.patch + 1n;
    return new SemverVersion(this.major, this.minor, p, '', '', `${this.major}.${this.minor}.${p}`);
  }
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return o !== '' ? -1 : 1;
  if (o === '') return s !== '' ? 1 : -1;
  const sNum = /^\d+$/.test(s);
  const oNum = /^\d+$/.test(o);
  if (!sNum && !oNum) return s > o ? 1 : -1;
  if (!oNum) return -1; // numbers sort before strings
  if (!sNum) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

function comparePrerelease(v: string, o: string): number {
  const sp = v.split('.');
  const op = o.split('.');
  const l = Math.max(sp.length, op.length);
  for (let i = 0; i < l; i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

interface Constraint {
  con: SemverVersion;
  op: string;
  minorDirty: boolean;
  patchDirty: boolean;
  dirty: boolean;
}

const OPS = ['!=', '>=', '=>', '<=', '=<', '~>', '>', '<', '~', '^', '=', ''];
const CV = 'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const OPS_RE = OPS.map((o) => o.replace(/[\^*]/g, '\\$&')).join('|');
const CONSTRAINT_RE = new RegExp(`^\\s*(${OPS_RE})\\s*(${CV})\\s*$`);
const RANGE_RE = new RegExp(`\\s*(${CV})\\s+-\\s+(${CV})\\s*`, 'g');
const FIND_RE = new RegExp(`(${OPS_RE})\\s*(${CV})`, 'g');
const VALID_RE = new RegExp(`^(\\s*(${OPS_RE})\\s*(${CV})\\s*\\,?)+$`);

const isX = (s: string) => s === 'x' || s === 'X' || s === '*';

function parseConstraint(c: string): Constraint {
  if (c.length === 0) return { con: SemverVersion.parse('0.0.0'), op: '', minorDirty: false, patchDirty: false, dirty: true };
  const m = CONSTRAINT_RE.exec(c);
  if (!m) throw new Error(`improper constraint: ${c}`);
  const [, op, , major, minor = '', patch = '', , pre] = m;
  const suffix = pre !== undefined ? `-${pre}` : '';
  let ver = m[2];
  let minorDirty = false;
  let patchDirty = false;
  let dirty = false;
  if (isX(major) || major === '') {
    ver = `0.0.0${suffix}`;
    dirty = true;
  } else if (isX(minor.replace(/^\./, '')) || minor === '') {
    minorDirty = true;
    dirty = true;
    ver = `${major}.0.0${suffix}`;
  } else if (isX(patch.replace(/^\./, '')) || patch === '') {
    dirty = true;
    patchDirty = true;
    ver = `${major}${minor}.0${suffix}`;
  }
  let con: SemverVersion;
  try {
    con = SemverVersion.parse(ver);
  } catch {
    throw new Error('constraint Parser Error');
  }
  return { con, op, minorDirty, patchDirty, dirty };
}

// Charts check the same constraint against the cluster version again and again.
const parsedConstraints = new Map<string, Constraint[][]>();

/** semver.NewConstraint: OR groups of AND-ed constraints (cached; they are never mutated). */
export function parseConstraints(c: string): Constraint[][] {
  let groups = parsedConstraints.get(c);
  if (!groups) {
    groups = parseConstraintsUncached(c);
    if (parsedConstraints.size >= 512) parsedConstraints.delete(parsedConstraints.keys().next().value!);
    parsedConstraints.set(c, groups);
  }
  return groups;
}

function parseConstraintsUncached(c: string): Constraint[][] {
  const rewritten = c.replace(RANGE_RE, (_all, ...g: string[]) => {
    // Groups: 0 = first version, 10 = second version (CV has 9 groups of its own).
    return `>= ${g[0]}, <= ${g[10]} `;
  });
  return rewritten.split('||').map((part) => {
    if (!VALID_RE.test(part)) throw new Error(`improper constraint: ${part}`);
    const found = part.match(FIND_RE) ?? [part];
    return found.map(parseConstraint);
  });
}

function check(v: SemverVersion, c: Constraint): boolean {
  // A prerelease version only matches constraints that name a prerelease (semver issue 21).
  if (v.pre !== '' && c.con.pre === '') return false;
  const { con } = c;
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : v.compare(con) === 0;
    case '!=':
      return notEqual(v, c);
    case '>':
      return greaterThan(v, c);
    case '<':
      return v.compare(con) < 0;
    case '>=':
    case '=>':
      return v.compare(con) >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return v.compare(con) <= 0;
      if (v.major > con.major) return false;
      if (v.major === con.major && v.minor > con.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      return caret(v, c);
  }
  return false;
}

function notEqual(v: SemverVersion, c: Constraint): boolean {
  const { con } = c;
  if (c.dirty) {
    if (con.major !== v.major) return true;
    if (con.minor !== v.minor && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    if (con.patch !== v.patch && !c.patchDirty) return true;
    if (c.patchDirty) {
      if (v.pre !== '' || con.pre !== '') return comparePrerelease(v.pre, con.pre) !== 0;
      return false;
    }
  }
  return v.compare(con) !== 0;
}

function greaterThan(v: SemverVersion, c: Constraint): boolean {
  const { con } = c;
  if (!c.dirty) return v.compare(con) === 1;
  if (v.major > con.major) return true;
  if (v.major < con.major) return false;
  if (c.minorDirty) return false; // >11 needs 12 or higher
  if (c.patchDirty) return v.minor > con.minor; // >11.1 needs 11.2 or higher
  return v.compare(con) === 1;
}

function tilde(v: SemverVersion, c: Constraint): boolean {
  const { con } = c;
  if (v.compare(con) < 0) return false;
  // ~0.0.0 accepts everything, like >= 0.0.0.
  if (con.major === 0n && con.minor === 0n && con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== con.major) return false;
  if (v.minor !== con.minor && !c.minorDirty) return false;
  return true;
}

function caret(v: SemverVersion, c: Constraint): boolean {
  const { con } = c;
  if (v.compare(con) < 0) return false;
  if (con.major > 0n || c.minorDirty) return v.major === con.major;
  if (con.major === 0n && v.major > 0n) return false;
  if (con.minor > 0n || c.patchDirty) return v.minor === con.minor;
  if (con.minor === 0n && v.minor > 0n) return false;
  return con.patch === v.patch;
}

/** Constraints.Check */
export function satisfies(groups: Constraint[][], v: SemverVersion): boolean {
  return groups.some((and) => and.every((c) => check(v, c)));
}

export function semverFunctions(): FuncMap {
  return {
    semver: goFunc('semver', ['string'], (v: string) => SemverVersion.parse(v)),
    semverCompare: goFunc('semverCompare', ['string', 'string'], (constraint: string, version: string) => {
      const groups = parseConstraints(constraint);
      return satisfies(groups, SemverVersion.parse(version));
    }),
  };
}
