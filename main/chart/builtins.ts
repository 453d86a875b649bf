// The built-in objects templates see besides .Values: .Chart (Chart.yaml with Helm's Go field
// names), .Release, .Capabilities and .Template, with Helm's defaults for `helm template`.

import type { ChartMetadata } from './chart';

export const HELM_VERSION = { Version: 'v3.16.3', GitCommit: 'cfd07493f46efc9debd9cc1b02a0961186df7fdf', GitTreeState: 'clean', GoVersion: 'go1.22.7' };
/** The Kubernetes version Helm assumes without a cluster (chartutil.DefaultCapabilities of Helm 3.16). */
export const DEFAULT_KUBE_VERSION = 'v1.31.0';

/** chart.Metadata as Go templates see it: every field present, Go zero values for the unset ones. */
export function chartObject(md: ChartMetadata, isRoot = true): Record<string, unknown> {
  return {
    IsRoot: isRoot,
    Name: md.name,
    Home: md.home ?? '',
    Sources: md.sources ?? null,
    Version: md.version,
    Description: md.description ?? '',
    Keywords: md.keywords ?? null,
    Maintainers: md.maintainers ? md.maintainers.map((m) => ({ Name: m.name, Email: m.email ?? '', URL: m.url ?? '' })) : null,
    Icon: md.icon ?? '',
    APIVersion: md.apiVersion,
    Condition: md.condition ?? '',
    Tags: md.tags ?? '',
    AppVersion: md.appVersion ?? '',
    Deprecated: md.deprecated ?? false,
    Annotations: md.annotations ?? null,
    KubeVersion: md.kubeVersion ?? '',
    Dependencies: md.dependencies
      ? md.dependencies.map((d) => ({
          Name: d.name,
          Version: d.version ?? '',
          Repository: d.repository ?? '',
          Condition: d.condition ?? '',
          Tags: d.tags ?? null,
          Enabled: d.enabled ?? false,
          ImportValues: d.importValues ?? null,
          Alias: d.alias ?? '',
        }))
      : null,
    Type: md.type ?? '',
  };
}

export interface ReleaseOptions {
  name: string;
  namespace?: string;
  revision?: number;
  isUpgrade?: boolean;
}

export function releaseObject(r: ReleaseOptions): Record<string, unknown> {
  const isUpgrade = r.isUpgrade ?? false;
  return {
    Name: r.name,
    Namespace: r.namespace ?? 'default',
    IsUpgrade: isUpgrade,
    IsInstall: !isUpgrade,
    // Release.Revision is a Go int.
    Revision: BigInt(r.revision ?? 1),
    Service: 'Helm',
  };
}

/** chartutil.KubeVersion: a Go struct, so `{{ .Capabilities.KubeVersion }}` prints its String(). */
export class KubeVersion {
  constructor(
    readonly Version: string,
    readonly Major: string,
    readonly Minor: string,
    readonly GitVersion: string,
  ) {}
  String(): string {
    return this.Version;
  }
  toString(): string {
    return this.Version;
  }
}

export function parseKubeVersion(v: string): KubeVersion | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?([-+].*)?$/.exec(v.trim());
  if (!m) return undefined;
  const version = `v${m[1]}.${m[2]}.${m[3] ?? '0'}${m[4] ?? ''}`;
  return new KubeVersion(version, m[1], m[2], version);
}

const DEFAULT_KINDS: Record<string, string[]> = {
  v1: ['ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'Namespace', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'Pod', 'ReplicationController', 'ResourceQuota', 'Secret', 'Service', 'ServiceAccount'],
  'admissionregistration.k8s.io/v1': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  'apiextensions.k8s.io/v1': ['CustomResourceDefinition'],
  'apiregistration.k8s.io/v1': ['APIService'],
  'apps/v1': ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  'authentication.k8s.io/v1': ['TokenReview'],
  'authorization.k8s.io/v1': ['SubjectAccessReview'],
  'autoscaling/v1': ['HorizontalPodAutoscaler'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'batch/v1': ['CronJob', 'Job'],
  'certificates.k8s.io/v1': ['CertificateSigningRequest'],
  'coordination.k8s.io/v1': ['Lease'],
  'discovery.k8s.io/v1': ['EndpointSlice'],
  'events.k8s.io/v1': ['Event'],
  'flowcontrol.apiserver.k8s.io/v1': ['FlowSchema', 'PriorityLevelConfiguration'],
  'networking.k8s.io/v1': ['Ingress', 'IngressClass', 'NetworkPolicy'],
  'node.k8s.io/v1': ['RuntimeClass'],
  'policy/v1': ['PodDisruptionBudget'],
  'rbac.authorization.k8s.io/v1': ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'storage.k8s.io/v1': ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
};

/**
 * The API versions Helm assumes without a cluster: group/version and group/version/kind, as
 * chartutil.DefaultVersionSet lists them (the stable groups of client-go's scheme).
 */
export const DEFAULT_API_VERSIONS: string[] = Object.entries(DEFAULT_KINDS).flatMap(([gv, kinds]) => [gv, ...kinds.map((k) => `${gv}/${k}`)]);

/** chartutil.VersionSet: `.Capabilities.APIVersions.Has "apps/v1"`. */
export class VersionSet {
  readonly #set: Set<string>;
  constructor(readonly versions: string[]) {
    this.#set = new Set(versions);
  }
  Has(apiVersion: unknown): boolean {
    return this.#set.has(String(apiVersion));
  }
  toGoJSON(): string[] {
    return this.versions;
  }
}

/** chartutil.Capabilities. */
export class Capabilities {
  readonly APIVersions: VersionSet;
  readonly HelmVersion: Record<string, string>;
  constructor(readonly KubeVersion: KubeVersion, apiVersions: string[]) {
    this.APIVersions = new VersionSet(apiVersions);
    this.HelmVersion = { ...HELM_VERSION };
  }
}

export function capabilitiesObject(kube: KubeVersion, apiVersions: string[]): Capabilities {
  return new Capabilities(kube, apiVersions);
}
