// The chart engine's public API: load a Helm chart and render it exactly as `helm template`
// would, without a helm binary. See README.md in this folder.

export { renderChart, resolveUserValues } from './render';
export type { RenderOptions, RenderedChart, RenderedManifest, RenderedHook, LookupFn } from './render';
export { loadChart, loadArchive, loadFiles, parseChartYaml, parseValuesText } from './loader';
export type { LoadedChart, ChartMetadata, ChartDependency, ChartFile, ChartMaintainer } from './chart';
export { ChartError } from './errors';
export type { ChartErrorCode } from './errors';
export { coalesceValues, mergeMaps, userValues } from './values';
export { parseSet, parseSetInto } from './strvals';
export { validateValues, formatSchemaErrors } from './schema';
export type { SchemaError } from './schema';
export { sortManifests, splitManifests, INSTALL_ORDER } from './manifests';
export { toYaml, fromYaml, toJson, fromJson } from './functions';
export { marshalYaml, parseYaml } from './yaml';
export { execute, TemplateSet, TemplateError } from './template';
