// The project's settings (builder, registry, deploy engine) as read from .devspace/config.yaml,
// the one place that says how those choices are spelled in the file:
//   builder       images.<first>.build.engine            (kaniko | docker; default kaniko)
//   kanikoImage   images.<first>.build.kaniko.image
//   registry      images.<first>.registry names an entry of `registries:` that has a `url`
//                 → external (url, insecure); no such entry → the in-cluster registry
//   deployEngine  devSpace.deployments[0].helm.engine    (helm3 | tiller; default helm3)
//   inClusterRegistry  internalRegistry.{port,namespace,image,proxyImage}   (absent = defaults)
// DevSpace v1alpha1 wrote `registry: internal` with `registries.internal` (no url) plus
// `internalRegistry:` for its own in-cluster registry: that reads as in-cluster here too.
import type { InClusterRegistrySettings, ProjectSettings } from '../../../preload/api';
import type { DevspaceConfig, ImageConfig } from './schema';

export const DEFAULT_SETTINGS: ProjectSettings = { builder: 'kaniko', registry: { kind: 'in-cluster' }, deployEngine: 'helm3' };

/** The first image of the config (the one Up builds), with its key. */
export function firstImage(config: DevspaceConfig | null): { key: string; image: ImageConfig } | undefined {
  const entry = config?.images ? Object.entries(config.images)[0] : undefined;
  return entry ? { key: entry[0], image: entry[1] } : undefined;
}

export function projectSettings(config: DevspaceConfig | null): ProjectSettings {
  const image = firstImage(config)?.image;
  const registryName = image?.registry;
  const reg = registryName ? config?.registries?.[registryName] : undefined;
  const kanikoImage = image?.build?.kaniko?.image;
  const inClusterRegistry = inClusterRegistrySettings(config);
  return {
    builder: image?.build?.engine === 'docker' ? 'docker' : 'kaniko',
    registry: reg?.url ? { kind: 'external', url: reg.url, insecure: reg.insecure === true } : { kind: 'in-cluster' },
    deployEngine: config?.devSpace?.deployments?.[0]?.helm?.engine === 'tiller' ? 'tiller' : 'helm3',
    ...(kanikoImage ? { kanikoImage } : {}),
    ...(inClusterRegistry ? { inClusterRegistry } : {}),
  };
}

/** The fields of `internalRegistry:` the app uses, or undefined when none is set. */
function inClusterRegistrySettings(config: DevspaceConfig | null): InClusterRegistrySettings | undefined {
  const r = config?.internalRegistry;
  const out: InClusterRegistrySettings = {
    ...(r?.port !== undefined ? { port: r.port } : {}),
    ...(r?.namespace ? { namespace: r.namespace } : {}),
    ...(r?.image ? { image: r.image } : {}),
    ...(r?.proxyImage ? { proxyImage: r.proxyImage } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}
