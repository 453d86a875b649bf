// Helm 2's "hapi" protobuf messages and the Tiller ReleaseService, written from the field numbers
// in helm v2's _proto/hapi (chart/*.proto, release/*.proto, services/tiller.proto,
// version/version.proto; fields added after those files' stored versions are left out). Only field numbers and types matter on the wire; names here are
// camelCase for TypeScript. Shared by the app's client and the test cluster's Tiller stand-in.
import protobuf from 'protobufjs';

const str = (id: number) => ({ type: 'string', id });
const bool = (id: number) => ({ type: 'bool', id });
const rep = (type: string, id: number) => ({ rule: 'repeated', type, id });

const descriptor = {
  nested: {
    google: { nested: { protobuf: { nested: {
      Any: { fields: { typeUrl: str(1), value: { type: 'bytes', id: 2 } } },
      Timestamp: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
    } } } },
    hapi: { nested: {
      chart: { nested: {
        Maintainer: { fields: { name: str(1), email: str(2) } },
        Metadata: { fields: {
          name: str(1), home: str(2), sources: rep('string', 3), version: str(4), description: str(5),
          keywords: rep('string', 6), maintainers: rep('Maintainer', 7), engine: str(8), icon: str(9),
          apiVersion: str(10), condition: str(11), tags: str(12), appVersion: str(13),
        } },
        Template: { fields: { name: str(1), data: { type: 'bytes', id: 2 } } },
        Value: { fields: { value: str(1) } },
        Config: { fields: { raw: str(1), values: { keyType: 'string', type: 'Value', id: 2 } } },
        Chart: { fields: {
          metadata: { type: 'Metadata', id: 1 }, templates: rep('Template', 2), dependencies: rep('Chart', 3),
          values: { type: 'Config', id: 4 }, files: rep('google.protobuf.Any', 5),
        } },
      } },
      release: { nested: {
        Status: {
          fields: { code: { type: 'Code', id: 1 }, resources: str(3), notes: str(4) },
          nested: { Code: { values: { UNKNOWN: 0, DEPLOYED: 1, DELETED: 2, SUPERSEDED: 3, FAILED: 4, DELETING: 5, PENDING_INSTALL: 6, PENDING_UPGRADE: 7, PENDING_ROLLBACK: 8 } } },
        },
        Info: { fields: {
          status: { type: 'Status', id: 1 }, firstDeployed: { type: 'google.protobuf.Timestamp', id: 2 },
          lastDeployed: { type: 'google.protobuf.Timestamp', id: 3 }, deleted: { type: 'google.protobuf.Timestamp', id: 4 },
          description: str(5),
        } },
        Hook: { fields: {
          name: str(1), kind: str(2), path: str(3), manifest: str(4), events: rep('int32', 5),
          lastRun: { type: 'google.protobuf.Timestamp', id: 6 },
        } },
        Release: { fields: {
          name: str(1), info: { type: 'Info', id: 2 }, chart: { type: 'hapi.chart.Chart', id: 3 },
          config: { type: 'hapi.chart.Config', id: 4 }, manifest: str(5), hooks: rep('Hook', 6),
          version: { type: 'int32', id: 7 }, namespace: str(8),
        } },
      } },
      version: { nested: { Version: { fields: { semVer: str(1), gitCommit: str(2), gitTreeState: str(3) } } } },
      services: { nested: { tiller: { nested: {
        ListReleasesRequest: { fields: {
          limit: { type: 'int64', id: 1 }, offset: str(2), sortBy: { type: 'int32', id: 3 }, filter: str(4),
          sortOrder: { type: 'int32', id: 5 }, statusCodes: rep('hapi.release.Status.Code', 6), namespace: str(7),
        } },
        ListReleasesResponse: { fields: { count: { type: 'int64', id: 1 }, next: str(2), total: { type: 'int64', id: 3 }, releases: rep('hapi.release.Release', 4) } },
        GetReleaseStatusRequest: { fields: { name: str(1), version: { type: 'int32', id: 2 } } },
        GetReleaseStatusResponse: { fields: { name: str(1), info: { type: 'hapi.release.Info', id: 2 }, namespace: str(3) } },
        GetReleaseContentRequest: { fields: { name: str(1), version: { type: 'int32', id: 2 } } },
        GetReleaseContentResponse: { fields: { release: { type: 'hapi.release.Release', id: 1 } } },
        UpdateReleaseRequest: { fields: {
          name: str(1), chart: { type: 'hapi.chart.Chart', id: 2 }, values: { type: 'hapi.chart.Config', id: 3 },
          dryRun: bool(4), disableHooks: bool(5), recreate: bool(6), timeout: { type: 'int64', id: 7 },
          resetValues: bool(8), wait: bool(9), reuseValues: bool(10),
        } },
        UpdateReleaseResponse: { fields: { release: { type: 'hapi.release.Release', id: 1 } } },
        RollbackReleaseRequest: { fields: {
          name: str(1), dryRun: bool(2), disableHooks: bool(3), version: { type: 'int32', id: 4 }, recreate: bool(5),
          timeout: { type: 'int64', id: 6 }, wait: bool(7),
        } },
        RollbackReleaseResponse: { fields: { release: { type: 'hapi.release.Release', id: 1 } } },
        InstallReleaseRequest: { fields: {
          chart: { type: 'hapi.chart.Chart', id: 1 }, values: { type: 'hapi.chart.Config', id: 2 }, dryRun: bool(3),
          name: str(4), disableHooks: bool(5), namespace: str(6), reuseName: bool(7), timeout: { type: 'int64', id: 8 },
          wait: bool(9),
        } },
        InstallReleaseResponse: { fields: { release: { type: 'hapi.release.Release', id: 1 } } },
        UninstallReleaseRequest: { fields: { name: str(1), disableHooks: bool(2), purge: bool(3), timeout: { type: 'int64', id: 4 } } },
        UninstallReleaseResponse: { fields: { release: { type: 'hapi.release.Release', id: 1 }, info: str(2) } },
        GetVersionRequest: { fields: {} },
        GetVersionResponse: { fields: { version: { type: 'hapi.version.Version', id: 1 } } },
        GetHistoryRequest: { fields: { name: str(1), max: { type: 'int32', id: 2 } } },
        GetHistoryResponse: { fields: { releases: rep('hapi.release.Release', 1) } },
      } } } },
    } },
  },
};

const root = protobuf.Root.fromJSON(descriptor);

export type StatusCode = 'UNKNOWN' | 'DEPLOYED' | 'DELETED' | 'SUPERSEDED' | 'FAILED' | 'DELETING' | 'PENDING_INSTALL' | 'PENDING_UPGRADE' | 'PENDING_ROLLBACK';
export const STATUS_CODES: StatusCode[] = ['UNKNOWN', 'DEPLOYED', 'DELETED', 'SUPERSEDED', 'FAILED', 'DELETING', 'PENDING_INSTALL', 'PENDING_UPGRADE', 'PENDING_ROLLBACK'];

export interface Timestamp { seconds: number; nanos: number }
export interface AnyFile { typeUrl: string; value: Uint8Array }
export interface Config { raw: string }
export interface Template { name: string; data: Uint8Array }
export interface Metadata {
  name: string; home?: string; sources?: string[]; version: string; description?: string; keywords?: string[];
  maintainers?: Array<{ name: string; email?: string }>; engine?: string; icon?: string; apiVersion?: string;
  condition?: string; tags?: string; appVersion?: string;
}
export interface Chart { metadata: Metadata; templates: Template[]; dependencies: Chart[]; values?: Config; files: AnyFile[] }
export interface Info { status: { code: StatusCode; resources?: string; notes?: string }; firstDeployed?: Timestamp; lastDeployed?: Timestamp; deleted?: Timestamp; description?: string }
export interface Hook { name: string; kind: string; path: string; manifest: string; events: number[] }
export interface Release { name: string; info: Info; chart: Chart; config: Config; manifest: string; hooks: Hook[]; version: number; namespace: string }

/** A message type by its short name in hapi.services.tiller, or a full name. */
function type(name: string): protobuf.Type {
  return root.lookupType(name.includes('.') ? name : `hapi.services.tiller.${name}`);
}

const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: String, defaults: true, arrays: true };

export function encode(typeName: string, message: object): Buffer {
  const t = type(typeName);
  return Buffer.from(t.encode(t.fromObject(message)).finish());
}

export function decode<T>(typeName: string, data: Uint8Array): T {
  const t = type(typeName);
  return t.toObject(t.decode(data), TO_OBJECT) as T;
}

export function encodeRelease(r: Release): Buffer { return encode('hapi.release.Release', r); }
export function decodeRelease(data: Uint8Array): Release { return decode<Release>('hapi.release.Release', data); }

export const SERVICE = 'hapi.services.tiller.ReleaseService';

/** Request and response types of each call; ListReleases streams its responses. */
export const METHODS = {
  ListReleases: { request: 'ListReleasesRequest', response: 'ListReleasesResponse', responseStream: true },
  GetReleaseStatus: { request: 'GetReleaseStatusRequest', response: 'GetReleaseStatusResponse', responseStream: false },
  GetReleaseContent: { request: 'GetReleaseContentRequest', response: 'GetReleaseContentResponse', responseStream: false },
  UpdateRelease: { request: 'UpdateReleaseRequest', response: 'UpdateReleaseResponse', responseStream: false },
  InstallRelease: { request: 'InstallReleaseRequest', response: 'InstallReleaseResponse', responseStream: false },
  UninstallRelease: { request: 'UninstallReleaseRequest', response: 'UninstallReleaseResponse', responseStream: false },
  GetVersion: { request: 'GetVersionRequest', response: 'GetVersionResponse', responseStream: false },
  RollbackRelease: { request: 'RollbackReleaseRequest', response: 'RollbackReleaseResponse', responseStream: false },
  GetHistory: { request: 'GetHistoryRequest', response: 'GetHistoryResponse', responseStream: false },
} as const;
export type MethodName = keyof typeof METHODS;

/** grpc-js method definitions (path, serialisers) for a server or a generic client. */
export function methodDefinition(name: MethodName) {
  const m = METHODS[name];
  return {
    path: `/${SERVICE}/${name}`,
    requestStream: false,
    responseStream: m.responseStream,
    requestSerialize: (v: object) => encode(m.request, v),
    requestDeserialize: (b: Buffer) => decode<any>(m.request, b),
    responseSerialize: (v: object) => encode(m.response, v),
    responseDeserialize: (b: Buffer) => decode<any>(m.response, b),
  };
}

export function timestamp(d: Date): Timestamp {
  return { seconds: Math.floor(d.getTime() / 1000), nanos: (d.getTime() % 1000) * 1e6 };
}

/** The compatibility rule of helm v2's pkg/version.IsCompatible: server must satisfy ^<client major>.<client minor>.x. */
export function isCompatible(client: string, server: string): boolean {
  if (client.endsWith('unreleased') || server.endsWith('unreleased')) return true;
  const parse = (v: string) => /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(v);
  const c = parse(client);
  const s = parse(server);
  if (!c || !s) return false;
  // With a prerelease on either side Helm asks for exactly the client's version.
  if (c[4] || s[4]) return client.replace(/^v/, '').replace(/\+.*$/, '') === server.replace(/^v/, '').replace(/\+.*$/, '');
  const [cMaj, cMin] = [Number(c[1]), Number(c[2])];
  const [sMaj, sMin] = [Number(s[1]), Number(s[2])];
  // Masterminds semver: ^X.Y.x with X>0 means >= X.Y.0 and < X+1.0.0; with X=0 it means >= 0.Y.0 and < 0.Y+1.0.
  if (cMaj === 0) return sMaj === 0 && sMin === cMin;
  return sMaj === cMaj && sMin >= cMin;
}
