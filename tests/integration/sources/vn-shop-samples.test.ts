import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brandSchema, type SourceConfig } from '../../../lambdas/config/schema';
import type { Mention } from '../../../lambdas/core/mention';
import type { SourceCursor } from '../../../lambdas/core/source-state';
import { pollSource } from '../../../lambdas/sources/registry';
import { pollContext, sourceConfig, startServer, type TestServer } from './server';

/** The Vietnamese marketplace and review samples (Bếp Hồng, a fictional brand) parse with their adapters. */

const SAMPLES = path.resolve(__dirname, '../../../examples/samples');
const routes = JSON.parse(readFileSync(path.join(SAMPLES, 'routes.json'), 'utf8')) as {
  now: string;
  routes: { method: string; path: string; file: string; contentType: string }[];
};
const brand = brandSchema.parse({ id: 'bephong', name: 'Bếp Hồng', keywords: ['bếp hồng', 'bep hong', 'bephong'] });

const env = { SHOPEE_KEY: 'demo-partner-key', SHOPEE_TOKEN: 'demo-shop-token' };

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  for (const route of routes.routes) {
    const body = readFileSync(path.join(SAMPLES, route.file), 'utf8');
    server.on(route.method, route.path, { headers: { 'content-type': route.contentType }, body });
  }
});
afterAll(() => server.close());

function sources(): SourceConfig[] {
  const local = { baseUrl: server.url, brand: 'bephong' };
  return [
    sourceConfig({ id: 'bephong-tiki', kind: 'tiki', ...local, productIds: ['277596001'], acknowledgeFragile: true }),
    sourceConfig({
      id: 'bephong-shopee',
      kind: 'shopee',
      ...local,
      partnerId: 2001234,
      shopId: 880001,
      partnerKeyEnv: 'SHOPEE_KEY',
      accessTokenEnv: 'SHOPEE_TOKEN',
    }),
  ];
}

it('each sample reads without errors, tells the BH-55 story in Vietnamese, and a second pass is empty', async () => {
  const now = new Date(routes.now);
  const state = new Map();
  const cursors = new Map<string, SourceCursor>();
  const all: Mention[] = [];
  for (const source of sources()) {
    const result = await pollSource({ ...pollContext(source, { state, now, env }), brand });
    expect({ source: source.id, errors: result.errors }).toEqual({ source: source.id, errors: [] });
    expect({ source: source.id, relevant: result.relevant > 1 }).toEqual({ source: source.id, relevant: true });
    all.push(...result.mentions);
    cursors.set(source.id, result.nextCursor);
  }
  const incident = all.filter((m) => /chống dính|tróc/i.test(m.text) && /bảo hành|hoàn tiền|trả lời/i.test(m.text));
  expect(new Set(incident.map((m) => m.kind))).toEqual(new Set(sources().map((s) => s.kind)));
  expect(all.every((m) => m.rating !== undefined && m.language === 'vi')).toBe(true);
  expect(all.some((m) => (m.rating ?? 0) >= 4)).toBe(true);
  expect(all.filter((m) => m.reply).map((m) => m.kind)).toContain('shopee');

  for (const source of sources()) {
    const again = await pollSource({
      ...pollContext(source, { state, now, env, cursor: cursors.get(source.id)! }),
      brand,
    });
    expect({ source: source.id, mentions: again.mentions, errors: again.errors }).toEqual({
      source: source.id,
      mentions: [],
      errors: [],
    });
  }
});
