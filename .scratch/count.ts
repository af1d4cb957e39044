import { parseConfig } from '../lambdas/config/load';
import { openLocalPipeline } from '../lambdas/pipeline/local';
import { receiveWebhook, webhookAlertingSettled } from '../lambdas/pipeline/webhook-ingest';
import { signWebhookBody } from '../lambdas/sources/adapters/webhook';
import { mkdtempSync } from 'node:fs';
const SECRET='a-webhook-secret-of-some-length';
async function main() {
  const dir = mkdtempSync('/tmp/soakdbg/db-');
  const config = parseConfig({ brands:[{id:'acme',name:'Acme',keywords:['acme']}], sources:[{id:'acme-desk',kind:'webhook',brand:'acme',secretEnv:'D'}], storage: process.argv[2]==='mem'?'memory':{path:dir}, alerts:{minSeverity:'low',hourlyCap:1000,spikes:{enabled:false}, sinks:[]} });
  const p = await openLocalPipeline(config, { sinks: [], env: { D: SECRET } });
  const counts = new Map<string, number>();
  const orig = p.store.doc.send.bind(p.store.doc);
  (p.store.doc as any).send = (cmd: any, ...rest: any[]) => { const inp = cmd.input; const key = inp.Key ?? inp.Item ?? {}; const k = cmd.constructor.name + ' ' + String(key.pk).split('#')[0] + ' ' + String(key.sk).split('#')[0]; counts.set(k,(counts.get(k)??0)+1); return orig(cmd, ...rest); };
  const N = Number(process.argv[3] ?? 100), C = 50;
  let next = 0; const t0 = Date.now();
  await Promise.all(Array.from({length:C}, async () => { while (next < N) { const i = next++;
    const body = JSON.stringify([{ id: `c-${i}`, text: `Acme charged me twice for order ${i} and nobody answered my 4 emails in 2 weeks. Cancelling, never again!` }]);
    const at = Math.floor(Date.now()/1000);
    const r = await receiveWebhook('acme-desk', body, {'x-earshot-timestamp':String(at),'x-earshot-signature':signWebhookBody(body,SECRET,at)}, p.deps);
    if (r.status!==202) console.log(r);
  }}));
  const t1 = Date.now();
  await webhookAlertingSettled(p.repo);
  const t2 = Date.now();
  console.log({ N, acceptMs: t1-t0, settleMs: t2-t1, perSec: (N/((t2-t0)/1000)).toFixed(0) });
  console.log(Object.fromEntries([...counts].map(([k,v])=>[k,(v/N).toFixed(1)])));
  await p.close();
}
main();
