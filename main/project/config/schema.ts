// The shape of `.devspace/config.yaml`: DevSpace's v1alpha1 fields where they overlap (so a file
// written by DevSpace CLI of that era opens here unchanged), plus the app's own additions, which
// are marked. Credentials are never part of it: they live in the app's encrypted store.

export const CONFIG_VERSION = 'v1alpha1';
export const CONFIG_FILE = '.devspace/config.yaml';

import type { PortForwarding } from '../../../preload/api';

// The port types are part of the app's contract (the ports editor sends them).
export type { PortForwarding, PortMapping } from '../../../preload/api';

export interface TerminalConfig {
  namespace?: string;
  labelSelector?: Record<string, string>;
  containerName?: string;
  command?: string[];
}

export interface HelmDeployment {
  chartPath: string;
  /** Addition: how the chart is installed: the app's Helm 3-compatible engine, or Tiller (Helm 2). */
  engine?: 'helm3' | 'tiller';
  /** Addition: a values file (relative to the project) and inline values, merged over the chart's. */
  valuesFile?: string;
  values?: Record<string, unknown>;
  /** Addition: seconds Up waits for the rollout before it explains what is stuck (default 300). */
  rolloutTimeout?: number;
}

export interface DeploymentConfig {
  name: string;
  namespace?: string;
  helm?: HelmDeployment;
}

export interface ImageBuild {
  /** Addition: which builder (v1alpha1 chose by which key was present). */
  engine?: 'kaniko' | 'docker';
  kaniko?: { cache?: boolean; namespace?: string; /** Addition */ image?: string };
  docker?: { preferMinikube?: boolean };
  options?: { buildArgs?: Record<string, string>; target?: string; network?: string };
}

export interface ImageConfig {
  name: string;
  tag?: string;
  registry?: string;
  contextPath?: string;
  dockerfilePath?: string;
  build?: ImageBuild;
}

export interface RegistryConfig {
  url?: string;
  insecure?: boolean;
}

export interface DevspaceConfig {
  version: string;
  cluster?: { kubeContext?: string; namespace?: string };
  devSpace?: {
    deployments?: DeploymentConfig[];
    terminal?: TerminalConfig;
    ports?: PortForwarding[];
  };
  images?: Record<string, ImageConfig>;
  registries?: Record<string, RegistryConfig>;
  /** The in-cluster registry (DevSpace v1alpha1 named `deploy` and `namespace`; port and images are ours). */
  internalRegistry?: { deploy?: boolean; namespace?: string; port?: number; image?: string; proxyImage?: string };
  tiller?: { namespace?: string };
}

/** One finding about the file: where it is and what to do. */
export interface ConfigProblem {
  file: string;
  line?: number;
  column?: number;
  /** Dotted path of the field, e.g. devSpace.ports[0].portMappings[1].localPort */
  field?: string;
  message: string;
}
