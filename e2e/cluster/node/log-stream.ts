// GET …/pods/{pod}/log on the kubelet: a container's log, current or previous instance, with
// follow, tailLines, sinceSeconds/sinceTime, timestamps and limitBytes, errors worded like the kubelet's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatRecord, type LogRecord } from './container-log';
import { sendStatus } from './kube-status';
import type { PodWorker } from './pod-worker';
import type { ContainerWorker } from './container-worker';

export function pickContainer(pod: PodWorker, name: string | null): ContainerWorker | string {
  if (!name) {
    if (pod.containers.length === 1) return pod.containers[0]!;
    return `a container name must be specified for pod ${pod.name}, choose one of: [${pod.containers.map((c) => c.name).join(' ')}]${pod.initContainers.length ? ` or one of the init containers: [${pod.initContainers.map((c) => c.name).join(' ')}]` : ''}`;
  }
  return pod.container(name) ?? `container ${name} is not valid for pod ${pod.name}`;
}

export function serveLog(req: IncomingMessage, res: ServerResponse, pod: PodWorker, q: URLSearchParams, track: (close: () => void) => () => void): void {
  const picked = pickContainer(pod, q.get('container'));
  if (typeof picked === 'string') return sendStatus(res, 400, picked);
  const c = picked;
  const previous = q.get('previous') === 'true';
  // As the kubelet: the newest container instance is "current" even while it waits in back-off.
  const instance = previous ? c.previous : c.current;
  if (previous && !instance) {
    return sendStatus(res, 400, `previous terminated container "${c.name}" in pod "${pod.name}" not found`);
  }
  if (!instance) {
    const waiting = (c.state as any).waiting;
    const why = waiting && /ImagePull|ErrImage/.test(waiting.reason) ? 'trying and failing to pull image' : waiting?.reason ?? 'ContainerCreating';
    return sendStatus(res, 400, `container "${c.name}" in pod "${pod.name}" is waiting to start: ${why}`);
  }
  const follow = q.get('follow') === 'true' && !previous;
  const timestamps = q.get('timestamps') === 'true';
  const tail = q.has('tailLines') ? Number(q.get('tailLines')) : -1;
  let since = 0;
  if (q.has('sinceSeconds')) since = Date.now() - Number(q.get('sinceSeconds')) * 1000;
  if (q.has('sinceTime')) since = Date.parse(q.get('sinceTime')!);
  let budget = q.has('limitBytes') ? Number(q.get('limitBytes')) : Infinity;
  const log = instance.log;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  const write = (r: LogRecord): boolean => {
    if (r.time.getTime() < since) return true;
    let text = formatRecord(r, timestamps);
    if (budget <= 0) return false;
    if (Buffer.byteLength(text) > budget) text = Buffer.from(text).subarray(0, budget).toString('utf8');
    budget -= Buffer.byteLength(text);
    res.write(text);
    return budget > 0;
  };
  let records = log.records;
  if (tail >= 0) records = tail === 0 ? [] : records.slice(-tail);
  for (const r of records) if (!write(r)) return void res.end();
  if (!follow || log.ended) return void res.end();
  const onRecord = (r: LogRecord) => { if (!write(r)) finish(); };
  const finish = () => { log.off('record', onRecord); log.off('end', finish); untrack(); res.end(); };
  const untrack = track(() => { log.off('record', onRecord); log.off('end', finish); res.destroy(); });
  log.on('record', onRecord);
  log.once('end', finish);
  req.on('close', () => { log.off('record', onRecord); log.off('end', finish); untrack(); });
}
