// Rendering a Service for the terminal: table (default), json or yaml.
import type { Service, ServicePort } from '@cce-openapi/types';
import YAML from 'yaml';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const NONE = '<none>';

/** "8080:80/TCP", plus " (nodePort 30080)" when the port is exposed on the nodes. */
export function formatPort(port: ServicePort): string {
  const target = port.targetPort === undefined ? port.port : port.targetPort;
  const text = `${port.port}:${target}/${port.protocol ?? 'TCP'}`;
  return port.nodePort ? `${text} (nodePort ${port.nodePort})` : text;
}

/** The rows of the table: a label and one or more lines of value. */
export function tableRows(service: Service): Array<[string, string[]]> {
  const { spec, status, metadata } = service;
  const type = spec.type ?? 'ClusterIP';
  const clusterIP = spec.clusterIP === 'None' ? 'None (headless)' : spec.clusterIP || NONE;
  const ports = (spec.ports ?? []).map((p) => (p.name ? `${p.name} ${formatPort(p)}` : formatPort(p)));
  const ingress = (status.loadBalancer?.ingress ?? []).map((i) => [i.ip, i.hostname].filter(Boolean).join(' ') || NONE);
  const rows: Array<[string, string[]]> = [
    ['Service', [`${metadata.namespace ?? ''}/${metadata.name ?? ''}`]],
    ['Type', [type]],
    ['Cluster IP', [type === 'ExternalName' ? NONE : clusterIP]],
  ];
  if (type === 'ExternalName') rows.push(['External name', [spec.externalName || NONE]]);
  rows.push(['Ports', ports.length ? ports : [NONE]]);
  const pending = type === 'LoadBalancer' ? '<pending>' : NONE;
  rows.push(['Load-balancer ingress', ingress.length ? ingress : [pending]]);
  return rows;
}

export function renderTable(service: Service): string {
  const rows = tableRows(service);
  const width = Math.max(...rows.map(([label]) => label.length)) + 3; // ":" and two spaces
  return rows.flatMap(([label, values]) => values.map((value, i) => `${(i === 0 ? `${label}:` : '').padEnd(width)}${value}`)).join('\n') + '\n';
}

export function renderService(service: Service, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(service, null, 2)}\n`;
  if (format === 'yaml') return YAML.stringify(service);
  return renderTable(service);
}
