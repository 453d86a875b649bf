// Whether a workload has rolled out, read exactly as `kubectl rollout status` reads it
// (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go), messages included.

export interface WorkloadJson {
  kind?: string;
  metadata?: { name?: string; generation?: number };
  spec?: {
    replicas?: number;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
    currentReplicas?: number;
    updateRevision?: string;
    currentRevision?: string;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
  };
}

export type RolloutState = { done: boolean; message: string } | { error: string };

export function rolloutStatus(o: WorkloadJson): RolloutState {
  const name = o.metadata?.name ?? '';
  const gen = o.metadata?.generation ?? 0;
  const st = o.status ?? {};
  switch (o.kind) {
    case 'Deployment': {
      if (gen <= (st.observedGeneration ?? 0)) {
        const cond = st.conditions?.find((c) => c.type === 'Progressing');
        if (cond?.reason === 'ProgressDeadlineExceeded') return { error: `deployment "${name}" exceeded its progress deadline` };
        const updated = st.updatedReplicas ?? 0;
        if (o.spec?.replicas !== undefined && updated < o.spec.replicas) {
          return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${o.spec.replicas} new replicas have been updated...` };
        }
        if ((st.replicas ?? 0) > updated) {
          return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...` };
        }
        if ((st.availableReplicas ?? 0) < updated) {
          return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...` };
        }
        return { done: true, message: `deployment "${name}" successfully rolled out` };
      }
      return { done: false, message: 'Waiting for deployment spec update to be observed...' };
    }
    case 'DaemonSet': {
      if (o.spec?.updateStrategy?.type !== undefined && o.spec.updateStrategy.type !== 'RollingUpdate') {
        return { error: 'rollout status is only available for RollingUpdate strategy type' };
      }
      if (gen <= (st.observedGeneration ?? 0)) {
        const desired = st.desiredNumberScheduled ?? 0;
        if ((st.updatedNumberScheduled ?? 0) < desired) {
          return { done: false, message: `Waiting for daemon set "${name}" rollout to finish: ${st.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...` };
        }
        if ((st.numberAvailable ?? 0) < desired) {
          return { done: false, message: `Waiting for daemon set "${name}" rollout to finish: ${st.numberAvailable ?? 0} of ${desired} updated pods are available...` };
        }
        return { done: true, message: `daemon set "${name}" successfully rolled out` };
      }
      return { done: false, message: 'Waiting for daemon set spec update to be observed...' };
    }
    case 'StatefulSet': {
      const strategy = o.spec?.updateStrategy;
      if (strategy?.type !== undefined && strategy.type !== 'RollingUpdate') {
        return { error: 'rollout status is only available for RollingUpdate strategy type' };
      }
      if (!st.observedGeneration || gen > st.observedGeneration) return { done: false, message: 'Waiting for statefulset spec update to be observed...' };
      const replicas = o.spec?.replicas;
      if (replicas !== undefined && (st.readyReplicas ?? 0) < replicas) {
        return { done: false, message: `Waiting for ${replicas - (st.readyReplicas ?? 0)} pods to be ready...` };
      }
      if (strategy?.type === 'RollingUpdate' && strategy.rollingUpdate) {
        const partition = strategy.rollingUpdate.partition;
        if (replicas !== undefined && partition !== undefined && (st.updatedReplicas ?? 0) < replicas - partition) {
          return { done: false, message: `Waiting for partitioned roll out to finish: ${st.updatedReplicas ?? 0} out of ${replicas - partition} new pods have been updated...` };
        }
        return { done: true, message: `partitioned roll out complete: ${st.updatedReplicas ?? 0} new pods have been updated...` };
      }
      if (st.updateRevision !== st.currentRevision) {
        return { done: false, message: `waiting for statefulset rolling update to complete ${st.updatedReplicas ?? 0} pods at revision ${st.updateRevision}...` };
      }
      return { done: true, message: `statefulset rolling update complete ${st.currentReplicas ?? 0} pods at revision ${st.currentRevision}...` };
    }
    default:
      return { error: `no status viewer has been implemented for ${o.kind}` };
  }
}
