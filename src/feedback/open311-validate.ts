/**
 * Test helper: validates Open311 JSON responses against the published GeoReport v2
 * schemas (committed copies in ./open311-schemas/, see its README) and, for the
 * answers those schemas do not cover, against the shapes the spec documents.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

function load(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./open311-schemas/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// The published files refer to each other by file name.
ajv.addSchema(load('request.json'), 'request.json');
ajv.addSchema(load('service.json'), 'service.json');

const published = {
  services: ajv.compile(load('services.json')),
  definition: ajv.compile(load('service-definition.json')),
  requests: ajv.compile(load('requests.json')),
};

const documented = {
  errors: ajv.compile({
    type: 'array',
    minItems: 1,
    items: { type: 'object', required: ['code', 'description'], additionalProperties: false, properties: { code: { type: 'integer', enum: [400, 403, 404, 429] }, description: { type: 'string', minLength: 1 } } },
  }),
  posted: ajv.compile({
    type: 'array',
    minItems: 1,
    maxItems: 1,
    items: {
      type: 'object',
      required: ['service_request_id', 'service_notice', 'account_id'],
      properties: { service_request_id: { type: 'string', minLength: 1 }, token: { type: ['string', 'null'] }, service_notice: { type: ['string', 'null'] }, account_id: { type: ['string', 'null'] } },
    },
  }),
  token: ajv.compile({
    type: 'array',
    minItems: 1,
    items: { type: 'object', required: ['service_request_id', 'token'], properties: { service_request_id: { type: 'string' }, token: { type: 'string' } } },
  }),
  discovery: ajv.compile({
    type: 'object',
    required: ['changeset', 'contact', 'key_service', 'endpoints'],
    properties: {
      changeset: { type: 'string', format: 'date-time' },
      endpoints: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['specification', 'url', 'changeset', 'type', 'formats'],
          properties: { url: { type: 'string', format: 'uri' }, formats: { type: 'array', items: { enum: ['text/xml', 'application/json'] } } },
        },
      },
    },
  }),
};

export type Kind = 'discovery' | 'services' | 'definition' | 'requests' | 'posted' | 'token' | 'errors';

/** Which schema a JSON answer must follow, from its path, method and status. */
export function kindOf(method: string, path: string, status: number): Kind {
  if (status >= 400) return 'errors';
  const p = path.replace(/\?.*$/, '').replace(/^\/open311\/v2\//, '');
  if (p === 'discovery.json') return 'discovery';
  if (p === 'services.json') return 'services';
  if (p.startsWith('services/')) return 'definition';
  if (p.startsWith('tokens/')) return 'token';
  if (p === 'requests.json' && method === 'POST') return 'posted';
  return 'requests';
}

/** Throws with ajv's messages unless `body` follows the schema for `kind`. */
export function assertOpen311(kind: Kind, body: unknown): void {
  const v: ValidateFunction = kind === 'services' || kind === 'definition' || kind === 'requests' ? published[kind] : documented[kind];
  if (!v(body)) throw new Error(`Open311 ${kind} response does not follow its schema: ${ajv.errorsText(v.errors)}\n${JSON.stringify(body).slice(0, 2000)}`);
}

/** XML well-formedness for our output (elements and text only): declaration, one root, balanced tags, escaped text. */
export function assertXml(text: string): string {
  const decl = '<?xml version="1.0" encoding="utf-8"?>\n';
  if (!text.startsWith(decl)) throw new Error('XML without the UTF-8 declaration');
  const body = text.slice(decl.length);
  const stack: string[] = [];
  let root = '';
  const re = /<(\/?)([a-z_][a-z0-9_]*)>|([^<]+)|(<)/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    if (m[4]) throw new Error(`stray "<" in XML at ${m.index}`);
    if (m[3] !== undefined) {
      if (!stack.length) throw new Error('text outside the root element');
      if (/&(?!(lt|gt|amp|apos|quot);)/.test(m[3])) throw new Error(`unescaped & in XML text: ${m[3].slice(0, 40)}`);
      continue;
    }
    if (m[1]) {
      if (stack.pop() !== m[2]) throw new Error(`mismatched </${m[2]}>`);
    } else {
      if (!stack.length && root) throw new Error('more than one root element');
      root ||= m[2]!;
      stack.push(m[2]!);
    }
  }
  if (stack.length) throw new Error(`unclosed <${stack.at(-1)}>`);
  return root;
}
