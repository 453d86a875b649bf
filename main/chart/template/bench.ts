// Micro-benchmark: parse + execute a realistic 30-template chart-like set (helpers with defines,
// deployment/service/ingress/configmap-style manifests using if/range/with/printf/template) 100
// times, and compare with Go's own text/template (wasm build) rendering the same set in this run.
// Run: npx tsx main/chart/template/bench.ts
import { performance } from 'node:perf_hooks';
import { loadGoOracle } from './go-oracle';
import { TemplateSet } from './index';

const helpers = `{{/* Common helpers */}}
{{- define "chart.name" -}}{{ .Chart.Name }}{{- end }}
{{- define "chart.fullname" -}}
{{- if .Values.fullnameOverride }}{{ .Values.fullnameOverride }}{{- else }}{{ printf "%s-%s" .Release.Name .Chart.Name }}{{- end }}
{{- end }}
{{- define "chart.chart" -}}{{ printf "%s-%s" .Chart.Name .Chart.Version }}{{- end }}
{{- define "chart.selectorLabels" -}}
app.kubernetes.io/name: {{ template "chart.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
{{- define "chart.labels" -}}
helm.sh/chart: {{ template "chart.chart" . }}
{{ template "chart.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}
{{- define "chart.image" -}}{{ .Values.image.repository }}:{{ or .Values.image.tag .Chart.AppVersion }}{{- end }}
`;

function manifest(i: number): string {
  return `{{- if .Values.enabled }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ template "chart.fullname" . }}-${i}
  labels:
{{ template "chart.labels" . }}
  annotations:
  {{- range $k, $v := .Values.annotations }}
    {{ $k }}: {{ printf "%q" $v }}
  {{- end }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
{{ template "chart.selectorLabels" . }}
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ template "chart.image" . }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
          {{- range .Values.ports }}
            - name: {{ .name }}
              containerPort: {{ .port }}
              protocol: {{ or .protocol "TCP" }}
          {{- end }}
          env:
          {{- range $i, $e := .Values.env }}
            - name: {{ $e.name | printf "%s" }}
              value: {{ printf "%q" (print $e.value) }}
          {{- end }}
          {{- with .Values.resources }}
          resources:
            limits:
              cpu: {{ .limits.cpu }}
              memory: {{ .limits.memory }}
          {{- end }}
          {{- if and .Values.probes (gt (len .Values.probes) 0) }}
          livenessProbe:
            httpGet:
              path: {{ index .Values.probes "path" }}
              port: {{ index .Values.probes "port" }}
          {{- else }}
          # no probes
          {{- end }}
{{- end }}
`;
}

const values = {
  Chart: { Name: 'demo', Version: '1.2.3', AppVersion: '4.5.6' },
  Release: { Name: 'rel', Service: 'Helm', Namespace: 'default' },
  Values: {
    enabled: true,
    fullnameOverride: '',
    replicaCount: 3,
    image: { repository: 'registry.local/demo', tag: '', pullPolicy: 'IfNotPresent' },
    annotations: { 'a.example.com/x': 'one', 'b.example.com/y': 'two', 'c.example.com/z': 'three' },
    ports: [{ name: 'http', port: 8080, protocol: '' }, { name: 'grpc', port: 9090, protocol: 'UDP' }, { name: 'metrics', port: 9100, protocol: '' }],
    env: Array.from({ length: 8 }, (_, i) => ({ name: `VAR_${i}`, value: i % 2 ? `value-${i}` : i * 1.5 })),
    resources: { limits: { cpu: '500m', memory: '256Mi' } },
    probes: { path: '/healthz', port: 8080 },
  },
};

const manifests = Array.from({ length: 29 }, (_, i) => manifest(i));
const rounds = 100;

function renderOurs(): string {
  const set = new TemplateSet();
  set.parse('_helpers.tpl', helpers);
  manifests.forEach((m, i) => set.parse(`templates/m${i}.yaml`, m));
  let out = '';
  for (let i = 0; i < manifests.length; i++) out += set.execute(`templates/m${i}.yaml`, values);
  return out;
}

// Go gets the same templates as one text: the manifests become defines executed in turn.
const goText = helpers + manifests.map((m, i) => `{{- define "m${i}" }}${m}{{ end }}`).join('') + manifests.map((_, i) => `{{ template "m${i}" . }}`).join('');

async function main(): Promise<void> {
  // Warm up both, and check they agree, so the comparison is of equal work.
  const ours = renderOurs();
  let goRender: ((t: string, d: unknown) => { ok: boolean; output?: string; message?: string }) | null = null;
  try {
    goRender = await loadGoOracle();
  } catch (e) {
    console.log(`Go baseline unavailable (${(e as Error).message}); printing our figure only`);
  }
  if (goRender) {
    const g = goRender(goText, values);
    if (!g.ok) throw new Error(`Go baseline failed: ${g.message}`);
    console.log(`outputs identical to Go: ${g.output === ours} (${ours.length} bytes per render)`);
    for (let i = 0; i < 10; i++) goRender(goText, values);
  }
  for (let i = 0; i < 10; i++) renderOurs();

  let t0 = performance.now();
  for (let i = 0; i < rounds; i++) renderOurs();
  const oursMs = (performance.now() - t0) / rounds;
  console.log(`TypeScript engine: ${oursMs.toFixed(3)} ms per render (parse + execute 30 templates)`);

  if (goRender) {
    t0 = performance.now();
    for (let i = 0; i < rounds; i++) goRender(goText, values);
    const goMs = (performance.now() - t0) / rounds;
    console.log(`Go text/template (wasm): ${goMs.toFixed(3)} ms per render`);
    console.log(`ratio TypeScript / Go-wasm: ${(oursMs / goMs).toFixed(2)}x`);
  }

  // Parse-only and execute-only split, to see where time goes.
  t0 = performance.now();
  let set = new TemplateSet();
  for (let i = 0; i < rounds; i++) {
    set = new TemplateSet();
    set.parse('_helpers.tpl', helpers);
    manifests.forEach((m, k) => set.parse(`templates/m${k}.yaml`, m));
  }
  const parseMs = (performance.now() - t0) / rounds;
  t0 = performance.now();
  for (let i = 0; i < rounds; i++) for (let k = 0; k < manifests.length; k++) set.execute(`templates/m${k}.yaml`, values);
  const execMs = (performance.now() - t0) / rounds;
  console.log(`  parse ${parseMs.toFixed(3)} ms, execute ${execMs.toFixed(3)} ms (per render)`);
}

void main();
