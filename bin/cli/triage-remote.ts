import type { StoredMention } from '../../lambdas/core/mention';
import type { TriageStats, TriageStatus } from '../../lambdas/core/triage';
import type { AlertAck, TriageActor, TriageItem, TriageService } from '../../lambdas/pipeline/triage-service';

/**
 * The triage operations over a running `earshot serve`'s HTTP API (the same routes as on AWS): while a server owns
 * the store, `earshot triage …` goes through it instead of opening the store a second time.
 */
export type TriageOperations = Pick<
  TriageService,
  'list' | 'show' | 'ack' | 'resolve' | 'falsePositive' | 'reopen' | 'assign' | 'note' | 'ackAlert' | 'stats'
>;

/** One JSON request to a running earshot's loopback API; its error reply becomes the thrown message. */
export function remoteCall(baseUrl: string, token?: string) {
  return async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new Error(`the running earshot at ${baseUrl} does not answer (${(err as Error).message})`);
    }
    const data = (await response.json().catch(() => ({}))) as { error?: string };
    if (!response.ok) throw new Error(data.error ?? `HTTP ${response.status} from ${baseUrl}${path}`);
    return data as T;
  };
}

export function remoteTriage(baseUrl: string, token?: string): TriageOperations {
  const call = remoteCall(baseUrl, token);
  const segment = encodeURIComponent;
  const act =
    (verb: string) =>
    (sourceId: string, id: string, actor: TriageActor = {}) =>
      call<StoredMention>('POST', `/triage/${segment(sourceId)}/${segment(id)}/${verb}`, actor);
  return {
    list: (query: { brandId: string; status?: TriageStatus; limit?: number }) => {
      const params = new URLSearchParams({ brand: query.brandId });
      if (query.status) params.set('status', query.status);
      if (query.limit) params.set('limit', String(Math.min(query.limit, 500)));
      return call<TriageItem[]>('GET', `/triage?${params}`);
    },
    show: (sourceId: string, id: string) => call<StoredMention>('GET', `/triage/${segment(sourceId)}/${segment(id)}`),
    ack: act('ack'),
    resolve: act('resolve'),
    falsePositive: act('false-positive'),
    reopen: act('reopen'),
    assign: act('assign'),
    note: act('note'),
    ackAlert: (alertId: string, actor: TriageActor = {}) =>
      call<AlertAck>('POST', `/triage/alerts/${segment(alertId)}/ack`, actor),
    stats: (brandId?: string) =>
      call<TriageStats>('GET', `/triage/stats${brandId ? `?brand=${segment(brandId)}` : ''}`),
  };
}
