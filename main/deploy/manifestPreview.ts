// The Deployment panel's "Manifests": the chart rendered with the values the next deploy would use,
// object by object with the template it came from. A template that fails to render is left out
// with a warning naming it, so one broken file does not hide the rest of the chart.
import { existsSync } from 'node:fs';
import { ChartError, renderChart, type LoadedChart, type RenderedChart } from '../chart';
import type { ManifestPreview } from '../../preload/api';
import { AppError } from '../ipc/errors';
import type { ClusterObjects } from './clusterObjects';
import { prepare, render, type DeployOptions, type Prepared } from './deployInputs';

export interface ManifestPreviewOptions {
  chartDir: string;
  /** What the deploy gets (release, namespace, image, values, valuesFile, set); nothing is written. */
  deploy: DeployOptions;
  /** The revision the render sees as .Release.Revision; > 1 renders as an upgrade. */
  revision: number;
  /** For `lookup` and .Capabilities.KubeVersion, as a deploy renders; without it the chart renders like `helm template`. */
  api?: ClusterObjects;
  /** Warnings gathered before rendering (e.g. about the image), shown first. */
  warnings?: string[];
}

/** `mychart/templates/x.yaml` (how render errors name a file) → `templates/x.yaml` of the top chart, if it is one. */
function topTemplateOf(chart: LoadedChart, file: string | undefined): string | undefined {
  if (!file) return undefined;
  const prefix = `${chart.metadata.name}/`;
  const rel = file.startsWith(prefix) ? file.slice(prefix.length) : file;
  return chart.templates.some((t) => t.name === rel) ? rel : undefined;
}

function chartErrorOf(e: unknown): ChartError | undefined {
  if (e instanceof ChartError) return e;
  const cause = (e as { cause?: unknown } | undefined)?.cause;
  return cause instanceof ChartError ? cause : undefined;
}

export async function renderManifestPreview(o: ManifestPreviewOptions): Promise<ManifestPreview> {
  if (!existsSync(o.chartDir)) {
    throw new AppError('NOT_FOUND', `There is no chart at ${o.chartDir}.`, 'Click Up to let DevSpace generate one, or set devSpace.deployments[0].helm.chartPath in .devspace/config.yaml.');
  }
  const warnings = [...(o.warnings ?? [])];
  const prepared = await prepare(o.chartDir, o.deploy);
  let chart = prepared.chart;
  let rendered: RenderedChart | undefined;
  // Each failing top-level template is dropped and the rest rendered again; a failure that is not
  // one template's (values, schema, a broken helper every template includes) ends the preview.
  for (let attempt = 0; attempt <= prepared.chart.templates.length; attempt++) {
    try {
      rendered = await renderOnce({ ...prepared, chart }, o);
      break;
    } catch (e) {
      const ce = chartErrorOf(e);
      const template = ce && (ce.code === 'TEMPLATE_ERROR' || ce.code === 'MANIFEST_INVALID') ? topTemplateOf(chart, ce.file) : undefined;
      if (!ce || !template || template.split('/').pop()?.startsWith('_')) {
        if (e instanceof AppError) throw e;
        if (ce) throw new AppError('CONFIG_INVALID', ce.file ? `${ce.message} (${ce.file})` : ce.message, ce.hint ?? 'Fix the chart in chart/ and look again.', { cause: ce });
        throw e;
      }
      warnings.push(`${template} is left out: ${ce.message}`);
      chart = { ...chart, templates: chart.templates.filter((t) => t.name !== template) };
    }
  }
  if (!rendered) throw new AppError('CONFIG_INVALID', 'No template of the chart renders.', 'Fix the chart in chart/ and look again.');
  const objects = [
    ...rendered.manifests.map((m) => ({ kind: m.kind ?? '', name: m.metadata?.name ?? '', source: m.name, yaml: m.content })),
    ...rendered.hooks.map((h) => ({ kind: h.kind, name: h.name, source: `${h.path} (hook: ${h.events.join(', ')})`, yaml: h.manifest })),
  ];
  if (objects.length === 0) warnings.push('The chart renders no objects with these values.');
  return { release: o.deploy.release, objects, ...(rendered.notes ? { notes: rendered.notes } : {}), warnings };
}

function renderOnce(p: Prepared, o: ManifestPreviewOptions): Promise<RenderedChart> {
  if (o.api) return render(p, o.deploy, o.api, o.revision, o.revision > 1);
  return renderChart(p.chart, {
    values: p.values,
    ...(o.deploy.set ? { set: o.deploy.set } : {}),
    release: { name: o.deploy.release, namespace: o.deploy.namespace, revision: o.revision, isUpgrade: o.revision > 1 },
  });
}
