import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatAlert } from '../../../lambdas/core/alerting/format';
import type { AlertMessage } from '../../../lambdas/core/alert';
import type { StoredMention } from '../../../lambdas/core/mention';

export function sampleMessage(id = 't3_abc'): AlertMessage {
  const mention: StoredMention = {
    id,
    sourceId: 'acme-reddit',
    kind: 'reddit',
    brandId: 'acme',
    text: 'Waited 3 weeks for my refund and nobody replied. Cancelling my Acme account.',
    url: 'https://reddit.example/r/acme/t3_abc',
    author: 'u/jane',
    authorReach: 900,
    createdAt: '2024-05-01T11:58:00.000Z',
    storedAt: '2024-05-01T12:00:00.000Z',
    flagged: true,
    analysis: {
      language: 'en',
      sentiment: { neg: 0.3, neu: 0.7, pos: 0, compound: -0.7 },
      polarity: 'negative',
      complaint: true,
      memorable: true,
      memorability: 0.8,
      severity: 'high',
      cues: [{ name: 'churn', strength: 0.8, evidence: ['cancelling my acme account'] }],
      aspects: ['service'],
      cxLevel: 'success',
    },
  };
  return formatAlert('mention', { alertId: `mention#acme-reddit#${id}`, brandName: 'Acme', mention });
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local HTTP server on 127.0.0.1 answering with the given statuses in turn (the last repeats; 0 = never answer). */
export async function startServer(statuses: number[]): Promise<{
  url: string;
  requests: RecordedRequest[];
  close: () => Promise<void>;
}> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const status = statuses[Math.min(requests.length - 1, statuses.length - 1)];
      if (status === 0) return;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status < 300 ? 'ok' : 'error');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/SECRETPATHTOKEN`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
