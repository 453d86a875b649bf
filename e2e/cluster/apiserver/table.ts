// Server-side printing (meta.k8s.io/v1 Table), which `kubectl get` asks for, with the columns
// the real server prints for the kinds the app shows.

import type { KubeObject } from './store';

type Column = { name: string; type: string; format: string; description: string; priority: number };
const col = (name: string, priority = 0, type = 'string', format = ''): Column => ({ name, type, format, description: name, priority });

export function humanAge(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 3) return `${m}m`;
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 48) return `${h}h`;
  if (d < 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  return d < 365 * 2 ? `${d}d` : `${Math.floor(d / 365)}y`;
}

function podStatusText(p: KubeObject): string {
  if (p.metadata.deletionTimestamp) return 'Terminating';
  let reason = p.status?.reason ?? p.status?.phase ?? 'Unknown';
  for (const c of p.status?.initContainerStatuses ?? []) {
    if (c.state?.terminated && c.state.terminated.exitCode !== 0) return `Init:${c.state.terminated.reason || 'Error'}`;
    if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') return `Init:${c.state.waiting.reason}`;
  }
  for (const c of p.status?.containerStatuses ?? []) {
    if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
  }
  return reason;
}

function servicePorts(s: KubeObject): string {
  const ports = (s.spec?.ports ?? []).map((p: any) => `${p.port}${p.nodePort ? ':' + p.nodePort : ''}/${p.protocol ?? 'TCP'}`);
  return ports.length ? ports.join(',') : '<none>';
}

function printer(kind: string): { columns: Column[]; cells: (o: KubeObject) => unknown[] } {
  const age = (o: KubeObject) => humanAge(o.metadata.creationTimestamp);
  switch (kind) {
    case 'Pod': return {
      columns: [col('Name'), col('Ready'), col('Status'), col('Restarts', 0, 'string'), col('Age'), col('IP', 1), col('Node', 1)],
      cells: (p) => {
        const cs: any[] = p.status?.containerStatuses ?? [];
        const total = (p.spec?.containers ?? []).length;
        const restarts = cs.reduce((n, c) => n + (c.restartCount ?? 0), 0);
        return [p.metadata.name, `${cs.filter((c) => c.ready).length}/${total}`, podStatusText(p), String(restarts), age(p), p.status?.podIP ?? '<none>', p.spec?.nodeName ?? '<none>'];
      },
    };
    case 'Deployment': return {
      columns: [col('Name'), col('Ready'), col('Up-to-date', 0, 'integer'), col('Available', 0, 'integer'), col('Age')],
      cells: (d) => [d.metadata.name, `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, d.status?.updatedReplicas ?? 0, d.status?.availableReplicas ?? 0, age(d)],
    };
    case 'DaemonSet': return {
      columns: [col('Name'), col('Desired', 0, 'integer'), col('Current', 0, 'integer'), col('Ready', 0, 'integer'), col('Up-to-date', 0, 'integer'), col('Available', 0, 'integer'), col('Node Selector'), col('Age')],
      cells: (d) => {
        const st = d.status ?? {};
        const sel = Object.entries(d.spec?.template?.spec?.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
        return [d.metadata.name, st.desiredNumberScheduled ?? 0, st.currentNumberScheduled ?? 0, st.numberReady ?? 0, st.updatedNumberScheduled ?? 0, st.numberAvailable ?? 0, sel || '<none>', age(d)];
      },
    };
    case 'ReplicaSet': return {
      columns: [col('Name'), col('Desired', 0, 'integer'), col('Current', 0, 'integer'), col('Ready', 0, 'integer'), col('Age')],
      cells: (r) => [r.metadata.name, r.spec?.replicas ?? 0, r.status?.replicas ?? 0, r.status?.readyReplicas ?? 0, age(r)],
    };
    case 'Service': return {
      columns: [col('Name'), col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), col('Age')],
      cells: (s) => [s.metadata.name, s.spec?.type, s.spec?.clusterIP ?? '<none>', s.spec?.externalName ?? '<none>', servicePorts(s), age(s)],
    };
    case 'Namespace': return { columns: [col('Name'), col('Status'), col('Age')], cells: (n) => [n.metadata.name, n.status?.phase ?? '', age(n)] };
    case 'Node': return {
      columns: [col('Name'), col('Status'), col('Roles'), col('Age'), col('Version')],
      cells: (n) => [n.metadata.name, (n.status?.conditions ?? []).find((c: any) => c.type === 'Ready')?.status === 'True' ? 'Ready' : 'NotReady', '<none>', age(n), n.status?.nodeInfo?.kubeletVersion ?? ''],
    };
    case 'Secret': return { columns: [col('Name'), col('Type'), col('Data', 0, 'integer'), col('Age')], cells: (s) => [s.metadata.name, s.type, Object.keys(s.data ?? {}).length, age(s)] };
    case 'ConfigMap': return { columns: [col('Name'), col('Data', 0, 'integer'), col('Age')], cells: (c) => [c.metadata.name, Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length, age(c)] };
    case 'Endpoints': return {
      columns: [col('Name'), col('Endpoints'), col('Age')],
      cells: (e) => {
        const eps = (e.subsets ?? []).flatMap((s: any) => (s.addresses ?? []).flatMap((a: any) => (s.ports ?? []).map((p: any) => `${a.ip}:${p.port}`)));
        return [e.metadata.name, eps.length ? eps.join(',') : '<none>', age(e)];
      },
    };
    case 'Event': return {
      columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Message')],
      cells: (e) => [humanAge(e.lastTimestamp ?? e.eventTime), e.type, e.reason, `${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name}`, e.message],
    };
    default: return { columns: [col('Name'), col('Age')], cells: (o) => [o.metadata.name, age(o)] };
  }
}

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept.split(',')[0]);
}

export function toTable(kind: string, objects: KubeObject[], resourceVersion: string, includeObject: string | null): unknown {
  const p = printer(kind);
  return {
    kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion }, columnDefinitions: p.columns,
    rows: objects.map((o) => ({
      cells: p.cells(o),
      object: includeObject === 'Object' ? o : includeObject === 'None' ? undefined : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
