// Helm's values rules (pkg/chartutil coalesce.go, dependencies.go; pkg/cli/values), written as cases.
import { describe, expect, it } from 'vitest';
import type { LoadedChart } from './chart';
import { cloneChartTree, coalesceTables, coalesceValues, mergeMaps, processDependencies, userValues } from './values';

function chart(name: string, values: Record<string, unknown>, dependencies: LoadedChart[] = [], deps?: LoadedChart['metadata']['dependencies']): LoadedChart {
  return {
    metadata: { apiVersion: 'v2', name, version: '1.0.0', ...(deps ? { dependencies: deps } : {}) },
    values,
    templates: [],
    files: [],
    dependencies,
    source: `/charts/${name}`,
  };
}

const satisfies = () => true;

describe('user values (cli/values.MergeValues)', () => {
  it('merges files in order, then --set, then --set-string', () => {
    const v = userValues({
      files: [{ a: { b: 1, c: 2 }, list: [1, 2] }, { a: { c: 3 }, list: [9] }],
      set: ['a.d=4,list[1]=x'],
      setString: ['a.b=5'],
    });
    expect(v).toEqual({ a: { b: '5', c: 3, d: 4n }, list: [9, 'x'] });
  });

  it('mergeMaps replaces non-maps and merges maps', () => {
    expect(mergeMaps({ a: { x: 1 }, b: [1] }, { a: { y: 2 }, b: { z: 1 } })).toEqual({ a: { x: 1, y: 2 }, b: { z: 1 } });
  });
});

describe('coalescing (chartutil.CoalesceValues)', () => {
  it('lets user values win over chart defaults, merging maps and replacing lists', () => {
    const c = chart('web', { image: { repository: 'nginx', tag: 'stable' }, ports: [80, 443], replicas: 1 });
    expect(coalesceValues(c, { image: { tag: '1.25' }, ports: [8080] })).toEqual({
      image: { repository: 'nginx', tag: '1.25' },
      ports: [8080],
      replicas: 1,
    });
  });

  it('deletes a chart default set to null by the user, at any depth', () => {
    const c = chart('web', { a: 1, nested: { keep: true, drop: 'x' }, top: { x: 1 } });
    expect(coalesceValues(c, { a: null, nested: { drop: null }, top: null })).toEqual({ nested: { keep: true } });
  });

  it('keeps a user table when the default is a scalar, and the default table when the user gives a scalar', () => {
    const c = chart('web', { s: 'scalar', t: { x: 1 } });
    expect(coalesceValues(c, { s: { now: 'table' }, t: 'scalar' })).toEqual({ s: { now: 'table' }, t: 'scalar' });
  });

  it('does not modify the chart or the user values', () => {
    const c = chart('web', { a: { b: 1 } });
    const user = { a: { c: 2 } };
    coalesceValues(c, user);
    expect(c.values).toEqual({ a: { b: 1 } });
    expect(user).toEqual({ a: { c: 2 } });
  });

  it('gives a subchart its defaults under its name, the parent values overriding them', () => {
    const sub = chart('db', { port: 5432, user: 'app' });
    const parent = chart('web', { db: { user: 'web' } }, [sub]);
    expect(coalesceValues(parent, { db: { port: 6432 } })).toEqual({ db: { port: 6432, user: 'web', global: {} } });
  });

  it('copies globals down into subcharts, the parent winning over the subchart', () => {
    const leaf = chart('leaf', { global: { region: 'leaf', own: 1 } });
    const sub = chart('db', { global: { region: 'db', tier: 'data' } }, [leaf]);
    const parent = chart('web', { global: { region: 'eu', nested: { a: 1 } } }, [sub]);
    const v = coalesceValues(parent, { global: { nested: { b: 2 } } });
    expect(v.global).toEqual({ region: 'eu', nested: { a: 1, b: 2 } });
    const db = v.db as Record<string, unknown>;
    expect(db.global).toEqual({ region: 'eu', tier: 'data', nested: { a: 1, b: 2 } });
    expect((db.leaf as Record<string, unknown>).global).toEqual({ region: 'eu', tier: 'data', own: 1, nested: { a: 1, b: 2 } });
  });

  it('refuses a non-table value for a subchart', () => {
    const parent = chart('web', {}, [chart('db', {})]);
    expect(() => coalesceValues(parent, { db: 'oops' })).toThrow(/type mismatch on db/);
  });

  it('coalesceTables: dst authoritative, null in dst deletes', () => {
    expect(coalesceTables({ a: 1, b: null, c: { x: 1 } }, { a: 2, b: 3, c: { y: 2 }, d: 4 })).toEqual({ a: 1, c: { x: 1, y: 2 }, d: 4 });
  });
});

describe('dependencies (condition, tags, alias, import-values)', () => {
  const make = () => {
    const db = chart('db', { enabled: true, port: 5432, exports: { conn: { dbPort: 5432 } } });
    const cache = chart('cache', { size: 1 });
    const metrics = chart('metrics', { on: true });
    return chart('web', { db: { enabled: true }, tags: { monitoring: false } }, [db, cache, metrics], [
      { name: 'db', version: '1.x', condition: 'db.enabled', importValues: ['conn'] },
      { name: 'cache', alias: 'redis' },
      { name: 'metrics', tags: ['monitoring'] },
    ]);
  };

  it('drops a subchart whose condition is false', () => {
    const c = cloneChartTree(make());
    processDependencies(c, { db: { enabled: false } }, { satisfies });
    expect(c.dependencies.map((d) => d.metadata.name)).toEqual(['redis']);
  });

  it('drops a subchart whose tags are all false, and keeps it when a tag is true', () => {
    const c = cloneChartTree(make());
    processDependencies(c, {}, { satisfies });
    expect(c.dependencies.map((d) => d.metadata.name).sort()).toEqual(['db', 'redis']);
    const d = cloneChartTree(make());
    processDependencies(d, { tags: { monitoring: true } }, { satisfies });
    expect(d.dependencies.map((x) => x.metadata.name).sort()).toEqual(['db', 'metrics', 'redis']);
  });

  it('lets a condition win over tags', () => {
    const base = make();
    base.metadata.dependencies![2].condition = 'metrics.on';
    const c = cloneChartTree(base);
    processDependencies(c, {}, { satisfies });
    expect(c.dependencies.map((d) => d.metadata.name).sort()).toEqual(['db', 'metrics', 'redis']);
  });

  it('renames an aliased subchart and gives it values under the alias', () => {
    const c = cloneChartTree(make());
    processDependencies(c, {}, { satisfies });
    const v = coalesceValues(c, { redis: { size: 3 } });
    expect(v.redis).toEqual({ size: 3, global: {} });
    expect(v.cache).toBeUndefined();
  });

  it('imports exported values into the parent, the parent\'s own values winning', () => {
    const c = cloneChartTree(make());
    c.values.dbPort = 1;
    processDependencies(c, {}, { satisfies });
    expect(coalesceValues(c, {}).dbPort).toBe(1);
    const d = cloneChartTree(make());
    processDependencies(d, {}, { satisfies });
    expect(coalesceValues(d, {}).dbPort).toBe(5432);
  });

  it('imports child/parent pairs', () => {
    const base = make();
    base.metadata.dependencies![0].importValues = [{ child: 'exports.conn', parent: 'database' }];
    const c = cloneChartTree(base);
    processDependencies(c, {}, { satisfies });
    expect(coalesceValues(c, {}).database).toEqual({ dbPort: 5432 });
  });

  it('keeps the loaded chart untouched', () => {
    const base = make();
    processDependencies(cloneChartTree(base), { db: { enabled: false } }, { satisfies });
    expect(base.dependencies.map((d) => d.metadata.name)).toEqual(['db', 'cache', 'metrics']);
    expect(base.metadata.dependencies![1].name).toBe('cache');
  });
});

describe('nulls while processing dependencies (ProcessDependenciesWithMerge)', () => {
  it('keeps a parent\'s null for a subchart default until the final coalesce deletes it', () => {
    const sub = chart('db', { port: 5432, user: 'app', exports: { x: { a: 1 } } });
    const parent = chart('web', { db: { user: null } }, [sub], [{ name: 'db', importValues: ['x'] }]);
    const c = cloneChartTree(parent);
    processDependencies(c, {}, { satisfies });
    expect((c.values.db as Record<string, unknown>).user).toBeNull();
    const v = coalesceValues(c, {});
    expect(v.db).toEqual({ port: 5432, exports: { x: { a: 1 } }, global: {} });
    expect(v.a).toBe(1);
  });
});
