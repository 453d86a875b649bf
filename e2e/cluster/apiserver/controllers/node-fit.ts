// What the scheduler and the DaemonSet controller both ask of a node (the scheduler framework's
// filter plugins NodeAffinity, TaintToleration and NodePorts, reduced to what the app uses):
// does the pod's nodeSelector / required node affinity (matchExpressions on labels, matchFields on
// metadata.name) select the node, does it tolerate the node's NoSchedule/NoExecute taints, and are
// its hostPorts free there.

import type { KubeObject } from '../store';

function matchExpression(req: any, value: string | undefined): boolean {
  const values: string[] = req.values ?? [];
  switch (req.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt': return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt': return value !== undefined && Number(value) < Number(values[0]);
    default: return false;
  }
}

/** nodeSelector and requiredDuringSchedulingIgnoredDuringExecution (terms ORed, requirements ANDed). */
export function matchesNodeSelection(pod: KubeObject, node: KubeObject): boolean {
  const labels: Record<string, string> = node.metadata.labels ?? {};
  if (!Object.entries(pod.spec?.nodeSelector ?? {}).every(([k, v]) => labels[k] === v)) return false;
  const terms: any[] | undefined = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms) return true;
  const fields: Record<string, string> = { 'metadata.name': node.metadata.name };
  return terms.some((t) => {
    const exprs: any[] = t.matchExpressions ?? [];
    const fieldReqs: any[] = t.matchFields ?? [];
    if (!exprs.length && !fieldReqs.length) return false; // an empty term matches nothing
    return exprs.every((r) => matchExpression(r, labels[r.key])) && fieldReqs.every((r) => matchExpression(r, fields[r.key]));
  });
}

function tolerates(tolerations: any[], taint: any): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if ((t.operator ?? 'Equal') === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** The first NoSchedule/NoExecute taint of the node the pod does not tolerate (as `{key: value}`). */
export function untoleratedTaint(pod: KubeObject, node: KubeObject): string | undefined {
  const taints: any[] = node.spec?.taints ?? [];
  const bad = taints.find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod.spec?.tolerations ?? [], t));
  return bad ? `{${bad.key}: ${bad.value ?? ''}}` : undefined;
}

/** NodeUnschedulable: a cordoned node takes only pods tolerating node.kubernetes.io/unschedulable (daemon pods do). */
export function toleratesUnschedulable(pod: KubeObject): boolean {
  return tolerates(pod.spec?.tolerations ?? [], { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
}

interface HostPort { port: number; protocol: string; ip: string }

export function hostPortsOf(pod: KubeObject): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) if (p.hostPort) out.push({ port: p.hostPort, protocol: p.protocol ?? 'TCP', ip: p.hostIP || '0.0.0.0' });
  }
  return out;
}

/** The pods bound to `nodeName` that hold one of `pod`'s hostPorts (terminating ones too: they hold it until they are gone). */
export function hostPortConflicts(pod: KubeObject, nodeName: string, podsOnNodes: KubeObject[]): KubeObject[] {
  const wanted = hostPortsOf(pod);
  if (!wanted.length) return [];
  return podsOnNodes.filter((other) => {
    if (other.metadata.uid === pod.metadata.uid || other.spec?.nodeName !== nodeName) return false;
    if (other.status?.phase === 'Succeeded' || other.status?.phase === 'Failed') return false;
    return hostPortsOf(other).some((h) => wanted.some((w) => w.port === h.port && w.protocol === h.protocol && (w.ip === h.ip || w.ip === '0.0.0.0' || h.ip === '0.0.0.0')));
  });
}

export const FREE_PORTS_REASON = "node(s) didn't have free ports for the requested pod ports";
