// The `ports.*` requests: the desired state (the mappings in .devspace/config.yaml and whether
// forwards run) applied onto MappingForwards, and their observed state pushed as `ports.status`.
// Applying only touches mappings that changed, so a save never drops the user's open connections
// on an unchanged mapping.
import type { PortForwarding, PortMappingStatus, PortsView } from '../../preload/api';
import type { ProjectCluster, ResolveProjectCluster } from '../app/projectCluster';
import type { ApiHandlers } from '../ipc/dispatch';
import { AppError } from '../ipc/errors';
import type { EventBus } from '../ipc/events';
import { savePortForwardings } from '../project/config/writeConfig';
import { MappingForward } from './mappingForward';
import { ReadyPodFinder, selectorText } from './readyPods';
import { DEFAULT_BIND_ADDRESS, validateMappings } from './validateMappings';

export interface PortHandlerDeps {
  events: EventBus;
  resolveProjectCluster: ResolveProjectCluster;
  log: (line: string) => void;
  /** Minimum time between two `ports.status` events (bytes change constantly). Default 250 ms. */
  statusIntervalMs?: number;
}

export type PortHandlers = Pick<ApiHandlers, 'ports.list' | 'ports.save' | 'ports.start' | 'ports.stop'> & { dispose(): Promise<void> };

export function createPortHandlers(deps: PortHandlerDeps): PortHandlers {
  const { events, resolveProjectCluster, log } = deps;
  const statusInterval = deps.statusIntervalMs ?? 250;
  let running = false;
  let forwardings: PortForwarding[] = [];
  let warnings: string[] = [];
  let projectPath: string | null = null;
  const forwards = new Map<string, MappingForward>();
  const finders = new Map<string, ReadyPodFinder>();
  // Requests are applied one after another: a save while a start is binding ports must not race.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => {});
    return next;
  };

  let timer: NodeJS.Timeout | null = null;
  let lastEmit = 0;
  const emitNow = () => {
    timer = null;
    lastEmit = Date.now();
    events.emit('ports.status', view());
  };
  const changed = () => {
    if (timer) return;
    const wait = Math.max(0, lastEmit + statusInterval - Date.now());
    timer = setTimeout(emitNow, wait);
    timer.unref?.();
  };

  const identity = (pc: ProjectCluster, fw: PortForwarding, bind: string, local: number, remote: number) =>
    JSON.stringify([pc.context, fw.namespace ?? pc.namespace, selectorText(fw.labelSelector), bind, local, remote]);

  /** The mapping's key in `forwards` while it should run, else null. */
  const desiredKeys = (pc: ProjectCluster) =>
    forwardings.flatMap((fw, i) =>
      fw.portMappings.map((m, j) => ({ fw, m, key: `${i}:${j}`, id: identity(pc, fw, m.bindAddress ?? DEFAULT_BIND_ADDRESS, m.localPort, m.remotePort) })),
    );

  let lastCluster: ProjectCluster | null = null;

  const view = (): PortsView => {
    const status: PortMappingStatus[] = [];
    const pc = lastCluster;
    forwardings.forEach((fw, i) =>
      fw.portMappings.forEach((m, j) => {
        const bindAddress = m.bindAddress ?? DEFAULT_BIND_ADDRESS;
        const base = { key: `${i}:${j}`, localPort: m.localPort, remotePort: m.remotePort, bindAddress, connections: 0, bytesIn: 0, bytesOut: 0 };
        if (m.enabled === false) return status.push({ ...base, state: 'disabled' });
        const fwd = pc ? forwards.get(identity(pc, fw, bindAddress, m.localPort, m.remotePort)) : undefined;
        status.push(fwd ? { ...fwd.status(), key: base.key } : { ...base, state: 'stopped' });
      }),
    );
    return { forwardings, status, running, warnings };
  };

  const finderFor = (pc: ProjectCluster, fw: PortForwarding) => {
    const namespace = fw.namespace ?? pc.namespace;
    const key = JSON.stringify([pc.context, namespace, selectorText(fw.labelSelector)]);
    let f = finders.get(key);
    if (!f) finders.set(key, (f = new ReadyPodFinder({ kubeConfig: pc.kubeConfig, namespace, labelSelector: fw.labelSelector })));
    return f;
  };

  /** Makes the running listeners match the desired state; unchanged ones are left alone. */
  const apply = async (pc: ProjectCluster, retryFailed: boolean) => {
    lastCluster = pc;
    const wanted = running ? desiredKeys(pc).filter(({ m }) => m.enabled !== false) : [];
    const wantedIds = new Set(wanted.map((w) => w.id));
    const closing: Promise<void>[] = [];
    for (const [id, fwd] of forwards) {
      if (!wantedIds.has(id) || (retryFailed && fwd.listenFailed)) {
        forwards.delete(id);
        closing.push(fwd.close());
      }
    }
    // Free the ports first: a mapping moved from one row to another reuses its local port.
    await Promise.all(closing);
    const starting: Promise<void>[] = [];
    for (const { fw, m, id } of wanted) {
      if (forwards.has(id)) continue;
      const fwd = new MappingForward(
        { kubeConfig: pc.kubeConfig, namespace: fw.namespace ?? pc.namespace, labelSelector: fw.labelSelector, bindAddress: m.bindAddress ?? DEFAULT_BIND_ADDRESS, localPort: m.localPort, remotePort: m.remotePort },
        finderFor(pc, fw),
        changed,
        log,
      );
      forwards.set(id, fwd);
      starting.push(fwd.listen());
    }
    await Promise.all(starting);
    changed();
  };

  const stopAll = async () => {
    const all = [...forwards.values()];
    forwards.clear();
    finders.clear();
    await Promise.all(all.map((f) => f.close()));
  };

  /** Reads the project's mappings; a different project than before stops the old forwards. */
  const load = async (): Promise<ProjectCluster> => {
    const pc = await resolveProjectCluster();
    if (projectPath !== pc.project.path) {
      await stopAll();
      running = false;
      projectPath = pc.project.path;
    }
    forwardings = pc.config?.devSpace?.ports ?? [];
    warnings = validateMappings(forwardings).warnings;
    return pc;
  };

  // A closed or switched project must not keep ports open on the user's machine.
  const unsubscribe = events.subscribe((event, payload) => {
    if (event !== 'project.changed') return;
    const path = (payload as { path?: string } | null)?.path ?? null;
    if (path !== projectPath && forwards.size > 0) {
      void serial(async () => {
        await stopAll();
        running = false;
        changed();
      });
    }
  });

  return {
    'ports.list': () =>
      serial(async () => {
        const pc = await load();
        await apply(pc, false);
        return view();
      }),

    'ports.save': (next) =>
      serial(async () => {
        const problems = validateMappings(next);
        if (problems.errors.length > 0) {
          const more = problems.errors.length > 1 ? ` (and ${problems.errors.length - 1} more)` : '';
          throw new AppError('INVALID_ARGUMENT', `${problems.errors[0]}${more}`, 'Correct the mapping and save again; nothing was written.');
        }
        const pc = await resolveProjectCluster();
        await savePortForwardings(pc.project.path, next.map(clean));
        const saved = await load();
        await apply(saved, true);
        return view();
      }),

    'ports.start': () =>
      serial(async () => {
        const pc = await load();
        running = true;
        await apply(pc, true);
        return view();
      }),

    'ports.stop': () =>
      serial(async () => {
        running = false;
        await stopAll();
        changed();
        return view();
      }),

    async dispose() {
      unsubscribe();
      running = false;
      await serial(stopAll);
      if (timer) clearTimeout(timer);
    },
  };
}

/** Only the fields config.yaml knows (the IPC boundary checked shapes, not extra keys). */
function clean(fw: PortForwarding): PortForwarding {
  return {
    ...(fw.resourceType ? { resourceType: fw.resourceType } : {}),
    ...(fw.namespace ? { namespace: fw.namespace } : {}),
    labelSelector: fw.labelSelector,
    portMappings: fw.portMappings.map((m) => ({
      localPort: m.localPort,
      remotePort: m.remotePort,
      ...(m.bindAddress ? { bindAddress: m.bindAddress } : {}),
      ...(m.enabled === false ? { enabled: false } : {}),
    })),
  };
}
