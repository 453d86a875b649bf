// Test support: lists a build context and prints the outcome as one JSON line. Tests run it as
// an unprivileged user to meet a real "permission denied", which root never sees.
// Usage: node --import tsx main/build/context/listProbe.ts <contextDir>
import { listBuildContext } from './buildContext';

listBuildContext({ contextDir: process.argv[2] ?? '' }).then(
  (entries) => console.log(JSON.stringify({ ok: true, paths: entries.map((e) => e.path) })),
  (e: { code?: string; message?: string; hint?: string }) => console.log(JSON.stringify({ code: e.code, message: e.message, hint: e.hint })),
);
