import type { Config } from './config/schema.js';
import { CONSOLE_PREFIX } from './console/layout.js';
import { METRICS_PATH } from './metrics/metrics-route.js';

export interface ServiceStatus {
  name: 'credo-notify';
  version: string;
  links: { healthz: string; readyz: string; metrics: string; console?: string };
}

/**
 * What `GET /` answers: someone who opens the server's address in a browser, or a load
 * balancer's first probe, learns what is running and where to look next. The console is linked
 * only while it is served, that is while `admin.token` is set.
 */
export function serviceStatus(config: Config, version: string): ServiceStatus {
  const consoleOn = Boolean(config.admin?.token);
  return {
    name: 'credo-notify',
    version,
    links: {
      healthz: '/healthz',
      readyz: '/readyz',
      metrics: METRICS_PATH,
      ...(consoleOn ? { console: CONSOLE_PREFIX } : {}),
    },
  };
}
