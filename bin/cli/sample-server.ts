import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { PROJECT_ROOT } from './paths';

/** The bundled, hand-written sample API responses (examples/samples), served like the real APIs for the demo. */
export const SAMPLES_DIR = path.join(PROJECT_ROOT, 'examples/samples');

interface SampleRoutes {
  now: string;
  routes: { method: string; path: string; file: string; contentType: string }[];
}

export interface SampleServer {
  url: string;
  /** The moment the samples were "captured": the demo's clock starts here. */
  now: Date;
  requests: number;
  close(): Promise<void>;
}

/** Serve every route of routes.json on 127.0.0.1 (query strings ignored, unknown paths 404). */
export async function startSampleServer(dir = SAMPLES_DIR): Promise<SampleServer> {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'routes.json'), 'utf8')) as SampleRoutes;
  const routes = new Map(
    manifest.routes.map((route) => [
      `${route.method} ${route.path}`,
      { body: readFileSync(path.join(dir, route.file)), contentType: route.contentType },
    ]),
  );
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = routes.get(`${req.method} ${pathname}`);
    req.resume();
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not in the samples"}');
      return;
    }
    res.writeHead(200, { 'content-type': route.contentType }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    now: new Date(manifest.now),
    get requests() {
      return requests;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
