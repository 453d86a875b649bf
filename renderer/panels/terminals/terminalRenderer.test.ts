import { describe, expect, it } from 'vitest';
import { chooseRenderer, pickRenderer, probeWebgl, type WebglProbe } from './terminalRenderer';

class FakeWebgl {
  disposed = 0;
  private lost: (() => void) | null = null;
  onContextLoss(listener: () => void) {
    this.lost = listener;
    return { dispose: () => (this.lost = null) };
  }
  dispose() {
    this.disposed++;
  }
  loseContext() {
    this.lost?.();
  }
}

const gpu: WebglProbe = { webgl2: true, gpu: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)' };

describe('pickRenderer', () => {
  it('uses WebGL on a real GPU, the DOM renderer without WebGL2 or on a software rasteriser', () => {
    expect(pickRenderer(gpu)).toEqual({ kind: 'webgl', reason: null });
    expect(pickRenderer({ webgl2: true, gpu: null })).toEqual({ kind: 'webgl', reason: null });
    expect(pickRenderer({ webgl2: false, gpu: null })).toEqual({ kind: 'dom', reason: 'WebGL2 is not available' });
    for (const soft of ['ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)', 'llvmpipe (LLVM 15.0.6, 256 bits)', 'Microsoft Basic Render Driver']) {
      expect(pickRenderer({ webgl2: true, gpu: soft })).toMatchObject({ kind: 'dom', reason: expect.stringContaining('software') });
    }
  });
});

describe('chooseRenderer', () => {
  it('loads the WebGL addon where picked', () => {
    const loaded: FakeWebgl[] = [];
    const choice = chooseRenderer({ probe: gpu, createWebgl: () => new FakeWebgl(), load: (a) => loaded.push(a) });
    expect(choice.kind).toBe('webgl');
    expect(loaded).toHaveLength(1);
    choice.dispose();
    expect(loaded[0]!.disposed).toBe(1);
  });

  it('creates no addon for the DOM renderer', () => {
    let created = 0;
    const choice = chooseRenderer({ probe: { webgl2: false, gpu: null }, createWebgl: () => (created++, new FakeWebgl()), load: () => {} });
    expect(choice).toMatchObject({ kind: 'dom', reason: 'WebGL2 is not available' });
    expect(created).toBe(0);
  });

  it('falls back to the DOM renderer when the context is lost, disposing the addon once', () => {
    const addon = new FakeWebgl();
    const changes: string[] = [];
    const choice = chooseRenderer({ probe: gpu, createWebgl: () => addon, load: () => {}, onChange: (c) => changes.push(`${c.kind}: ${c.reason}`) });
    addon.loseContext();
    expect(choice.kind).toBe('dom');
    expect(addon.disposed).toBe(1);
    expect(changes).toEqual(['dom: the WebGL context was lost']);
    choice.dispose();
    expect(addon.disposed).toBe(1);
  });

  it('falls back when the addon fails to load, and disposes what it created', () => {
    const addon = new FakeWebgl();
    const choice = chooseRenderer({
      probe: gpu,
      createWebgl: () => addon,
      load: () => {
        throw new Error('could not create a WebGL2 context');
      },
    });
    expect(choice).toMatchObject({ kind: 'dom', reason: 'the WebGL renderer failed to start: could not create a WebGL2 context' });
    expect(addon.disposed).toBe(1);
  });
});

describe('probeWebgl', () => {
  it('reads the GPU name, releases the probe context, and probes only once', () => {
    let canvases = 0;
    let lost = 0;
    const gl = {
      getExtension: (name: string) => (name === 'WEBGL_debug_renderer_info' ? { UNMASKED_RENDERER_WEBGL: 0x9246 } : name === 'WEBGL_lose_context' ? { loseContext: () => lost++ } : null),
      getParameter: (p: number) => (p === 0x9246 ? 'llvmpipe (LLVM 15.0.6, 256 bits)' : null),
    };
    const canvas = () => (canvases++, { getContext: () => gl });
    expect(probeWebgl(canvas)).toEqual({ webgl2: true, gpu: 'llvmpipe (LLVM 15.0.6, 256 bits)' });
    expect(probeWebgl(canvas)).toEqual({ webgl2: true, gpu: 'llvmpipe (LLVM 15.0.6, 256 bits)' });
    expect(canvases).toBe(1);
    expect(lost).toBe(1);
  });
});
