// The text of a generated chart's templates. Kept apart from generateChart.ts so the templates read
// like the files a user will see; `NAME` is replaced by the chart name (template names are global
// across subcharts, so they carry the chart's name as `helm create` does).

export const HELPERS_TPL = `{{/*
The chart's short name, cut to the 63 characters a label value may have.
*/}}
{{- define "NAME.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The objects' name: the release name, plus the chart name when the release name does not contain it.
*/}}
{{- define "NAME.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Labels the Service and the Deployment select pods by. devspace.sh/component=dev is how
DevSpace Desktop finds the dev container's pod for terminals, logs and port forwarding.
*/}}
{{- define "NAME.selectorLabels" -}}
app.kubernetes.io/name: {{ include "NAME.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
devspace.sh/component: dev
{{- end }}

{{- define "NAME.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "NAME.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
The image reference: a sha256 digest is joined with '@', a tag with ':'.
*/}}
{{- define "NAME.image" -}}
{{- $tag := toString .Values.image.tag -}}
{{- if hasPrefix "sha256:" $tag }}{{ .Values.image.repository }}@{{ $tag }}{{ else }}{{ .Values.image.repository }}:{{ $tag }}{{ end }}
{{- end }}
`;

export const DEPLOYMENT_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "NAME.fullname" . }}
  labels:
    {{- include "NAME.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      {{- include "NAME.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "NAME.labels" . | nindent 8 }}
    spec:
      {{- with .Values.pullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      containers:
        - name: {{ .Values.containerName }}
          image: {{ include "NAME.image" . | quote }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          {{- with .Values.command }}
          command:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with .Values.args }}
          args:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with .Values.env }}
          env:
            {{- range $name, $value := . }}
            - name: {{ $name | quote }}
              value: {{ $value | toString | quote }}
            {{- end }}
          {{- end }}
          {{- with .Values.ports }}
          ports:
            {{- range . }}
            - name: {{ .name | quote }}
              containerPort: {{ .port }}
              protocol: TCP
            {{- end }}
          {{- end }}
          {{- with .Values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
`;

export const SERVICE_YAML = `{{- if .Values.ports }}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "NAME.fullname" . }}
  labels:
    {{- include "NAME.labels" . | nindent 4 }}
spec:
  type: {{ .Values.service.type }}
  selector:
    {{- include "NAME.selectorLabels" . | nindent 4 }}
  ports:
    {{- range .Values.ports }}
    - name: {{ .name | quote }}
      port: {{ .port }}
      targetPort: {{ .name | quote }}
      protocol: TCP
    {{- end }}
{{- end }}
`;

export const NOTES_TXT = `Release {{ .Release.Name }} runs the dev container of {{ .Chart.Name }}
({{ include "NAME.image" . }}) in namespace {{ .Release.Namespace }}.
{{- range .Values.ports }}
Port {{ .port }} ({{ .name }}) is reachable in the cluster at {{ include "NAME.fullname" $ }}:{{ .port }}.
{{- end }}
`;

export const HELMIGNORE = `# Files helm leaves out of the chart package.
.DS_Store
.git/
.gitignore
*.swp
*.bak
*.tmp
*~
`;
