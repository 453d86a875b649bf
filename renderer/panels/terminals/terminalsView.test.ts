// Which body the Terminals panel shows, what it tells the user to do, and when it retries.
import { describe, expect, it } from 'vitest';
import type { ApiError, ClusterStatus } from '../../../preload/api';
import { clusterKey, nextStepFor, shouldOpenOnUp, shouldRetryOnCluster, terminalsBody, UP_FIRST } from './terminalsView';

const noKubeconfig: ApiError = { code: 'KUBECONFIG_MISSING', message: 'No kubeconfig found: ~/.kube/config does not exist.', hint: "Create one with your cluster provider's CLI, or set KUBECONFIG." };
const noPod: ApiError = { code: 'NOT_FOUND', message: 'No pod in namespace "default" matches app=shop.', hint: 'Deploy the project (Up) first, or check the labelSelector in .devspace/config.yaml.' };
const notReady: ApiError = { code: 'NOT_FOUND', message: 'No pod matching app=shop in namespace "default" is ready (shop-1: ContainerCreating).' };

describe('the Terminals panel body', () => {
  it('shows the error with its next step when there is no session and opening failed', () => {
    const body = terminalsBody({ sessions: 0, error: noKubeconfig, opening: false });
    expect(body).toEqual({ kind: 'error', error: noKubeconfig, nextStep: expect.stringContaining('Cluster panel') });
  });

  it('tells the user to press Up when there is no dev pod yet', () => {
    expect(terminalsBody({ sessions: 0, error: noPod, opening: false })).toEqual({ kind: 'error', error: noPod, nextStep: UP_FIRST });
    expect(UP_FIRST).toBe('Press Up to deploy the project, then open a terminal.');
  });

  it('shows an empty state (not an xterm) when there is no session and no error', () => {
    const body = terminalsBody({ sessions: 0, error: null, opening: false });
    expect(body.kind).toBe('empty');
    expect(body.kind === 'empty' && body.nextStep).toMatch(/Open a terminal/);
  });

  it('shows that a terminal is opening while the first one opens, even if an old error is still set', () => {
    expect(terminalsBody({ sessions: 0, error: null, opening: true })).toEqual({ kind: 'opening' });
    expect(terminalsBody({ sessions: 0, error: noKubeconfig, opening: true })).toEqual({ kind: 'opening' });
  });

  it('shows the sessions whenever there is one, with or without an error', () => {
    expect(terminalsBody({ sessions: 1, error: null, opening: false })).toEqual({ kind: 'sessions' });
    expect(terminalsBody({ sessions: 2, error: noPod, opening: true })).toEqual({ kind: 'sessions' });
  });
});

describe('the next step for a failed open', () => {
  it('differs by what went wrong', () => {
    expect(nextStepFor(noKubeconfig)).toMatch(/Cluster panel.*opens by itself/);
    expect(nextStepFor({ code: 'CLUSTER_UNREACHABLE', message: 'The cluster at https://x does not answer.' })).toMatch(/connection.*retry/);
    expect(nextStepFor(noPod)).toBe(UP_FIRST);
    expect(nextStepFor({ code: 'NOT_FOUND', message: 'The project "shop" does not say which pod is its dev container.' })).toBe(UP_FIRST);
    expect(nextStepFor(notReady)).toMatch(/Wait for the pod to become ready/);
    expect(nextStepFor({ code: 'NOT_FOUND', message: 'The pod "shop-1" has no container "dev".' })).toMatch(/container name/);
    expect(nextStepFor({ code: 'INTERNAL', message: 'boom' })).toMatch(/^Retry/);
  });
});

describe('retrying when the cluster changes', () => {
  const connected = (context: string, namespace = 'default'): ClusterStatus => ({ state: 'connected', context, namespace, server: 'https://x', version: 'v1.30.0' });
  const failed: ClusterStatus = { state: 'error', error: noKubeconfig };
  const idle = { started: true, sessions: 0, opening: false };

  it('keys the status by what the terminal would open in', () => {
    expect(clusterKey(null)).toBe('none');
    expect(clusterKey(failed)).toBe('error::KUBECONFIG_MISSING');
    expect(clusterKey(connected('a'))).toBe('connected:a:default');
    expect(clusterKey(connected('a', 'team'))).not.toBe(clusterKey(connected('a')));
  });

  it('retries a failed first terminal when the cluster connects or changes', () => {
    expect(shouldRetryOnCluster(clusterKey(failed), clusterKey(connected('a')), idle)).toBe(true);
    expect(shouldRetryOnCluster(clusterKey(null), clusterKey(connected('a')), idle)).toBe(true);
    expect(shouldRetryOnCluster(clusterKey(connected('a')), clusterKey(connected('b')), idle)).toBe(true);
  });

  it('does not retry when nothing changed, before the first visit, with a session, or while opening', () => {
    expect(shouldRetryOnCluster(clusterKey(connected('a')), clusterKey(connected('a')), idle)).toBe(false);
    expect(shouldRetryOnCluster(clusterKey(failed), clusterKey(connected('a')), { ...idle, started: false })).toBe(false);
    expect(shouldRetryOnCluster(clusterKey(failed), clusterKey(connected('a')), { ...idle, sessions: 1 })).toBe(false);
    expect(shouldRetryOnCluster(clusterKey(failed), clusterKey(connected('a')), { ...idle, opening: true })).toBe(false);
  });
});

describe('opening when Up reaches Ready', () => {
  const idle = { started: true, sessions: 0, opening: false };
  it('opens the first terminal once Up is ready, only in a visited panel without a session', () => {
    expect(shouldOpenOnUp('ready', idle)).toBe(true);
    expect(shouldOpenOnUp('running', idle)).toBe(false);
    expect(shouldOpenOnUp('failed', idle)).toBe(false);
    expect(shouldOpenOnUp('ready', { ...idle, started: false })).toBe(false);
    expect(shouldOpenOnUp('ready', { ...idle, sessions: 1 })).toBe(false);
    expect(shouldOpenOnUp('ready', { ...idle, opening: true })).toBe(false);
  });
});
