// Rendering a Service for the terminal: table (default), json or yaml. Every string in it came from
// the server, so each output escapes control and BiDi characters (terminal.ts).
import type { Service, ServicePort } from '@cci-openapi/types';
import YAML from 'yaml';
import { tableCell as cell } from './kubectl-table.js';
import { escapeRawInQuoted, hasControls } from './terminal.js';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const NONE = '<none>';

/** "8080:80/TCP", plus " (nodePort 30080)" when the port is exposed on the nodes. */
export function formatPort(port: ServicePort): string {
  const target = port.targetPort === undefined ? port.port : port.targetPort;
  const text = `${port.port}:${target}/${port.protocol ?? 'TCP'}`;
  return cell(port.nodePort ? `${text} (nodePort ${port.nodePort})` : text);
}

/**
 * The rows of the table: a label and one or more lines of value. A Service may come without spec
 * or status (a server is free to leave them out): those rows then say <none>.
 */
function tableRows(service: Service): Array<[string, string[]]> {
  const spec: Partial<Service['spec']> = service.spec ?? {};
  const status: Partial<Service['status']> = service.status ?? {};
  const metadata: Partial<Service['metadata']> = service.metadata ?? {};
  const type = spec.type ?? 'ClusterIP';
  const clusterIP = spec.clusterIP === 'None' ? 'None (headless)' : spec.clusterIP || NONE;
  const ports = (Array.isArray(spec.ports) ? spec.ports : []).map((p) =>
    p.name ? `${cell(p.name)} ${formatPort(p)}` : formatPort(p),
  );
  const ingress = (Array.isArray(status.loadBalancer?.ingress) ? status.loadBalancer.ingress : []).map(
    (i) => [i.ip, i.hostname].filter(Boolean).map(cell).join(' ') || NONE,
  );
  const rows: Array<[string, string[]]> = [
    ['Service', [`${cell(metadata.namespace ?? '')}/${cell(metadata.name ?? '')}`]],
    ['Type', [cell(type)]],
    ['Cluster IP', [type === 'ExternalName' ? NONE : cell(clusterIP)]],
  ];
  if (type === 'ExternalName') rows.push(['External name', [spec.externalName ? cell(spec.externalName) : NONE]]);
  rows.push(['Ports', ports.length ? ports : [NONE]]);
  const pending = type === 'LoadBalancer' ? '<pending>' : NONE;
  rows.push(['Load-balancer ingress', ingress.length ? ingress : [pending]]);
  return rows;
}

export function renderTable(service: Service): string {
  const rows = tableRows(service);
  const width = Math.max(...rows.map(([label]) => label.length)) + 3; // ":" and two spaces
  return `${rows.flatMap(([label, values]) => values.map((value, i) => `${(i === 0 ? `${label}:` : '').padEnd(width)}${value}`)).join('\n')}\n`;
}

/** JSON.stringify escapes C0 itself; DEL, C1 and BiDi characters (raw in its output) become \uXXXX too. */
export function renderJson(value: unknown): string {
  return `${escapeRawInQuoted(JSON.stringify(value, null, 2))}\n`;
}

/**
 * YAML in which every string holding a control or BiDi character (keys too) is double-quoted, the
 * one YAML style with escapes: the yaml library escapes C0 there, and the rest become \uXXXX.
 */
export function renderYaml(value: unknown): string {
  const document = new YAML.Document(value);
  YAML.visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && hasControls(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return escapeRawInQuoted(document.toString());
}

export function renderService(service: Service, format: OutputFormat): string {
  if (format === 'json') return renderJson(service);
  if (format === 'yaml') return renderYaml(service);
  return renderTable(service);
}
