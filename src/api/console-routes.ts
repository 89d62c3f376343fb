import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Serves the built console; unknown non-API paths get index.html (client-side routes). */
export const consoleRoutes: FastifyPluginAsync<{ webDir: string }> = async (app, { webDir }) => {
  const root = resolve(webDir);
  if (!existsSync(resolve(root, 'index.html'))) {
    app.get('/', async (_req, reply) => reply.type('text/plain').send('The console is not built: run `npm run build:web`.\n'));
    return;
  }
  await app.register(fastifyStatic, { root });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET') {
      return reply.status(404).send({ code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}`, where: {} });
    }
    return reply.sendFile('index.html');
  });
};
