// Defaulting as the real API server does it for the fields the app and kubectl read back
// (pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go, service IP allocation).

import type { KubeObject } from './store';

export interface DefaultContext {
  /** Hands out a free ClusterIP from 10.96.0.0/12. */
  allocateClusterIP(): string;
  allocateNodePort(): number;
}

function imageTag(image: string): string | undefined {
  if (image.includes('@')) return '@digest';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const i = last.indexOf(':');
  return i < 0 ? undefined : last.slice(i + 1);
}

function defaultProbe(p: any): void {
  if (!p) return;
  p.timeoutSeconds ??= 1; p.periodSeconds ??= 10; p.successThreshold ??= 1; p.failureThreshold ??= 3;
  if (p.httpGet) { p.httpGet.path ??= '/'; p.httpGet.scheme ??= 'HTTP'; }
}

function defaultContainer(c: any): void {
  if (typeof c.image === 'string' && c.image !== '' && !c.imagePullPolicy) {
    const tag = imageTag(c.image);
    c.imagePullPolicy = tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  // Requests default to limits (pkg/apis/core/v1 SetDefaults_ResourceList via the pod defaulter).
  if (c.resources.limits) c.resources.requests = { ...c.resources.limits, ...(c.resources.requests ?? {}) };
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  for (const e of c.env ?? []) if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  defaultProbe(c.livenessProbe); defaultProbe(c.readinessProbe); defaultProbe(c.startupProbe);
}

export function defaultPodSpec(spec: any): void {
  if (!spec) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) {
    if (v.secret) v.secret.defaultMode ??= 420;
    if (v.configMap) v.configMap.defaultMode ??= 420;
  }
}

function defaultTemplate(t: any): void {
  if (!t) return;
  t.metadata ??= {};
  t.metadata.creationTimestamp ??= null;
  defaultPodSpec(t.spec);
}

/** Guaranteed when every container's cpu and memory limits equal its requests, BestEffort with none. */
function qosClass(spec: any): string {
  const cs: any[] = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  const any = cs.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return 'BestEffort';
  const guaranteed = cs.every((c) => ['cpu', 'memory'].every((r) => {
    const lim = c.resources?.limits?.[r];
    const req = c.resources?.requests?.[r] ?? lim;
    return lim !== undefined && String(lim) === String(req);
  }));
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function applyDefaults(kind: string, obj: KubeObject, ctx: DefaultContext, isCreate: boolean): void {
  switch (kind) {
    case 'Pod': {
      defaultPodSpec(obj.spec);
      if (obj.spec) {
        obj.spec.serviceAccountName ??= obj.spec.serviceAccount ?? 'default';
        obj.spec.serviceAccount ??= obj.spec.serviceAccountName;
        obj.spec.enableServiceLinks ??= true;
        obj.spec.priority ??= 0;
        obj.spec.preemptionPolicy ??= 'PreemptLowerPriority';
        obj.spec.tolerations ??= [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ];
      }
      if (isCreate) {
        obj.status ??= {};
        obj.status.phase ??= 'Pending';
        obj.status.qosClass ??= qosClass(obj.spec);
      }
      break;
    }
    case 'Deployment': {
      const s = (obj.spec ??= {});
      s.replicas ??= 1;
      s.strategy ??= { type: 'RollingUpdate' };
      s.strategy.type ??= 'RollingUpdate';
      if (s.strategy.type === 'RollingUpdate') {
        s.strategy.rollingUpdate ??= {};
        s.strategy.rollingUpdate.maxSurge ??= '25%';
        s.strategy.rollingUpdate.maxUnavailable ??= '25%';
      }
      s.revisionHistoryLimit ??= 10;
      s.progressDeadlineSeconds ??= 600;
      defaultTemplate(s.template);
      break;
    }
    case 'DaemonSet': {
      // pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet
      const s = (obj.spec ??= {});
      s.updateStrategy ??= { type: 'RollingUpdate' };
      s.updateStrategy.type ??= 'RollingUpdate';
      if (s.updateStrategy.type === 'RollingUpdate') {
        s.updateStrategy.rollingUpdate ??= {};
        s.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
        s.updateStrategy.rollingUpdate.maxSurge ??= 0;
      }
      s.revisionHistoryLimit ??= 10;
      defaultTemplate(s.template);
      break;
    }
    case 'ReplicaSet': {
      const s = (obj.spec ??= {});
      s.replicas ??= 1;
      defaultTemplate(s.template);
      break;
    }
    case 'Service': {
      const s = (obj.spec ??= {});
      s.type ??= 'ClusterIP';
      s.sessionAffinity ??= 'None';
      if (s.type !== 'ExternalName') {
        if (isCreate && !s.clusterIP) s.clusterIP = ctx.allocateClusterIP();
        if (s.clusterIP && !s.clusterIPs) s.clusterIPs = [s.clusterIP];
        s.ipFamilies ??= ['IPv4'];
        s.ipFamilyPolicy ??= 'SingleStack';
        s.internalTrafficPolicy ??= 'Cluster';
      }
      if (s.type === 'NodePort' || s.type === 'LoadBalancer') s.externalTrafficPolicy ??= 'Cluster';
      for (const p of s.ports ?? []) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
        if ((s.type === 'NodePort' || s.type === 'LoadBalancer') && !p.nodePort) p.nodePort = ctx.allocateNodePort();
      }
      if (isCreate) obj.status ??= { loadBalancer: {} };
      break;
    }
    case 'Secret': {
      obj.type ??= 'Opaque';
      // The real server folds stringData into data (base64) and never stores stringData.
      if (obj.stringData) {
        obj.data ??= {};
        for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v)).toString('base64');
        delete obj.stringData;
      }
      break;
    }
    case 'Namespace': {
      obj.spec ??= {};
      obj.spec.finalizers ??= ['kubernetes'];
      obj.status ??= {};
      obj.status.phase ??= 'Active';
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
      break;
    }
    case 'PersistentVolumeClaim': {
      obj.spec ??= {};
      obj.spec.volumeMode ??= 'Filesystem';
      if (isCreate) { obj.status ??= {}; obj.status.phase ??= 'Pending'; }
      break;
    }
    case 'Event': {
      obj.firstTimestamp ??= obj.eventTime ? null : new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      obj.lastTimestamp ??= obj.firstTimestamp;
      obj.count ??= 1;
      break;
    }
    case 'StorageClass': {
      obj.reclaimPolicy ??= 'Delete';
      obj.volumeBindingMode ??= 'Immediate';
      break;
    }
  }
}
