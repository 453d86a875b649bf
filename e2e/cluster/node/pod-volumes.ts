// A pod's volumes as host directories the container runtime bind-mounts: emptyDir (per pod),
// secret / configMap / projected / downwardAPI (files written from objects read through the API),
// persistentVolumeClaim (one directory per claim that outlives the pod).
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { NodeError } from './buildah';
import type { Mount } from './container-process';

export type ObjectLookup = (kind: 'secrets' | 'configmaps', namespace: string, name: string) => Promise<any | undefined>;

export class VolumeError extends NodeError {}

interface KeyToPath { key: string; path: string; mode?: number }

function writeFiles(dir: string, data: Record<string, Buffer>, items: KeyToPath[] | undefined, mode: number, what: string): void {
  const entries: Array<[string, Buffer, number]> = items?.length
    ? items.map((i) => {
        const v = data[i.key];
        if (!v) throw new VolumeError('FailedMount', `configmap references non-existent config key: ${i.key}`.replace('configmap', what));
        return [i.path, v, i.mode ?? mode];
      })
    : Object.entries(data).map(([k, v]) => [k, v, mode]);
  for (const [p, v, m] of entries) {
    const file = join(dir, normalize(p).replace(/^(\.\.(\/|$))+/, ''));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, v);
    chmodSync(file, m);
  }
}

function decodeSecret(s: any): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries((s.data ?? {}) as Record<string, string>)) out[k] = Buffer.from(v, 'base64');
  for (const [k, v] of Object.entries((s.stringData ?? {}) as Record<string, string>)) out[k] = Buffer.from(v);
  return out;
}

function decodeConfigMap(c: any): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries((c.data ?? {}) as Record<string, string>)) out[k] = Buffer.from(v);
  for (const [k, v] of Object.entries((c.binaryData ?? {}) as Record<string, string>)) out[k] = Buffer.from(v, 'base64');
  return out;
}

export function fieldValue(pod: any, fieldPath: string): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (m) return pod.metadata?.[m[1]!]?.[m[2]!] ?? '';
  switch (fieldPath) {
    case 'metadata.name': return pod.metadata.name;
    case 'metadata.namespace': return pod.metadata.namespace ?? 'default';
    case 'metadata.uid': return pod.metadata.uid ?? '';
    case 'metadata.labels': return Object.entries(pod.metadata.labels ?? {}).map(([k, v]) => `${k}="${v}"`).join('\n');
    case 'metadata.annotations': return Object.entries(pod.metadata.annotations ?? {}).map(([k, v]) => `${k}="${v}"`).join('\n');
    case 'spec.nodeName': return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec.serviceAccountName ?? 'default';
    case 'status.podIP': case 'status.podIPs': return pod.status?.podIP ?? '';
    case 'status.hostIP': case 'status.hostIPs': return pod.status?.hostIP ?? '';
    default: throw new VolumeError('CreateContainerConfigError', `unsupported fieldPath: ${fieldPath}`);
  }
}

/** Writes every volume of `pod` under podDir/volumes; returns name → host directory. */
export async function prepareVolumes(pod: any, podDir: string, pvcRoot: string, lookup: ObjectLookup): Promise<Map<string, string>> {
  const ns = pod.metadata.namespace ?? 'default';
  const out = new Map<string, string>();
  for (const v of pod.spec.volumes ?? []) {
    const dir = join(podDir, 'volumes', v.name);
    if (v.persistentVolumeClaim) {
      const claimDir = join(pvcRoot, ns, v.persistentVolumeClaim.claimName);
      mkdirSync(claimDir, { recursive: true });
      out.set(v.name, claimDir);
      continue;
    }
    if (v.emptyDir || v.hostPath === undefined) mkdirSync(dir, { recursive: true });
    if (v.emptyDir) { chmodSync(dir, 0o777); out.set(v.name, dir); continue; }
    if (v.secret) {
      const s = await lookup('secrets', ns, v.secret.secretName);
      if (!s && !v.secret.optional) throw new VolumeError('FailedMount', `MountVolume.SetUp failed for volume "${v.name}" : secret "${v.secret.secretName}" not found`);
      rmSync(dir, { recursive: true, force: true }); mkdirSync(dir, { recursive: true });
      if (s) writeFiles(dir, decodeSecret(s), v.secret.items, v.secret.defaultMode ?? 0o644, 'secret');
    } else if (v.configMap) {
      const c = await lookup('configmaps', ns, v.configMap.name);
      if (!c && !v.configMap.optional) throw new VolumeError('FailedMount', `MountVolume.SetUp failed for volume "${v.name}" : configmap "${v.configMap.name}" not found`);
      rmSync(dir, { recursive: true, force: true }); mkdirSync(dir, { recursive: true });
      if (c) writeFiles(dir, decodeConfigMap(c), v.configMap.items, v.configMap.defaultMode ?? 0o644, 'configmap');
    } else if (v.downwardAPI) {
      for (const item of v.downwardAPI.items ?? []) if (item.fieldRef) writeFiles(dir, { [item.path]: Buffer.from(fieldValue(pod, item.fieldRef.fieldPath)) }, undefined, item.mode ?? 0o644, 'downwardAPI');
    } else if (v.projected) {
      for (const src of v.projected.sources ?? []) {
        const mode = v.projected.defaultMode ?? 0o644;
        if (src.secret) {
          const s = await lookup('secrets', ns, src.secret.name);
          if (!s && !src.secret.optional) throw new VolumeError('FailedMount', `MountVolume.SetUp failed for volume "${v.name}" : secret "${src.secret.name}" not found`);
          if (s) writeFiles(dir, decodeSecret(s), src.secret.items, mode, 'secret');
        } else if (src.configMap) {
          const c = await lookup('configmaps', ns, src.configMap.name);
          if (!c && !src.configMap.optional) throw new VolumeError('FailedMount', `MountVolume.SetUp failed for volume "${v.name}" : configmap "${src.configMap.name}" not found`);
          if (c) writeFiles(dir, decodeConfigMap(c), src.configMap.items, mode, 'configmap');
        } else if (src.downwardAPI) {
          for (const item of src.downwardAPI.items ?? []) if (item.fieldRef) writeFiles(dir, { [item.path]: Buffer.from(fieldValue(pod, item.fieldRef.fieldPath)) }, undefined, mode, 'downwardAPI');
        } else if (src.serviceAccountToken) {
          // The test cluster issues no service account tokens; the file exists so mounts succeed.
          writeFiles(dir, { [src.serviceAccountToken.path]: Buffer.from('test-cluster-has-no-service-account-tokens') }, undefined, mode, 'token');
        }
      }
    } else if (v.hostPath) {
      throw new VolumeError('FailedMount', `MountVolume.SetUp failed for volume "${v.name}" : hostPath volumes are not supported by the test node`);
    }
    out.set(v.name, dir);
  }
  return out;
}

/** The --volume mounts of one container from its volumeMounts. */
export function containerMounts(container: any, volumes: Map<string, string>): Mount[] {
  return (container.volumeMounts ?? []).map((m: any) => {
    const host = volumes.get(m.name);
    if (!host) throw new VolumeError('CreateContainerConfigError', `volume "${m.name}" not found in the pod spec`);
    const hostPath = m.subPath ? join(host, normalize(m.subPath).replace(/^(\.\.(\/|$))+/, '')) : host;
    if (m.subPath && !existsSync(hostPath)) mkdirSync(hostPath, { recursive: true });
    return { hostPath, containerPath: m.mountPath, readOnly: !!m.readOnly };
  });
}
