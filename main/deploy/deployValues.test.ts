import { describe, expect, it } from 'vitest';
import { deployValues, imageValues, mergeValues } from './deployValues';

describe('deploy values', () => {
  it('offers the built image under the documented keys', () => {
    expect(imageValues({ repository: 'localhost:5000/app', tag: 'abc', pullSecrets: ['reg'] })).toEqual({ image: { repository: 'localhost:5000/app', tag: 'abc' }, imageRef: 'localhost:5000/app:abc', pullSecrets: ['reg'] });
    expect(imageValues({ repository: 'r/app', tag: 'sha256:00' }).imageRef).toBe('r/app@sha256:00');
  });

  it('lets the user win: maps merge, lists and scalars replace', () => {
    const v = deployValues({ image: { repository: 'r/app', tag: 't', pullSecrets: ['a'] }, configValues: { image: { tag: 'mine' }, pullSecrets: [] }, fileValues: { image: { pullPolicy: 'Always' } } });
    expect(v).toEqual({ image: { repository: 'r/app', tag: 'mine', pullPolicy: 'Always' }, imageRef: 'r/app:t', pullSecrets: [] });
    const a = { x: { y: 1 } };
    mergeValues(a, { x: { z: 2 } });
    expect(a).toEqual({ x: { y: 1 } });
  });
});
