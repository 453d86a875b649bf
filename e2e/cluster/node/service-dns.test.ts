import { describe, expect, it } from 'vitest';
import { ServiceDns } from './service-dns';

const svc = (name: string, ns: string, clusterIP = '10.96.0.10') => ({ metadata: { name, namespace: ns }, spec: { clusterIP, ports: [{ port: 80 }] } });
const eps = (name: string, ns: string, ips: string[]) => ({ metadata: { name, namespace: ns }, subsets: [{ addresses: ips.map((ip) => ({ ip })), ports: [{ port: 8080 }] }] });

describe('Service DNS in /etc/hosts', () => {
  it('names every Service in full and short forms, the bare name only in the same namespace', () => {
    const dns = new ServiceDns((_ns, name) => (name === 'web' ? '10.244.0.200' : undefined));
    dns.setServices([svc('web', 'dev'), svc('db', 'other', 'None')]);
    dns.setEndpoints([eps('db', 'other', ['10.244.0.9'])]);
    const hosts = dns.hostsFor({ name: 'p', namespace: 'dev', ip: '10.244.0.3', hostname: 'p' });
    expect(hosts.split('\n')).toEqual(expect.arrayContaining([
      '10.244.0.3\tp',
      '10.244.0.200\tweb.dev.svc.cluster.local web.dev.svc web.dev web',
      '10.244.0.9\tdb.other.svc.cluster.local db.other.svc db.other',
    ]));
  });

  it('resolves host names as a pod in a namespace would, and forgets deleted Services', () => {
    const dns = new ServiceDns();
    dns.setServices([svc('registry', 'tools')]);
    dns.setEndpoints([eps('registry', 'tools', ['10.244.0.4'])]);
    expect(dns.lookupHost('registry', 'tools')).toBe('10.244.0.4');
    expect(dns.lookupHost('registry.tools.svc.cluster.local', 'dev')).toBe('10.244.0.4');
    expect(dns.lookupHost('registry', 'dev')).toBeUndefined();
    dns.updateService('DELETED', svc('registry', 'tools'));
    expect(dns.lookupHost('registry.tools', 'dev')).toBeUndefined();
  });
});
