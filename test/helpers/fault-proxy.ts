/**
 * A fault-injecting HTTP proxy in front of moto. moto never throttles and is never
 * eventually consistent, so the provider's retry and wait paths are tested by pointing it
 * (and the AWS CLI) at this proxy instead, which passes requests through to moto unless a
 * rule says to answer them itself with:
 *
 * - `throttle`: the throttling error each protocol really sends. S3: 503 `SlowDown` (XML);
 *   EC2: 503 `RequestLimitExceeded` (EC2's XML); IAM, STS, RDS and the other query APIs:
 *   400 `Throttling` (XML); JSON APIs with `X-Amz-Target` (Tagging API, ...): 400
 *   `ThrottlingException` with `x-amzn-ErrorType`; Lambda (REST JSON): 429
 *   `TooManyRequestsException` with `x-amzn-ErrorType`.
 * - `unavailable`: a bare HTTP 503 `ServiceUnavailable` in the protocol's error shape (what a
 *   load balancer in front of any AWS API answers now and then).
 * - `not-found`: the read-after-create miss of an eventually consistent API: once a request
 *   matching `after` has succeeded, the next `times` requests matching the rule get the
 *   service's not-found error (IAM `NoSuchEntity`, S3 `NoSuchBucket`, EC2
 *   `Invalid<Thing>ID.NotFound`, ...).
 *
 * Every request is logged and counted by service and action: the `X-Amz-Target` operation,
 * else the `Action=` query or form parameter, else (S3, Lambda) `METHOD /path` with the
 * query's parameter names, e.g. `PUT /my-bucket?tagging`.
 *
 * Which requests a throttle or unavailable rule faults is deterministic: the first N, an even
 * share, or every Nth request of each action (so every operation meets the fault at least
 * once when it is called often enough, and never twice in a row with `every` >= 2).
 *
 *   const proxy = await startFaultProxy(moto.endpoint);
 *   proxy.setRules([{ service: 's3', fault: 'throttle', first: 2 }]);
 *   // run with AWS_ENDPOINT_URL=proxy.endpoint, then: proxy.count({ service: 's3' })
 */
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a rule or a count matches; every given field must match. */
export interface RequestMatch {
  /** The SigV4 signing name: `s3`, `ec2`, `iam`, `sts`, `tagging`, `lambda`, `rds`, ... */
  readonly service?: string;
  /** The action key (see the module comment); a string matches exactly. */
  readonly action?: string | RegExp;
}

/**
 * Answer matching requests with the service's throttling error (`throttle`) or a bare 503
 * (`unavailable`). Give at most one of `first`, `share` and `every`; with none, every
 * matching request is faulted.
 */
export interface ThrottleRule extends RequestMatch {
  readonly fault: 'throttle' | 'unavailable';
  /** Fault the first N matching requests (then pass the rest through). */
  readonly first?: number;
  /**
   * Fault this share (0..1) of matching requests, spread evenly and repeatably: with 0.5
   * every second one, with 0.25 every fourth.
   */
  readonly share?: number;
  /**
   * Fault the 1st, (N+1)th, (2N+1)th... request of each action separately, so the first
   * call of every operation is faulted once and its retry passes.
   */
  readonly every?: number;
}

/** After a matching create succeeds, answer the next reads with the service's not-found. */
export interface NotFoundRule extends RequestMatch {
  readonly fault: 'not-found';
  /** The create that arms the rule, e.g. `{ service: 'iam', action: 'CreateRole' }`. */
  readonly after: RequestMatch;
  /** How many reads miss after each create (default 1). */
  readonly times?: number;
  /** The error code to answer with; default: the service's usual not-found for the action. */
  readonly code?: string;
  /**
   * Arm and miss per URL path (an S3 bucket is its path), so each of several resources
   * created at once misses once; default: one shared count for the rule.
   */
  readonly perPath?: boolean;
}

export type FaultRule = ThrottleRule | NotFoundRule;

/** One request seen by the proxy. */
export interface ProxiedRequest {
  readonly service: string;
  readonly action: string;
  readonly method: string;
  readonly path: string;
  /** The HTTP status the client got. */
  readonly status: number;
  /** The code the proxy answered with instead of moto, if it did. */
  readonly fault?: string;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: use it as the endpoint instead of moto's. */
  readonly endpoint: string;
  /** Replaces the rules (and their counters). */
  setRules(rules: readonly FaultRule[]): void;
  /** Every request so far, in arrival order. */
  readonly requests: readonly ProxiedRequest[];
  /** How many requests matched (and, with `faulted`, how many of those the proxy faulted). */
  count(match?: RequestMatch & { readonly faulted?: boolean }): number;
  /** Request counts keyed `service:action`. */
  counts(): Record<string, number>;
  /** Forgets the request log (rules stay). */
  clearLog(): void;
  stop(): Promise<void>;
}

interface RuleState {
  readonly rule: FaultRule;
  matched: number;
  /** Matching requests seen per `service:action`, for `every`. */
  readonly perAction: Map<string, number>;
  faulted: number;
  /** not-found: misses still owed since the last create, by path (`''` unless `perPath`). */
  readonly armed: Map<string, number>;
}

interface Classified {
  readonly service: string;
  readonly action: string;
  readonly path: string;
  /** Errors go out as JSON (`X-Amz-Target` APIs, Lambda) rather than XML. */
  readonly json: boolean;
}

type LogEntry = { -readonly [K in keyof ProxiedRequest]: ProxiedRequest[K] };

/** Starts the proxy on a free 127.0.0.1 port, forwarding to `target` (moto's endpoint). */
export async function startFaultProxy(target: string, rules: readonly FaultRule[] = []): Promise<FaultProxy> {
  const upstream = new URL(target);
  let states: RuleState[] = [];
  const setRules = (next: readonly FaultRule[]): void => {
    states = next.map((rule) => ({ rule, matched: 0, perAction: new Map<string, number>(), faulted: 0, armed: new Map<string, number>() }));
  };
  setRules(rules);
  let log: LogEntry[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const request = classify(req, body);
      const entry: LogEntry = { service: request.service, action: request.action, method: req.method ?? 'GET', path: request.path, status: 0 };
      log.push(entry);
      const fault = decideFault(states, request);
      if (fault !== undefined) {
        entry.fault = fault.code;
        entry.status = sendFault(res, entry.method, fault);
        return;
      }
      forward(upstream, req, body, res, (status) => {
        entry.status = status;
        if (status < 300) armNotFound(states, request);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  const matchesLog = (entry: ProxiedRequest, match: RequestMatch & { readonly faulted?: boolean }): boolean =>
    matches(match, entry) && (match.faulted === undefined || match.faulted === (entry.fault !== undefined));

  return {
    endpoint: `http://127.0.0.1:${port}`,
    setRules,
    get requests() {
      return log;
    },
    count: (match = {}) => log.filter((entry) => matchesLog(entry, match)).length,
    counts: () => {
      const result: Record<string, number> = {};
      for (const entry of log) {
        const key = `${entry.service}:${entry.action}`;
        result[key] = (result[key] ?? 0) + 1;
      }
      return result;
    },
    clearLog: () => {
      log = [];
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
        server.closeAllConnections();
      }),
  };
}

function matches(match: RequestMatch, request: { readonly service: string; readonly action: string }): boolean {
  if (match.service !== undefined && match.service !== request.service) return false;
  if (match.action === undefined) return true;
  return typeof match.action === 'string' ? match.action === request.action : match.action.test(request.action);
}

/** Service from the SigV4 credential scope; action from the target header, `Action=`, or method + path. */
function classify(req: IncomingMessage, body: Buffer): Classified {
  const url = new URL(req.url ?? '/', 'http://proxy');
  const authorization = header(req.headers, 'authorization') ?? '';
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization);
  const service = scope?.[1] ?? 'unknown';
  const target = header(req.headers, 'x-amz-target');
  if (target !== undefined) return { service, action: target.slice(target.lastIndexOf('.') + 1), path: url.pathname, json: true };
  const json = service === 'lambda';
  const contentType = header(req.headers, 'content-type') ?? '';
  const form = contentType.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(body.toString('utf8')) : undefined;
  const action = url.searchParams.get('Action') ?? form?.get('Action');
  if (action !== null && action !== undefined) return { service, action, path: url.pathname, json };
  const names = [...new Set(url.searchParams.keys())].sort();
  const query = names.length > 0 ? `?${names.join('&')}` : '';
  return { service, action: `${req.method ?? 'GET'} ${url.pathname}${query}`, path: url.pathname, json };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

interface Fault {
  readonly kind: 'throttle' | 'unavailable' | 'not-found';
  readonly service: string;
  readonly code: string;
  readonly json: boolean;
}

function decideFault(states: readonly RuleState[], request: Classified): Fault | undefined {
  for (const state of states) {
    const { rule } = state;
    if (!matches(rule, request)) continue;
    state.matched++;
    const key = `${request.service}:${request.action}`;
    const seen = (state.perAction.get(key) ?? 0) + 1;
    state.perAction.set(key, seen);
    if (rule.fault !== 'not-found') {
      if (!shouldFault(rule, state, seen)) continue;
      state.faulted++;
      const code = rule.fault === 'throttle' ? throttleCode(request) : 'ServiceUnavailable';
      return { kind: rule.fault, service: request.service, code, json: request.json };
    }
    const where = rule.perPath === true ? trimSlash(request.path) : '';
    const owed = state.armed.get(where) ?? 0;
    if (owed > 0) {
      state.armed.set(where, owed - 1);
      state.faulted++;
      return { kind: 'not-found', service: request.service, code: rule.code ?? notFoundCode(request), json: request.json };
    }
  }
  return undefined;
}

function trimSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

function shouldFault(rule: ThrottleRule, state: RuleState, seenForAction: number): boolean {
  if (rule.first !== undefined) return state.matched <= rule.first;
  if (rule.share !== undefined) return Math.floor(state.matched * rule.share) > state.faulted;
  if (rule.every !== undefined) return (seenForAction - 1) % rule.every === 0;
  return true;
}

function armNotFound(states: readonly RuleState[], request: Classified): void {
  for (const state of states) {
    const { rule } = state;
    if (rule.fault === 'not-found' && matches(rule.after, request)) state.armed.set(rule.perPath === true ? trimSlash(request.path) : '', rule.times ?? 1);
  }
}

function throttleCode(request: Classified): string {
  switch (request.service) {
    case 's3':
      return 'SlowDown';
    case 'ec2':
      return 'RequestLimitExceeded';
    case 'lambda':
      return 'TooManyRequestsException';
    default:
      return request.json ? 'ThrottlingException' : 'Throttling';
  }
}

const EC2_NOT_FOUND: Record<string, string> = {
  DescribeVpcs: 'InvalidVpcID.NotFound',
  DescribeSubnets: 'InvalidSubnetID.NotFound',
  DescribeSecurityGroups: 'InvalidGroup.NotFound',
  DescribeInstances: 'InvalidInstanceID.NotFound',
  DescribeInternetGateways: 'InvalidInternetGatewayID.NotFound',
  DescribeRouteTables: 'InvalidRouteTableID.NotFound',
};

function notFoundCode(request: Classified): string {
  switch (request.service) {
    case 's3':
      return 'NoSuchBucket';
    case 'iam':
      return 'NoSuchEntity';
    case 'ec2':
      return EC2_NOT_FOUND[request.action] ?? 'InvalidID.NotFound';
    case 'rds':
      return 'DBInstanceNotFound';
    default:
      return 'ResourceNotFoundException';
  }
}

const MESSAGES: Readonly<Record<Fault['kind'], string>> = {
  throttle: 'Rate exceeded (injected by the fault proxy)',
  unavailable: 'Service unavailable (injected by the fault proxy)',
  'not-found': 'The resource was not found (injected by the fault proxy)',
};

function sendFault(res: ServerResponse, method: string, fault: Fault): number {
  const requestId = randomUUID();
  const message = MESSAGES[fault.kind];
  if (fault.json) {
    const status = fault.kind === 'unavailable' ? 503 : fault.kind === 'throttle' ? (fault.service === 'lambda' ? 429 : 400) : fault.service === 'lambda' ? 404 : 400;
    const payload = JSON.stringify({ __type: fault.code, message, Type: 'User' });
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': fault.code, 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
    return status;
  }
  let status: number;
  let xml: string;
  if (fault.service === 's3') {
    status = fault.kind === 'not-found' ? 404 : 503;
    xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${fault.code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`;
  } else if (fault.service === 'ec2') {
    status = fault.kind === 'not-found' ? 400 : 503;
    xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${fault.code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
  } else {
    status = fault.kind === 'unavailable' ? 503 : fault.kind === 'throttle' ? 400 : 404;
    xml = `<ErrorResponse xmlns="https://${fault.service}.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${fault.code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  }
  // A HEAD answer has no body; S3 clients read the code from the status then.
  const body = method === 'HEAD' ? '' : xml;
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amz-request-id': requestId, 'content-length': Buffer.byteLength(body) });
  res.end(body);
  return status;
}

function forward(upstream: URL, req: IncomingMessage, body: Buffer, res: ServerResponse, done: (status: number) => void): void {
  const outgoing = httpRequest(
    { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      const status = answer.statusCode ?? 502;
      done(status);
      res.writeHead(status, answer.headers);
      answer.pipe(res);
    },
  );
  outgoing.on('error', (error) => {
    if (res.headersSent) {
      res.destroy(error);
      return;
    }
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`fault proxy: ${upstream.origin} did not answer: ${error.message}`);
    done(502);
  });
  outgoing.end(body);
}
