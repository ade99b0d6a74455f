import { afterEach, describe, expect, it } from 'vitest';
import { packageVersion } from '../src/package-info.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

const ADMIN_TOKEN = 'a'.repeat(32);

describe('GET / (issue 20)', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('names the service, its version and where to look next', async () => {
    server = await startTestServer();

    const response = await server.runtime.app.inject({ method: 'GET', url: '/' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      name: 'credo-notify',
      version: packageVersion(),
      links: { healthz: '/healthz', readyz: '/readyz', metrics: '/metrics' },
    });
  });

  it('links the console only while admin.token is set, following a reload', async () => {
    server = await startTestServer({ admin: { token: ADMIN_TOKEN } });
    const links = async () => (await server?.runtime.app.inject({ method: 'GET', url: '/' }))?.json().links;

    expect(await links()).toMatchObject({ console: '/console' });

    server.runtime.reload({ ...server.config, admin: { token: '' } });
    expect(await links()).not.toHaveProperty('console');
  });
});
