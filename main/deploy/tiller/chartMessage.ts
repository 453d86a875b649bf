// A chart as Helm 2 sends it to Tiller (hapi.chart.Chart), and back to files. Mapping as Helm 2's
// chartutil does: Chart.yaml → metadata, values.yaml → values.raw, templates/* → templates named
// "templates/x.yaml", charts/* → dependencies, every other file → files as Any{type_url: path}.
import { stringify } from 'yaml';
import { loadFiles, toYaml, type ChartFile, type LoadedChart } from '../../chart';
import type { Chart, Metadata } from './hapi';

export function chartMessage(chart: LoadedChart, valuesYaml?: string): Chart {
  const m = chart.metadata;
  const metadata: Metadata = {
    name: m.name, version: m.version, apiVersion: m.apiVersion,
    ...(m.description ? { description: m.description } : {}), ...(m.home ? { home: m.home } : {}),
    ...(m.appVersion ? { appVersion: m.appVersion } : {}), ...(m.icon ? { icon: m.icon } : {}),
    ...(m.condition ? { condition: m.condition } : {}), ...(m.tags ? { tags: m.tags } : {}),
    sources: m.sources ?? [], keywords: m.keywords ?? [],
    maintainers: (m.maintainers ?? []).map((x) => ({ name: x.name, ...(x.email ? { email: x.email } : {}) })),
  };
  return {
    metadata,
    templates: chart.templates.map((t) => ({ name: t.name, data: t.data })),
    dependencies: chart.dependencies.map((d) => chartMessage(d)),
    // The loader keeps only parsed values; Tiller parses the raw YAML again, so any faithful YAML does.
    values: { raw: valuesYaml ?? (Object.keys(chart.values).length ? toYaml(chart.values) : '') },
    files: chart.files.map((f) => ({ typeUrl: f.name, value: f.data })),
  };
}

/** The chart's files as they were in its folder (what the stand-in renders). */
export function chartFiles(chart: Chart, prefix = ''): ChartFile[] {
  const md = chart.metadata ?? ({} as Metadata);
  const yaml: Record<string, unknown> = { apiVersion: md.apiVersion || 'v1', name: md.name, version: md.version };
  for (const k of ['description', 'home', 'appVersion', 'icon', 'condition', 'tags'] as const) if (md[k]) yaml[k] = md[k];
  for (const k of ['sources', 'keywords', 'maintainers'] as const) if (md[k]?.length) yaml[k] = md[k];
  const files: ChartFile[] = [{ name: `${prefix}Chart.yaml`, data: Buffer.from(stringify(yaml)) }];
  if (chart.values?.raw) files.push({ name: `${prefix}values.yaml`, data: Buffer.from(chart.values.raw) });
  for (const t of chart.templates ?? []) files.push({ name: `${prefix}${t.name}`, data: t.data });
  for (const f of chart.files ?? []) files.push({ name: `${prefix}${f.typeUrl}`, data: f.value });
  for (const d of chart.dependencies ?? []) files.push(...chartFiles(d, `${prefix}charts/${d.metadata?.name ?? 'unnamed'}/`));
  return files;
}

export function loadChartMessage(chart: Chart): Promise<LoadedChart> {
  return loadFiles(chartFiles(chart), `chart ${chart.metadata?.name ?? ''} (from Tiller request)`);
}
