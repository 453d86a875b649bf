// Cluster DNS for pods, the simple way: each pod's /etc/hosts (bind-mounted, rewritten in place so
// running containers see changes) maps `name`, `name.ns`, `name.ns.svc` and
// `name.ns.svc.cluster.local` of every Service to the address of its proxy on this node
// (service-proxy.ts); headless Services map to a ready endpoint's pod IP.
import { writeFileSync } from 'node:fs';

export class ServiceDns {
  readonly services = new Map<string, any>();
  readonly endpoints = new Map<string, any>();

  /** `proxyAddress`: where the node's Service proxy listens for a Service, if it does. */
  constructor(private readonly proxyAddress: (namespace: string, name: string) => string | undefined = () => undefined) {}

  private static key(o: any): string { return `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`; }

  setServices(items: any[]): void { this.services.clear(); for (const s of items) this.services.set(ServiceDns.key(s), s); }
  setEndpoints(items: any[]): void { this.endpoints.clear(); for (const e of items) this.endpoints.set(ServiceDns.key(e), e); }
  updateService(type: string, s: any): void { if (type === 'DELETED') this.services.delete(ServiceDns.key(s)); else this.services.set(ServiceDns.key(s), s); }
  updateEndpoints(type: string, e: any): void { if (type === 'DELETED') this.endpoints.delete(ServiceDns.key(e)); else this.endpoints.set(ServiceDns.key(e), e); }

  /** The address `name.namespace` resolves to, or undefined when there is no such Service. */
  resolve(name: string, namespace: string): string | undefined {
    const key = `${namespace}/${name}`;
    const svc = this.services.get(key);
    if (!svc) return undefined;
    const proxied = this.proxyAddress(namespace, name);
    if (proxied) return proxied;
    const ep = this.endpoints.get(key);
    const ready = (ep?.subsets ?? []).flatMap((s: any) => (s.addresses ?? []).map((a: any) => a.ip)).filter(Boolean);
    if (ready.length) return ready[0];
    const ip = svc.spec?.clusterIP;
    return ip && ip !== 'None' ? ip : undefined;
  }

  /** Resolves a host name the way a pod in `namespace` would (used by stand-ins on the host). */
  lookupHost(host: string, namespace: string): string | undefined {
    const m = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?)?\.?$/.exec(host);
    if (!m) return undefined;
    return this.resolve(m[1]!, m[2] ?? namespace);
  }

  hostsFor(pod: { name: string; namespace: string; ip: string; hostname: string }): string {
    const lines = ['# Kubernetes-managed hosts file (test node).', '127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
    if (pod.ip) lines.push(`${pod.ip}\t${pod.hostname}`);
    for (const svc of this.services.values()) {
      const ns = svc.metadata.namespace ?? 'default';
      const name = svc.metadata.name;
      const ip = this.resolve(name, ns);
      if (!ip) continue;
      const names = [`${name}.${ns}.svc.cluster.local`, `${name}.${ns}.svc`, `${name}.${ns}`];
      if (ns === pod.namespace) names.push(name);
      lines.push(`${ip}\t${names.join(' ')}`);
    }
    return `${lines.join('\n')}\n`;
  }

  /** Rewrites the file in place (same inode), so a bind mount of it shows the new content. */
  static write(path: string, content: string): void {
    writeFileSync(path, content, { flag: 'w' });
  }
}
