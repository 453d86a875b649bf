// Where the Docker daemon listens, as the Docker CLI reads it: DOCKER_HOST = unix:///path or
// tcp://host:port (http://host:port too), default /var/run/docker.sock. TLS (DOCKER_TLS_VERIFY /
// DOCKER_CERT_PATH) is not supported yet and is refused with a clear message.
import { AppError } from '../../ipc/errors';

export type DockerEndpoint = { kind: 'unix'; socketPath: string } | { kind: 'tcp'; host: string; port: number };

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export function dockerEndpoint(env: Record<string, string | undefined>): DockerEndpoint {
  const raw = env.DOCKER_HOST?.trim();
  if (!raw) return { kind: 'unix', socketPath: DEFAULT_DOCKER_SOCKET };
  if (env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0') {
    throw new AppError('INVALID_ARGUMENT', `DOCKER_HOST ${raw} needs TLS, which DevSpace's Docker builder does not support yet.`, 'Use the local socket (unset DOCKER_HOST) or choose the in-cluster (Kaniko) builder.');
  }
  const m = /^(unix|tcp|http):\/\/(.*)$/.exec(raw);
  if (!m) {
    throw new AppError('INVALID_ARGUMENT', `DOCKER_HOST "${raw}" is not an address DevSpace understands.`, 'Use unix:///path/to/docker.sock or tcp://host:port.');
  }
  if (m[1] === 'unix') {
    if (!m[2].startsWith('/')) throw new AppError('INVALID_ARGUMENT', `DOCKER_HOST "${raw}" must name an absolute socket path.`, 'For example unix:///var/run/docker.sock.');
    return { kind: 'unix', socketPath: m[2] };
  }
  const hostPort = /^\[?([^\]/]+?)\]?(?::(\d+))?\/?$/.exec(m[2]);
  if (!hostPort) throw new AppError('INVALID_ARGUMENT', `DOCKER_HOST "${raw}" has no host.`, 'Use tcp://host:port.');
  return { kind: 'tcp', host: hostPort[1], port: hostPort[2] ? Number(hostPort[2]) : 2375 };
}

export function describeEndpoint(e: DockerEndpoint): string {
  return e.kind === 'unix' ? e.socketPath : `tcp://${e.host}:${e.port}`;
}
