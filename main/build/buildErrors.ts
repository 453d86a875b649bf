// The error codes build failures use, in one place.
import type { ErrorCode } from '../../preload/api';
import { AppError } from '../ipc/errors';

export const BUILD_ERROR_CODES = {
  /** A Dockerfile step failed: the user's Dockerfile or sources need fixing. */
  buildFailed: 'BUILD_FAILED',
  /** No Docker daemon answers at the configured address. */
  daemonUnavailable: 'DOCKER_UNAVAILABLE',
  /** The registry refused our credentials (HTTP 401). */
  registryUnauthorized: 'REGISTRY_UNAUTHORIZED',
  /** The daemon or registry answered with an error we cannot attribute to the user. */
  daemonError: 'CLUSTER_ERROR',
} as const satisfies Record<string, ErrorCode>;

export interface BuildStep {
  /** 1-based. */
  index: number;
  total: number;
  /** The instruction as the builder printed it, e.g. "RUN npm ci". */
  instruction: string;
}

/** A build that failed in a Dockerfile step; `step` names it when the builder told us. */
export class BuildFailedError extends AppError {
  constructor(
    message: string,
    hint: string | undefined,
    readonly step: BuildStep | undefined,
    /** The last log lines before the failure, for the build log view. */
    readonly logTail: string[],
  ) {
    super(BUILD_ERROR_CODES.buildFailed, message, hint);
  }
}
