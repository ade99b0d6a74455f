import Fastify from 'fastify';
import { UNKNOWN_EVENT } from '../src/events/event-types.js';
import { createSvixVerifier } from '../src/receiver/svix-signature.js';
import { openStore } from '../src/store/open-store.js';
import { TEST_SECRET } from '../test/helpers/signed-delivery.js';

/**
 * The floor: what any receiver that keeps its promise does before it answers, and nothing more.
 * It checks the Svix signature, parses the JSON, and stores the delivery and one job durably
 * through credo-notify's own store (STORE_URL); no validation, routing or logging. From bare
 * Fastify to here is the price of that promise on this machine; from here to credo-notify,
 * the price of everything else.
 */
const storeUrl = process.env.STORE_URL;
if (!storeUrl) throw new Error('STORE_URL is required');
const store = openStore(storeUrl);
await store.migrate();
const verify = createSvixVerifier([TEST_SECRET], 300);

const app = Fastify();
app.removeAllContentTypeParsers();
app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
  done(null, body),
);
app.post('/webhooks/credo', async (request, reply) => {
  const body = request.body as string;
  const auth = verify(request.headers, body, Date.now());
  if (!auth.ok) return reply.code(401).send({ error: auth.reason });
  const payload = JSON.parse(body) as { type: string };
  const outcome = await store.acceptEvent(
    { id: auth.id, type: UNKNOWN_EVENT, rawType: payload.type, payload, receivedAt: Date.now() },
    [{ destination: 'floor', spec: { kind: 'route', route: 'floor', thread: 'none' } }],
  );
  return reply.code(200).send({ status: outcome, id: auth.id });
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${address}\n`);
process.on('SIGTERM', () => {
  app
    .close()
    .then(() => store.close())
    .then(() => process.exit(0));
});
