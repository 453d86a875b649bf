// The Kubernetes objects of the in-cluster registry, as plain data (no cluster calls here), so
// what gets applied can be read in one place. Why each choice is made is said next to it.
import { createHash } from 'node:crypto';
import type { V1Deployment, V1Namespace, V1PersistentVolumeClaim, V1Secret, V1Service } from '@kubernetes/client-node';
import { MANAGED_BY } from './clusterApply';

export const REGISTRY_NAME = 'devspace-registry';
export const AUTH_SECRET_NAME = 'devspace-registry-auth';
export const DATA_CLAIM_NAME = 'devspace-registry-data';
export const REGISTRY_PORT = 5000;
export const COMPONENT = { 'app.kubernetes.io/component': 'registry' } as const;
export const REGISTRY_LABELS = { ...MANAGED_BY, ...COMPONENT, 'app.kubernetes.io/name': REGISTRY_NAME } as const;
/** Selects everything ensure() creates (and what remove() deletes). */
export const REGISTRY_SELECTOR = Object.entries({ ...MANAGED_BY, ...COMPONENT }).map(([k, v]) => `${k}=${v}`).join(',');

export interface RegistryManifestParams {
  namespace: string;
  image: string;
  hostPort: number;
  htpasswd: string;
  username: string;
  password: string;
  /** PVC name, or undefined for an emptyDir. */
  dataClaim?: string;
  storageSize: string;
}

export function namespaceManifest(namespace: string): V1Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { ...REGISTRY_LABELS } } };
}

/**
 * The htpasswd file the registry reads, and the password itself: kept in the cluster too, so a
 * second machine (or a reinstalled app) reuses it instead of locking out images already pushed.
 */
export function authSecretManifest(p: RegistryManifestParams): V1Secret {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: AUTH_SECRET_NAME, namespace: p.namespace, labels: { ...REGISTRY_LABELS } },
    type: 'Opaque',
    data: { htpasswd: b64(p.htpasswd), username: b64(p.username), password: b64(p.password) },
  };
}

export function dataClaimManifest(p: RegistryManifestParams): V1PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: DATA_CLAIM_NAME, namespace: p.namespace, labels: { ...REGISTRY_LABELS } },
    // No storageClassName: the cluster's default class provisions it.
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: p.storageSize } } },
  };
}

export function deploymentManifest(p: RegistryManifestParams): V1Deployment {
  const podLabels = { ...REGISTRY_LABELS };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: REGISTRY_NAME, namespace: p.namespace, labels: { ...REGISTRY_LABELS } },
    spec: {
      replicas: 1,
      // A ReadWriteOnce volume can be held by one pod only (and a registry from before the proxy held
      // the hostPort, which its replacement's proxy needs free): replace, don't surge.
      strategy: { type: 'Recreate' },
      selector: { matchLabels: { 'app.kubernetes.io/name': REGISTRY_NAME, ...COMPONENT } },
      template: {
        metadata: {
          labels: podLabels,
          // Distribution reads htpasswd at start: a new password must restart the pod.
          annotations: { 'devspace.sh/htpasswd-sha256': createHash('sha256').update(p.htpasswd).digest('hex') },
        },
        spec: {
          containers: [
            {
              name: 'registry',
              image: p.image,
              // No hostPort here: the registry proxy DaemonSet holds localhost:<hostPort> on every
              // node (registryProxy.ts), so pods on any node pull, not only on this pod's node.
              ports: [{ name: 'registry', containerPort: REGISTRY_PORT, protocol: 'TCP' }],
              env: [
                { name: 'REGISTRY_AUTH', value: 'htpasswd' },
                { name: 'REGISTRY_AUTH_HTPASSWD_REALM', value: 'DevSpace Registry' },
                { name: 'REGISTRY_AUTH_HTPASSWD_PATH', value: '/auth/htpasswd' },
                { name: 'REGISTRY_HTTP_ADDR', value: `:${REGISTRY_PORT}` },
                { name: 'REGISTRY_STORAGE_DELETE_ENABLED', value: 'true' },
              ],
              volumeMounts: [
                { name: 'auth', mountPath: '/auth', readOnly: true },
                { name: 'data', mountPath: '/var/lib/registry' },
              ],
              // /v2/ answers 401 with auth on, and httpGet probes only count 200–399 as success;
              // `GET /` is Distribution's liveness route (200 without auth): the registry serves HTTP.
              readinessProbe: { httpGet: { path: '/', port: REGISTRY_PORT }, periodSeconds: 2, failureThreshold: 3 },
              livenessProbe: { tcpSocket: { port: REGISTRY_PORT }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 6 },
              resources: { requests: { cpu: '50m', memory: '64Mi' } },
            },
          ],
          volumes: [
            { name: 'auth', secret: { secretName: AUTH_SECRET_NAME, items: [{ key: 'htpasswd', path: 'htpasswd' }] } },
            p.dataClaim ? { name: 'data', persistentVolumeClaim: { claimName: p.dataClaim } } : { name: 'data', emptyDir: {} },
          ],
        },
      },
    },
  };
}

/** For pushes from inside the cluster (Kaniko): <name>.<namespace>.svc.cluster.local:5000. */
export function serviceManifest(p: RegistryManifestParams): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: REGISTRY_NAME, namespace: p.namespace, labels: { ...REGISTRY_LABELS } },
    spec: {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': REGISTRY_NAME, ...COMPONENT },
      ports: [{ name: 'registry', port: REGISTRY_PORT, targetPort: REGISTRY_PORT, protocol: 'TCP' }],
    },
  };
}
