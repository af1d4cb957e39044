import { startLocalStore } from '../lambdas/store/local';
import { UpdateCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
async function main() {
  const s = await startLocalStore('memory');
  const N = 1000, C = 50;
  for (const mode of ['put-distinct', 'update-same', 'update-distinct']) {
    let next = 0; const t0 = Date.now();
    await Promise.all(Array.from({length:C}, async () => { while (next < N) { const i = next++;
      if (mode === 'put-distinct') await s.doc.send(new PutCommand({ TableName: s.tableName, Item: { pk: `x#${i}`, sk: 'a', v: i } }));
      else await s.doc.send(new UpdateCommand({ TableName: s.tableName, Key: { pk: mode==='update-same' ? 'c' : `c#${i}`, sk: 'a' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } }));
    }}));
    console.log(mode, N / ((Date.now()-t0)/1000), 'ops/s');
  }
  await s.close();
}
main();
