// `up.purge`: uninstalls the project's release with the engine it was deployed with. The engine
// the settings name is asked first; the other one too, since the user may have switched engines
// after deploying (a release left behind by the other engine is removed as well). The registry
// and its images stay.
import type { ProjectCluster } from '../app/projectCluster';
import { status, uninstall } from '../deploy/helmEngine';
import { AppError } from '../ipc/errors';
import { describeClusterError } from '../kube/clusterErrors';
import { projectSettings } from '../project/config/projectSettings';
import { purgeTillerRelease, tillerNamespaceFor } from './tillerDeploy';
import { projectNames } from './upPipeline';

export async function purgeRelease(pc: ProjectCluster, log: (line: string) => void): Promise<{ release: string; removed: number }> {
  const { release } = projectNames(pc);
  const settings = projectSettings(pc.config);
  const kc = pc.kubeConfig;
  const ns = pc.namespace;
  const engines: Array<'helm3' | 'tiller'> = settings.deployEngine === 'tiller' ? ['tiller', 'helm3'] : ['helm3', 'tiller'];
  let found = false;
  let removed = 0;
  for (const engine of engines) {
    const preferred = engine === settings.deployEngine;
    try {
      if (engine === 'helm3') {
        const st = await status(release, { kubeConfig: kc, namespace: ns });
        if (!st || st.status === 'uninstalled') continue;
        const r = await uninstall(release, { kubeConfig: kc, namespace: ns });
        found = true;
        removed += r.deleted.length;
        log(`purge: uninstalled release "${release}" (Helm 3 records): ${r.deleted.length} objects deleted${r.kept.length ? `, ${r.kept.length} kept (resource-policy keep)` : ''}`);
      } else {
        const n = await purgeTillerRelease({ kubeConfig: kc, tillerNamespace: tillerNamespaceFor(pc.config, ns), release });
        if (n === undefined) continue;
        found = true;
        removed += n;
        log(`purge: deleted and purged Tiller release "${release}": ${n} objects deleted`);
      }
    } catch (err) {
      // The engine the project does not use is only looked at in passing: its trouble is not the user's.
      if (!preferred) {
        log(`purge: could not look for a ${engine === 'tiller' ? 'Tiller' : 'Helm 3'} release "${release}": ${(err as Error).message}`);
        continue;
      }
      if (err instanceof AppError) throw err;
      const e = describeClusterError(err, kc.getCurrentCluster()?.server);
      throw new AppError(e.code, `Purging release "${release}": ${e.message}`, e.hint);
    }
  }
  if (!found) {
    throw new AppError('NOT_FOUND', `Nothing is deployed for ${pc.project.name}: there is no release "${release}" in namespace "${ns}".`, 'Press Up to deploy the project; check the cluster context and namespace if you expected a deployment there.');
  }
  return { release, removed };
}
