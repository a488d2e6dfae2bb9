// Serves the built console (ui/dist) at /. Unknown non-API paths get index.html so the
// console's own routes survive a reload. Without a build, / says how to make one.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

export async function staticUi(app: FastifyInstance, deps: { uiDir: string }): Promise<void> {
  const index = path.join(deps.uiDir, 'index.html');
  if (!fs.existsSync(index)) {
    app.get('/', async (_request, reply) =>
      reply.code(503).type('text/plain').send('The console is not built: run `npm run build:ui`, then reload.'),
    );
    return;
  }
  await app.register(fastifyStatic, { root: deps.uiDir, prefix: '/', wildcard: false, index: ['index.html'] });
  app.get('/*', async (request, reply) => {
    // API paths and built files (assets, anything with an extension) that are missing
    // are real 404s; answering index.html would hide a stale build behind a blank page.
    const pathname = request.url.split('?')[0]!;
    if (pathname.startsWith('/api/') || /\.[A-Za-z0-9]+$/.test(pathname)) {
      return reply.callNotFound();
    }
    return reply.type('text/html').sendFile('index.html');
  });
}
