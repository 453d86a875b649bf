// The Settings form's draft: what the user is editing, checked as they type with the same rules
// the app applies when it writes config.yaml (main/project/config/settingsWriter.ts), so most
// mistakes show beside their field before Save.
import type { ProjectSettings } from '../../../preload/api';

export interface SettingsDraft {
  builder: 'kaniko' | 'docker';
  registryKind: 'in-cluster' | 'external';
  /** Kept while "in-cluster" is selected, so switching back and forth loses nothing. */
  url: string;
  insecure: boolean;
  deployEngine: 'helm3' | 'tiller';
  kanikoImage: string;
  /** The in-cluster registry's fields as typed; empty = the app's default. */
  regPort: string;
  regNamespace: string;
  regImage: string;
  regProxyImage: string;
}

export type DraftField = 'url' | 'kanikoImage' | 'regPort' | 'regNamespace' | 'regImage' | 'regProxyImage';

/** The defaults the in-cluster registry fields stand for when left empty (shown as placeholders). */
export const IN_CLUSTER_DEFAULTS = { port: '5000', namespace: 'devspace-registry', image: 'registry:2', proxyImage: 'alpine/socat:latest' } as const;

export function draftFrom(s: ProjectSettings): SettingsDraft {
  return {
    builder: s.builder,
    registryKind: s.registry.kind,
    url: s.registry.kind === 'external' ? s.registry.url : '',
    insecure: s.registry.kind === 'external' ? s.registry.insecure : false,
    deployEngine: s.deployEngine,
    kanikoImage: s.kanikoImage ?? '',
    regPort: s.inClusterRegistry?.port !== undefined ? String(s.inClusterRegistry.port) : '',
    regNamespace: s.inClusterRegistry?.namespace ?? '',
    regImage: s.inClusterRegistry?.image ?? '',
    regProxyImage: s.inClusterRegistry?.proxyImage ?? '',
  };
}

export function settingsFrom(d: SettingsDraft): ProjectSettings {
  const kanikoImage = d.kanikoImage.trim();
  const port = d.regPort.trim();
  const reg = {
    ...(port ? { port: Number(port) } : {}),
    ...(d.regNamespace.trim() ? { namespace: d.regNamespace.trim() } : {}),
    ...(d.regImage.trim() ? { image: d.regImage.trim() } : {}),
    ...(d.regProxyImage.trim() ? { proxyImage: d.regProxyImage.trim() } : {}),
  };
  return {
    builder: d.builder,
    registry: d.registryKind === 'external' ? { kind: 'external', url: d.url.trim().replace(/\/+$/, ''), insecure: d.insecure } : { kind: 'in-cluster' },
    deployEngine: d.deployEngine,
    ...(kanikoImage ? { kanikoImage } : {}),
    ...(Object.keys(reg).length ? { inClusterRegistry: reg } : {}),
  };
}

const REGISTRY_URL = /^(?:localhost|\[[0-9a-fA-F:]+\]|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*)(?::(\d{1,5}))?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** Field → problem, in the user's words; empty when the draft can be saved. */
export function checkDraft(d: SettingsDraft): Partial<Record<DraftField, string>> {
  const errors: Partial<Record<DraftField, string>> = {};
  if (d.registryKind === 'external') {
    const url = d.url.trim().replace(/\/+$/, '');
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
    if (!url) errors.url = 'Enter the registry, e.g. ghcr.io/acme or registry.example.com:5000/team.';
    else if (scheme) errors.url = `Leave out "${scheme[0]}": write host[:port][/path]. Tick "insecure" for plain HTTP.`;
    else if (url.includes('@')) errors.url = 'No user name or password here: log in to the registry in the Registry panel.';
    else {
      const m = REGISTRY_URL.exec(url);
      if (!m) errors.url = 'Write host[:port][/path] with a lower-case path, e.g. ghcr.io/acme.';
      else if (m[1] !== undefined && (Number(m[1]) < 1 || Number(m[1]) > 65535)) errors.url = `Port ${m[1]} is not a port number from 1 to 65535.`;
    }
  }
  const k = d.kanikoImage.trim();
  if (notAnImage(k)) errors.kanikoImage = 'Write an image name like gcr.io/kaniko-project/executor:debug, or leave it empty for the default.';
  const port = d.regPort.trim();
  if (port && (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)) errors.regPort = 'A port number from 1 to 65535 that is free on every node, or empty for 5000.';
  const ns = d.regNamespace.trim();
  if (ns && (ns.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns))) errors.regNamespace = 'Lower-case letters, digits and "-" (at most 63), starting and ending with a letter or digit.';
  if (notAnImage(d.regImage.trim())) errors.regImage = 'Write an image name like mirror.example.com/registry:2, or leave it empty for registry:2.';
  if (notAnImage(d.regProxyImage.trim())) errors.regProxyImage = 'Write an image name like mirror.example.com/alpine/socat:latest, or leave it empty for the default.';
  return errors;
}

function notAnImage(s: string): boolean {
  return !!s && (/\s/.test(s) || /^[a-z][a-z0-9+.-]*:\/\//i.test(s));
}

export function isDirty(d: SettingsDraft, saved: ProjectSettings | null): boolean {
  if (!saved) return false;
  return JSON.stringify(settingsFrom(d)) !== JSON.stringify(settingsFrom(draftFrom(saved)));
}
