// Which renderer draws a terminal: xterm's WebGL renderer where WebGL2 runs on a real GPU (much
// cheaper per frame under heavy output), else its DOM renderer. A WebGL context can also be lost
// later (GPU reset, too many contexts, driver update); then the addon is disposed and xterm falls
// back to the DOM renderer by itself.
export type RendererKind = 'webgl' | 'dom';

export interface WebglRendererAddon {
  onContextLoss(listener: () => void): unknown;
  dispose(): void;
}

export interface RendererChoice {
  readonly kind: RendererKind;
  /** Why the DOM renderer is used, when it is. */
  readonly reason: string | null;
  dispose(): void;
}

export interface WebglProbe {
  /** A WebGL2 context could be created. */
  webgl2: boolean;
  /** The GPU's name as the browser reports it (WEBGL_debug_renderer_info), when it does. */
  gpu: string | null;
}

// Software rasterisers: WebGL works there but every frame is drawn by the CPU on the page's main
// thread, far slower than the DOM renderer (measured: 150 ms frames with SwiftShader under a
// flood, bench/uiStreams.ts). Headless Chromium with --disable-gpu, VMs and remote desktops get them.
const SOFTWARE_GPU = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

/** The renderer to use for what the probe found, and why when it is not WebGL. */
export function pickRenderer(probe: WebglProbe): { kind: RendererKind; reason: string | null } {
  if (!probe.webgl2) return { kind: 'dom', reason: 'WebGL2 is not available' };
  if (probe.gpu && SOFTWARE_GPU.test(probe.gpu)) return { kind: 'dom', reason: `WebGL is drawn in software (${probe.gpu})` };
  return { kind: 'webgl', reason: null };
}

type ProbeContext = { getExtension(name: string): unknown; getParameter(p: number): unknown };
let probed: WebglProbe | null = null;

/** What WebGL this page has; probed once, the probe's context released at once. */
export function probeWebgl(createCanvas: () => { getContext(kind: 'webgl2'): unknown } = () => document.createElement('canvas')): WebglProbe {
  if (probed) return probed;
  try {
    const gl = createCanvas().getContext('webgl2') as ProbeContext | null;
    let gpu: string | null = null;
    if (gl) {
      const info = gl.getExtension('WEBGL_debug_renderer_info') as { UNMASKED_RENDERER_WEBGL: number } | null;
      const name = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : null;
      gpu = typeof name === 'string' ? name : null;
      (gl.getExtension('WEBGL_lose_context') as { loseContext(): void } | null)?.loseContext();
    }
    probed = { webgl2: !!gl, gpu };
  } catch {
    probed = { webgl2: false, gpu: null };
  }
  return probed;
}

/** Loads the WebGL addon when the probe says so, and falls back to the DOM renderer on context loss. */
export function chooseRenderer<A extends WebglRendererAddon>(options: {
  probe: WebglProbe;
  createWebgl: () => A;
  load: (addon: A) => void;
  onChange?: (choice: RendererChoice) => void;
}): RendererChoice {
  let kind: RendererKind = 'dom';
  let reason: string | null = null;
  let addon: A | null = null;
  const choice: RendererChoice = {
    get kind() {
      return kind;
    },
    get reason() {
      return reason;
    },
    dispose() {
      addon?.dispose();
      addon = null;
    },
  };
  const fallBack = (why: string) => {
    kind = 'dom';
    reason = why;
    const a = addon;
    addon = null;
    try {
      a?.dispose();
    } catch {
      // already torn down with its context
    }
    options.onChange?.(choice);
  };
  const picked = pickRenderer(options.probe);
  if (picked.kind === 'dom') {
    reason = picked.reason;
    return choice;
  }
  let created: A | null = null;
  try {
    const a = (created = options.createWebgl());
    a.onContextLoss(() => {
      if (addon === a) fallBack('the WebGL context was lost');
    });
    options.load(a);
    addon = a;
    kind = 'webgl';
  } catch (err) {
    reason = `the WebGL renderer failed to start: ${err instanceof Error ? err.message : String(err)}`;
    try {
      created?.dispose();
    } catch {
      // it never got going
    }
  }
  return choice;
}
