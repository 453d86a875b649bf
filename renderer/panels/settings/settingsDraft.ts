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
}

export function draftFrom(s: ProjectSettings): SettingsDraft {
  return {
    builder: s.builder,
    registryKind: s.registry.kind,
    url: s.registry.kind === 'external' ? s.registry.url : '',
    insecure: s.registry.kind === 'external' ? s.registry.insecure : false,
    deployEngine: s.deployEngine,
    kanikoImage: s.kanikoImage ?? '',
  };
}

export function settingsFrom(d: SettingsDraft): ProjectSettings {
  const kanikoImage = d.kanikoImage.trim();
  return {
    builder: d.builder,
    registry: d.registryKind === 'external' ? { kind: 'external', url: d.url.trim().replace(/\/+$/, ''), insecure: d.insecure } : { kind: 'in-cluster' },
    deployEngine: d.deployEngine,
    ...(kanikoImage ? { kanikoImage } : {}),
  };
}

const REGISTRY_URL = /^(?:localhost|\[[0-9a-fA-F:]+\]|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*)(?::(\d{1,5}))?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** Field → problem, in the user's words; empty when the draft can be saved. */
export function checkDraft(d: SettingsDraft): Partial<Record<'url' | 'kanikoImage', string>> {
  const errors: Partial<Record<'url' | 'kanikoImage', string>> = {};
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
  if (k && (/\s/.test(k) || /^[a-z][a-z0-9+.-]*:\/\//i.test(k))) errors.kanikoImage = 'Write an image name like gcr.io/kaniko-project/executor:debug, or leave it empty for the default.';
  return errors;
}

export function isDirty(d: SettingsDraft, saved: ProjectSettings | null): boolean {
  if (!saved) return false;
  return JSON.stringify(settingsFrom(d)) !== JSON.stringify(settingsFrom(draftFrom(saved)));
}
