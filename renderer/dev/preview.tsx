// Dev-only entry: installs the pretend host as the page's bridge, then starts the real app.
// Run `npx vite --config renderer/vite.config.ts` and open /dev/preview.html, optionally with
// ?project=my-app and ?kube=ok|unreachable|missing|rbac. Not part of the production build.
import { createDemoBridge } from './demoHost';

window.devspace = createDemoBridge(new URLSearchParams(window.location.search));
await import('../main');
