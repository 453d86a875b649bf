import { describe, expect, it } from 'vitest';
import { rolloutStatus } from './rolloutStatus';
import { podProblem } from './podProblems';

const dep = (spec: object, status: object, generation = 2) => ({ kind: 'Deployment', metadata: { name: 'web', generation }, spec, status });

describe('rolloutStatus reads workloads like kubectl rollout status', () => {
  it('Deployment: each waiting stage, success and the progress deadline', () => {
    expect(rolloutStatus(dep({ replicas: 2 }, { observedGeneration: 1 }))).toEqual({ done: false, message: 'Waiting for deployment spec update to be observed...' });
    expect(rolloutStatus(dep({ replicas: 2 }, { observedGeneration: 2, updatedReplicas: 1, replicas: 2 }))).toEqual({ done: false, message: 'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...' });
    expect(rolloutStatus(dep({ replicas: 2 }, { observedGeneration: 2, updatedReplicas: 2, replicas: 3 }))).toEqual({ done: false, message: 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...' });
    expect(rolloutStatus(dep({ replicas: 2 }, { observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 1 }))).toEqual({ done: false, message: 'Waiting for deployment "web" rollout to finish: 1 of 2 updated replicas are available...' });
    expect(rolloutStatus(dep({ replicas: 2 }, { observedGeneration: 3, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }))).toEqual({ done: true, message: 'deployment "web" successfully rolled out' });
    expect(rolloutStatus(dep({ replicas: 2 }, { observedGeneration: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }))).toEqual({ error: 'deployment "web" exceeded its progress deadline' });
  });

  it('StatefulSet: partitions and revisions', () => {
    const sts = (spec: object, status: object) => ({ kind: 'StatefulSet', metadata: { name: 'db', generation: 1 }, spec, status });
    expect(rolloutStatus(sts({ replicas: 3 }, {}))).toEqual({ done: false, message: 'Waiting for statefulset spec update to be observed...' });
    expect(rolloutStatus(sts({ replicas: 3, updateStrategy: { type: 'RollingUpdate' } }, { observedGeneration: 1, readyReplicas: 1 }))).toEqual({ done: false, message: 'Waiting for 2 pods to be ready...' });
    expect(rolloutStatus(sts({ replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }, { observedGeneration: 1, readyReplicas: 3, updatedReplicas: 1 }))).toEqual({ done: false, message: 'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...' });
    expect(rolloutStatus(sts({ replicas: 3, updateStrategy: { type: 'RollingUpdate' } }, { observedGeneration: 1, readyReplicas: 3, updatedReplicas: 1, updateRevision: 'b', currentRevision: 'a' }))).toEqual({ done: false, message: 'waiting for statefulset rolling update to complete 1 pods at revision b...' });
    expect(rolloutStatus(sts({ replicas: 3, updateStrategy: { type: 'RollingUpdate' } }, { observedGeneration: 1, readyReplicas: 3, currentReplicas: 3, updateRevision: 'b', currentRevision: 'b' }))).toEqual({ done: true, message: 'statefulset rolling update complete 3 pods at revision b...' });
    expect(rolloutStatus(sts({ updateStrategy: { type: 'OnDelete' } }, {}))).toEqual({ error: 'rollout status is only available for RollingUpdate strategy type' });
  });

  it('DaemonSet', () => {
    const ds = (status: object) => ({ kind: 'DaemonSet', metadata: { name: 'agent', generation: 1 }, spec: { updateStrategy: { type: 'RollingUpdate' } }, status: { observedGeneration: 1, desiredNumberScheduled: 2, ...status } });
    expect(rolloutStatus(ds({ updatedNumberScheduled: 1 }))).toEqual({ done: false, message: 'Waiting for daemon set "agent" rollout to finish: 1 out of 2 new pods have been updated...' });
    expect(rolloutStatus(ds({ updatedNumberScheduled: 2, numberAvailable: 1 }))).toEqual({ done: false, message: 'Waiting for daemon set "agent" rollout to finish: 1 of 2 updated pods are available...' });
    expect(rolloutStatus(ds({ updatedNumberScheduled: 2, numberAvailable: 2 }))).toEqual({ done: true, message: 'daemon set "agent" successfully rolled out' });
  });
});

describe('podProblem explains pods in plain words', () => {
  const pod = (status: object, containers = [{ name: 'dev', image: 'ghcr.io/acme/app:1' }]) => ({ metadata: { name: 'web-1', namespace: 'dev' }, spec: { containers }, status });

  it('image pull refused for credentials', () => {
    const p = podProblem(pod({ phase: 'Pending', containerStatuses: [{ name: 'dev', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "ghcr.io/acme/app:1": unauthorized: authentication required' } } }] }));
    expect(p).toMatchObject({ reason: 'ImagePullBackOff', fatal: true, container: 'dev' });
    expect(p!.message).toContain('cannot pull its image "ghcr.io/acme/app:1" from ghcr.io');
    expect(p!.hint).toMatch(/image pull secret/);
  });

  it('missing Secret', () => {
    const p = podProblem(pod({ phase: 'Pending', containerStatuses: [{ name: 'dev', state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "db-pass" not found' } } }] }));
    expect(p).toMatchObject({ reason: 'CreateContainerConfigError', fatal: true });
    expect(p!.message).toContain('secret "db-pass" not found');
    expect(p!.hint).toBe('Create the Secret "db-pass" in namespace dev, or remove the reference from the chart.');
  });

  it('unschedulable, with the scheduler’s message', () => {
    const p = podProblem(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] }), [{ reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient cpu.' }]);
    expect(p).toMatchObject({ reason: 'FailedScheduling', fatal: false, message: 'Pod web-1 cannot be scheduled onto a node: 0/1 nodes are available: 1 Insufficient cpu.' });
  });

  it('readiness probe failing, with the probe’s event', () => {
    const p = podProblem(pod({ phase: 'Running', containerStatuses: [{ name: 'dev', ready: false, state: { running: {} } }] }), [{ reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503' }]);
    expect(p).toMatchObject({ reason: 'Unhealthy', fatal: false });
    expect(p!.message).toBe('The container "dev" of pod web-1 runs but is not ready: Readiness probe failed: HTTP probe failed with statuscode: 503');
  });

  it('a crash loop asks for the previous log; a starting pod is no problem', () => {
    const p = podProblem(pod({ phase: 'Running', containerStatuses: [{ name: 'dev', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] }));
    expect(p).toMatchObject({ reason: 'CrashLoopBackOff', previousLogOf: 'dev', fatal: true });
    expect(p!.message).toContain('It last exited with code 137 (OOMKilled).');
    expect(podProblem(pod({ phase: 'Pending', containerStatuses: [{ name: 'dev', state: { waiting: { reason: 'ContainerCreating' } } }] }))).toBeUndefined();
  });

  it('takes the cause of a back-off from the kubelet’s "Failed to pull image" event', () => {
    const p = podProblem(pod({ phase: 'Pending', containerStatuses: [{ name: 'dev', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "ghcr.io/acme/app:1"' } } }] }), [
      { reason: 'Failed', message: 'Failed to pull image "ghcr.io/acme/app:1": manifest unknown' },
      { reason: 'Failed', message: 'Error: ErrImagePull' },
    ]);
    expect(p!.message).toContain(': Failed to pull image "ghcr.io/acme/app:1": manifest unknown');
    expect(p!.hint).toMatch(/not in ghcr.io/);
  });

  it('counts an exit after the wait began as a crash even when the container runs again', () => {
    const status = { phase: 'Running', containerStatuses: [{ name: 'dev', ready: true, restartCount: 1, state: { running: {} }, lastState: { terminated: { exitCode: 2, finishedAt: '2026-01-01T10:00:05Z' } } }] };
    expect(podProblem(pod(status), [], Date.parse('2026-01-01T10:00:00Z'))).toMatchObject({ reason: 'Crashed', fatal: true, previousLogOf: 'dev' });
    expect(podProblem(pod(status), [], Date.parse('2026-01-01T11:00:00Z'))).toBeUndefined();
  });

  it('judges one container of a pod that must keep running when asked to', () => {
    const status = { phase: 'Running', containerStatuses: [{ name: 'dev', state: { terminated: { exitCode: 1, reason: 'Error' } } }, { name: 'side', state: { waiting: { reason: 'CrashLoopBackOff' } } }] };
    expect(podProblem(pod(status), [], undefined, { container: 'dev' })).toBeUndefined();
    expect(podProblem(pod(status), [], undefined, { container: 'dev', mustKeepRunning: true })).toMatchObject({ kind: 'stopped', container: 'dev', detail: 'exit code 1, Error', fatal: true });
    expect(podProblem(pod(status))).toMatchObject({ kind: 'crash-loop', container: 'side' });
  });
});
