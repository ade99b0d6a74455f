/**
 * The part of autocannon 9's programmatic API the bench uses (the package ships no types).
 * See node_modules/autocannon/README.md.
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface RequestSpec {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }

  /** Per connection: what setupRequest and onResponse share. */
  export type RequestContext = Record<string, unknown>;

  export interface Request extends RequestSpec {
    /** Called before each request is sent; returns the request to send. */
    setupRequest?: (request: RequestSpec, context: RequestContext) => RequestSpec;
    onResponse?: (status: number, body: string, context: RequestContext) => void;
  }

  export interface Options {
    url: string;
    connections?: number;
    pipelining?: number;
    /** Seconds; ignored when `amount` is set. */
    duration?: number;
    /** Exactly this many requests, spread over the connections. */
    amount?: number;
    /** Requests per second over all connections, each connection sending its share in bursts. */
    overallRate?: number;
    ignoreCoordinatedOmission?: boolean;
    /** Seconds before a request counts as timed out. */
    timeout?: number;
    requests?: Request[];
  }

  export interface Result {
    errors: number;
    timeouts: number;
    non2xx: number;
  }

  export interface Instance extends EventEmitter {
    stop(): void;
  }

  export default function autocannon(
    options: Options,
    callback: (error: Error | null, result: Result) => void,
  ): Instance;
}
