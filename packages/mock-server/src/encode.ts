// The bytes of an answer in the negotiated media type. JSON as kube-apiserver v1.20's serializer
// writes it: compact JSON through Go's json.Encoder, which ends it with a newline; indented JSON
// through json.MarshalIndent, which does not (checked against a real kube-apiserver). YAML as kube-apiserver writes it (sigs.k8s.io/yaml JSONToYAML over go-yaml v2): keys sorted,
// block style, sequences not indented under their key, strings quoted when YAML 1.1 would read
// them as something else ("true", "yes", "123", timestamps).
import YAML from 'yaml';
import type { EncodableType } from './negotiation.js';

export function encodeBody(body: unknown, mediaType: EncodableType, pretty: boolean): string {
  if (mediaType === 'application/yaml') {
    // A JSON round trip first drops undefined and turns objects with toJSON into plain data, as
    // the JSON encoder would.
    const data = JSON.parse(JSON.stringify(body)) as unknown;
    return YAML.stringify(data, {
      version: '1.1',
      sortMapEntries: true,
      indentSeq: false,
      lineWidth: 0,
      singleQuote: false,
      nullStr: 'null',
      aliasDuplicateObjects: false,
    });
  }
  return pretty ? JSON.stringify(body, null, 2) : `${JSON.stringify(body)}\n`;
}
