// The values a deploy renders with, and the fingerprint that tells a warm Up "nothing changed".
// The image the app just built is offered to the chart under documented keys; whatever the user
// set in .devspace/config.yaml or their values file wins over it.
import { createHash } from 'node:crypto';
import type { LoadedChart } from '../chart';
import { marshalJson } from '../chart/goJson';

export interface BuiltImage {
  /** e.g. localhost:5000/my-app */
  repository: string;
  /** e.g. a content hash; a `sha256:…` digest is referenced with '@'. */
  tag: string;
  /** Names of image pull secrets in the release namespace. */
  pullSecrets?: string[];
}

/** `image.repository`, `image.tag`, `imageRef` (the full reference) and `pullSecrets` (names). */
export function imageValues(image: BuiltImage): Record<string, unknown> {
  const ref = image.tag.startsWith('sha256:') ? `${image.repository}@${image.tag}` : `${image.repository}:${image.tag}`;
  return { image: { repository: image.repository, tag: image.tag }, imageRef: ref, pullSecrets: [...(image.pullSecrets ?? [])] };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** Deep merge, later layers win; maps merge key by key, anything else replaces (Helm's coalescing of user values). */
export function mergeValues(...layers: (Record<string, unknown> | undefined)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [k, v] of Object.entries(layer)) {
      const cur = out[k];
      out[k] = isMap(cur) && isMap(v) ? mergeValues(cur, v) : isMap(v) ? mergeValues(v) : v;
    }
  }
  return out;
}

/** injected image < values from .devspace/config.yaml < the values file. (`--set` strings are applied by the renderer last.) */
export function deployValues(parts: { image?: BuiltImage; configValues?: Record<string, unknown>; fileValues?: Record<string, unknown> }): Record<string, unknown> {
  return mergeValues(parts.image ? imageValues(parts.image) : undefined, parts.configValues, parts.fileValues);
}

export const DEPLOY_HASH_LABEL = 'devspace.sh/deploy-hash';

function chartDigestInput(c: LoadedChart): unknown {
  const files = (fs: { name: string; data: Uint8Array }[]) => fs.map((f) => [f.name, createHash('sha256').update(f.data).digest('hex')]).sort();
  return { m: c.metadata, v: c.values, s: c.schema ?? null, t: files(c.templates), f: files(c.files), d: c.dependencies.map(chartDigestInput) };
}

/**
 * A fingerprint of everything a render depends on: every chart file (subcharts too), the final
 * user values, `--set` strings, release name and namespace. 40 hex digits, so it fits a label
 * value (63 characters), which helm ≥ 3.13 keeps across its own updates of the record.
 */
export function deployHash(chart: LoadedChart, input: { values: Record<string, unknown>; set?: string[]; release: string; namespace: string }): string {
  const text = marshalJson({ chart: chartDigestInput(chart), values: input.values, set: input.set ?? [], release: input.release, namespace: input.namespace });
  return createHash('sha256').update(text).digest('hex').slice(0, 40);
}
