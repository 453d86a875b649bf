// Test helper: writes a chart (a map of relative path → content) into a fresh temp folder.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export function writeChart(files: Record<string, string | Uint8Array>, name = 'chart'): string {
  const root = mkdtempSync(path.join(tmpdir(), 'chart-test-'));
  const dir = path.join(root, name);
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

export const CHART_YAML = (name: string, extra = '') => `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n${extra}`;
