// The in-memory form of a Helm chart, as the loader produces it and the renderer consumes it.
// Field names follow Chart.yaml (camelCase); templates see them through `.Chart` with Helm's Go
// names (see builtins.ts).

export interface ChartMaintainer {
  name: string;
  email?: string;
  url?: string;
}

export type ImportValue = string | { child: string; parent: string };

export interface ChartDependency {
  name: string;
  version?: string;
  repository?: string;
  condition?: string;
  tags?: string[];
  /** Set while rendering: whether condition/tags left this dependency on. */
  enabled?: boolean;
  importValues?: ImportValue[];
  alias?: string;
}

export interface ChartMetadata {
  apiVersion: 'v1' | 'v2';
  name: string;
  version: string;
  kubeVersion?: string;
  description?: string;
  type?: string;
  keywords?: string[];
  home?: string;
  sources?: string[];
  dependencies?: ChartDependency[];
  maintainers?: ChartMaintainer[];
  icon?: string;
  appVersion?: string;
  deprecated?: boolean;
  annotations?: Record<string, string>;
  /** v1 charts only (kept for .Chart). */
  condition?: string;
  tags?: string;
}

/** A file of the chart, named by its path inside the chart with '/' separators. */
export interface ChartFile {
  name: string;
  data: Uint8Array;
}

export interface LoadedChart {
  metadata: ChartMetadata;
  /** values.yaml, parsed the way Helm does (numbers are float64). */
  values: Record<string, unknown>;
  /** values.schema.json, parsed; undefined when the chart has none. */
  schema?: unknown;
  /** Everything under templates/ (partials included). */
  templates: ChartFile[];
  /** Files available through .Files: everything not Chart.yaml, values.yaml, values.schema.json, templates/ or charts/. */
  files: ChartFile[];
  /** Subcharts found in charts/ (directories and .tgz archives). */
  dependencies: LoadedChart[];
  /** Where it was loaded from (a directory or an archive), for error messages. */
  source: string;
}

export function isLibraryChart(c: LoadedChart): boolean {
  return c.metadata.type === 'library';
}
