// Server-side apply field ownership: keyed list items, conflicts with Update managers, force, shared values.

import { describe, expect, it } from 'vitest';
import { serverSideApply } from './apply';
import { recordUpdate } from './managed-fields';

const res = { plural: 'deployments', group: 'apps' };
const dep = (containers: any[], replicas?: number) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { ...(replicas === undefined ? {} : { replicas }), template: { spec: { containers } } } });

describe('serverSideApply', () => {
  it('tracks keyed list items, so one manager can remove only its own container', () => {
    let live = serverSideApply(undefined, dep([{ name: 'app', image: 'a:1' }]), 'mgr-a', false, 'apps/v1', res).object;
    live = serverSideApply(live, dep([{ name: 'side', image: 's:1' }]), 'mgr-b', false, 'apps/v1', res).object;
    expect(live.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['app', 'side']);
    live = serverSideApply(live, dep([]), 'mgr-b', false, 'apps/v1', res).object;
    expect(live.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(live.metadata.managedFields.find((m: any) => m.manager === 'mgr-a').fieldsV1).toEqual({ 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } } });
  });

  it('conflicts with an Update manager that changed the field, names the path, and forces', () => {
    const base = serverSideApply(undefined, dep([{ name: 'app', image: 'a:1' }], 2), 'kubectl', false, 'apps/v1', res).object;
    const edited = structuredClone(base);
    edited.spec.replicas = 5;
    recordUpdate(base, edited, 'hpa', 'apps/v1');
    expect(() => serverSideApply(edited, dep([{ name: 'app', image: 'a:1' }], 3), 'kubectl', false, 'apps/v1', res)).toThrow('Apply failed with 1 conflict: conflict with "hpa" using apps/v1: .spec.replicas');
    const forced = serverSideApply(edited, dep([{ name: 'app', image: 'a:1' }], 3), 'kubectl', true, 'apps/v1', res).object;
    expect(forced.spec.replicas).toBe(3);
    expect(forced.metadata.managedFields.map((m: any) => m.manager)).toEqual(['kubectl']);
  });

  it('does not conflict when the other manager holds the same value', () => {
    const base = serverSideApply(undefined, dep([{ name: 'app', image: 'a:1' }]), 'one', false, 'apps/v1', res).object;
    const both = serverSideApply(base, dep([{ name: 'app', image: 'a:1' }]), 'two', false, 'apps/v1', res).object;
    expect(both.metadata.managedFields.map((m: any) => m.manager)).toEqual(['one', 'two']);
  });
});
