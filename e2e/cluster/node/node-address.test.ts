import { describe, expect, it } from 'vitest';
import { authsOnNode, imageOnNode, nodeAddress, nodeName, onNode } from './node-address';

describe('node addresses of a multi-node test cluster', () => {
  it('gives node N the loopback address 127.0.0.N and the name test-node[-N]', () => {
    expect([1, 2, 3].map(nodeAddress)).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3']);
    expect([1, 2].map(nodeName)).toEqual(['test-node', 'test-node-2']);
    expect(() => nodeAddress(0)).toThrow(RangeError);
    expect(() => nodeAddress(255)).toThrow(RangeError);
  });

  it('maps localhost and 127.0.0.1 registries to the node\'s own address, nothing else', () => {
    expect(onNode('localhost:5000', '127.0.0.2')).toBe('127.0.0.2:5000');
    expect(onNode('127.0.0.1:5000', '127.0.0.2')).toBe('127.0.0.2:5000');
    expect(onNode('localhost', '127.0.0.2')).toBe('127.0.0.2');
    for (const r of ['docker.io', 'localhost.example.com:5000', '10.244.1.200:5000', '127.0.0.3:5000', '[::1]:5000']) expect(onNode(r, '127.0.0.2')).toBe(r);
    // Node 1 is this machine's localhost: unchanged, exactly as a one-node cluster.
    expect(onNode('localhost:5000', '127.0.0.1')).toBe('localhost:5000');
  });

  it('rewrites image references and duplicates pull credentials for the node\'s address', () => {
    expect(imageOnNode('localhost:5000/project/app:dev', 'localhost:5000', '127.0.0.2')).toBe('127.0.0.2:5000/project/app:dev');
    expect(imageOnNode('localhost:5000/project/app@sha256:abc', 'localhost:5000', '127.0.0.2')).toBe('127.0.0.2:5000/project/app@sha256:abc');
    expect(imageOnNode('docker.io/library/busybox:latest', 'docker.io', '127.0.0.2')).toBe('docker.io/library/busybox:latest');
    expect(imageOnNode('localhost:5000/a:b', 'localhost:5000', '127.0.0.1')).toBe('localhost:5000/a:b');
    const auths = { 'localhost:5000': { auth: 'eA==' }, 'registry.example.com': { auth: 'eQ==' } };
    expect(authsOnNode(auths, '127.0.0.2')).toEqual({ ...auths, '127.0.0.2:5000': { auth: 'eA==' } });
    expect(authsOnNode({ 'localhost:5000': { auth: 'a' }, '127.0.0.2:5000': { auth: 'b' } }, '127.0.0.2')['127.0.0.2:5000']).toEqual({ auth: 'b' });
    expect(authsOnNode(auths, '127.0.0.1')).toEqual(auths);
  });
});
