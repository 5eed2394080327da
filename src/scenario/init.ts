// `bench init`: a commented starter scenario. A test loads it, so it can never drift from the format.

/** Where `npm i -D slo-bench` puts the published schema, relative to the project root. */
export const INSTALLED_SCHEMA = 'node_modules/slo-bench/schema/scenario.schema.json';

export interface InitOptions {
  /** the file as the user named it, for the header's commands */
  file?: string;
  /** the modeline's schema, relative to the file's folder (yaml-language-server resolves it from there) */
  schemaPath?: string;
}

export function initTemplate({ file = 'scenario.yml', schemaPath = `./${INSTALLED_SCHEMA}` }: InitOptions = {}): string {
  return `# yaml-language-server: $schema=${schemaPath}
# A bench scenario. Run it:   bench run ${file} --target http://127.0.0.1:3000
# Check it without running:   bench validate ${file}

name: my-api
target: http://127.0.0.1:3000   # --target overrides

http:
  timeout: 5s                 # per-request deadline
  headers:
    accept: application/json
    # authorization: Bearer \${API_TOKEN}   # \${VAR}, \${VAR:-default}, \${VAR:?message} read the environment;
    #                                        # substituted values never appear in reports or logs

# Load, as phases in order. Open model: arrivals per second, whatever the response times
# (latency is measured from the intended send time, so a slow server cannot hide its queue).
load:
  - { duration: 10s, rate: 10/s, rampTo: 50/s }   # warm up, ramping linearly
  - { duration: 30s, rate: 50/s }
  # Closed model instead: a fixed number of users, each waiting for its response.
  # - { duration: 30s, vus: 20, think: 100ms..300ms }

variables:
  productIds: [1, 2, 3, 42]

flows:
  - name: browse
    weight: 3                 # picked 3 times as often as a weight-1 flow
    steps:
      - name: health
        get: /health
        expect: { status: 200, json: { $.status: ok } }
      - name: get-product     # the endpoint name in every report
        get: /api/products/{{ randomItem(productIds) }}
        expect: { status: 200 }
        capture: { price: $.price }     # JSONPath into the response body
      - think: 50ms..200ms
      - name: add-to-cart
        post: /api/cart
        json: { productId: 1, price: "{{ price }}" }   # a whole-value template keeps the number type
        expect: { status: 201 }

# Gates for CI: bench exits 1 when one fails. Absent: p95 < 200ms, rps >= 100, error_rate < 1%.
slo:
  - p95 < 200ms
  - error_rate < 1%
  - "get-product: p99 < 300ms"
`;
}
