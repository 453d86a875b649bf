// The socat stand-in's reading of socat's arguments (what runs is tested end to end in
// main/registry/registryProxy.test.ts: pushes and pulls through a proxy pod).
import { describe, expect, it } from 'vitest';
import { parseSocatArgs, socatStandIn } from './socat-stand-in';

describe('socat stand-in', () => {
  it('reads TCP-LISTEN and TCP/TCP-CONNECT addresses, with or without the leading socat and -d options', () => {
    expect(parseSocatArgs(['TCP-LISTEN:5000,fork,reuseaddr', 'TCP:devspace-registry.ns.svc.cluster.local:5000'])).toEqual({ listenPort: 5000, host: 'devspace-registry.ns.svc.cluster.local', port: 5000 });
    expect(parseSocatArgs(['socat', '-d', '-d', 'tcp-l:80,fork', 'tcp-connect:10.0.0.1:8080'])).toEqual({ listenPort: 80, host: '10.0.0.1', port: 8080 });
    expect(parseSocatArgs(['/usr/bin/socat', 'TCP4-LISTEN:1', 'TCP4:a:2,nodelay'])).toEqual({ listenPort: 1, host: 'a', port: 2 });
  });

  it('refuses what it cannot do with socat-like messages', () => {
    expect(() => parseSocatArgs(['TCP-LISTEN:5000'])).toThrow('exactly 2 addresses required (there are 1)');
    expect(() => parseSocatArgs(['UDP-LISTEN:53', 'UDP:x:53'])).toThrow('unknown device/address "UDP-LISTEN"');
    expect(() => parseSocatArgs(['TCP-LISTEN:5000', 'UNIX-CONNECT:/tmp/s'])).toThrow('unknown device/address "UNIX-CONNECT"');
  });

  it('serves alpine/socat and any repository whose last part contains socat', () => {
    const s = socatStandIn();
    expect(s.repositories).toContain('alpine/socat');
    expect(s.matches!('mirror/tools/socat-proxy')).toBe(true);
    expect(s.matches!('socat')).toBe(true);
    expect(s.matches!('socat/registry')).toBe(false);
    expect(s.matches!('library/busybox')).toBe(false);
  });
});
