import Fastify from 'fastify';

/**
 * The baseline: the same POST to a Fastify route that parses the JSON body and answers 204, no
 * logging, nothing else. Run as its own process, like credo-notify, it prints its URL.
 */
const app = Fastify();
app.post('/webhooks/credo', async (_request, reply) => reply.code(204).send());
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${address}\n`);
process.on('SIGTERM', () => {
  app.close().then(() => process.exit(0));
});
