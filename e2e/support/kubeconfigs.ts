// Kubeconfigs the e2e stories use.

/** Two contexts whose API servers are closed ports on this machine: nothing answers there. */
export const TWO_UNREACHABLE_CONTEXTS = `apiVersion: v1
kind: Config
current-context: alpha
clusters:
- name: alpha-cluster
  cluster: { server: "https://127.0.0.1:1" }
- name: beta-cluster
  cluster: { server: "https://127.0.0.1:2" }
users:
- name: dev
  user: { token: "not-a-real-token" }
contexts:
- name: alpha
  context: { cluster: alpha-cluster, user: dev, namespace: team-a }
- name: beta
  context: { cluster: beta-cluster, user: dev }
`;
