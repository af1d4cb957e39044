import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrandConfig, SourceConfig } from '../../lambdas/config/schema';
import type { Mention } from '../../lambdas/core/mention';
import type { SourceCursor } from '../../lambdas/core/source-state';
import { pollSource } from '../../lambdas/sources/registry';
import { pollContext, startServer, type TestServer } from '../integration/sources/server';

/**
 * The harness of the sample tests: the demo's hand-written responses (`examples/samples/routes.json`) served on a
 * local server, each source polled once at the samples' time (no errors, enough relevant mentions), then again
 * from the cursor it earned (nothing new, no errors).
 */

const SAMPLES = path.resolve(__dirname, '../../examples/samples');
const routes = JSON.parse(readFileSync(path.join(SAMPLES, 'routes.json'), 'utf8')) as {
  now: string;
  routes: { method: string; path: string; file: string; contentType: string }[];
};

/** Serve every sample for the tests of this file; the server is there from `beforeAll`. */
export function serveSamples(): { readonly url: string } {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startServer();
    for (const route of routes.routes) {
      const body = readFileSync(path.join(SAMPLES, route.file), 'utf8');
      server.on(route.method, route.path, { headers: { 'content-type': route.contentType }, body });
    }
  });
  afterAll(() => server?.close());
  return {
    get url() {
      if (!server) throw new Error('the samples are served from beforeAll on');
      return server.url;
    },
  };
}

export interface SamplePolls {
  /** The first poll's mentions, all sources. */
  all: Mention[];
  /** Items that did not name the brand, all sources. */
  noise: number;
  /** Each source's health note after its first poll. */
  notes: Record<string, string | undefined>;
}

/**
 * Poll each source twice: the first poll reads its sample without errors and finds more than `minRelevant`
 * relevant items; the second, from the cursor the first earned, hands on nothing and fails nothing.
 */
export async function pollSamplesTwice(
  sources: SourceConfig[],
  options: { brand: BrandConfig; env: Record<string, string>; minRelevant: number },
): Promise<SamplePolls> {
  const { brand, env, minRelevant } = options;
  const now = new Date(routes.now);
  const state = new Map();
  const cursors = new Map<string, SourceCursor>();
  const polls: SamplePolls = { all: [], noise: 0, notes: {} };
  for (const source of sources) {
    const result = await pollSource({ ...pollContext(source, { env, state, now }), brand });
    expect({ source: source.id, errors: result.errors }).toEqual({ source: source.id, errors: [] });
    expect({ source: source.id, relevant: result.relevant > minRelevant }).toEqual({
      source: source.id,
      relevant: true,
    });
    polls.all.push(...result.mentions);
    polls.noise += result.noise;
    polls.notes[source.id] = result.health.note;
    cursors.set(source.id, result.nextCursor);
  }
  for (const source of sources) {
    const again = await pollSource({
      ...pollContext(source, { env, state, now, cursor: cursors.get(source.id)! }),
      brand,
    });
    expect({ source: source.id, mentions: again.mentions, errors: again.errors }).toEqual({
      source: source.id,
      mentions: [],
      errors: [],
    });
  }
  return polls;
}
