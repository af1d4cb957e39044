import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { alertRecord } from '../store/fixtures';
import { ESCALATION_TOPIC_ARN, startHandlerEnv, type HandlerEnv } from './harness';

type EscalateHandler = () => Promise<Record<string, number>>;
const quiet = { redelivered: 0, digests: 0, incidentUpdates: 0, spikes: 0, escalations: 0, failed: 0 };

const sns = mockClient(SNSClient);
let env: HandlerEnv;
let handler: EscalateHandler;

beforeAll(async () => {
  env = await startHandlerEnv();
  handler = require('../../../lambdas/handlers/escalate').handler;
});

afterAll(async () => {
  sns.restore();
  await env.restore();
});

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
});

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const publishes = () => sns.commandCalls(PublishCommand).map((call) => call.args[0].input as PublishCommandInput);

describe('escalate handler (the scheduled sweep; escalations → SNS escalation topic)', () => {
  it('escalates an unacknowledged high alert past its window once; the next sweep sends nothing', async () => {
    // Default window: 30 minutes. 40 minutes old is level 1.
    await env.repo.alerts.putOnce(alertRecord({ alertId: 'mention#acme-hn#900', createdAt: minutesAgo(40) }));
    // Not due: too recent, acknowledged, or below the escalated severities.
    await env.repo.alerts.putOnce(alertRecord({ alertId: 'mention#acme-hn#901', createdAt: minutesAgo(5) }));
    await env.repo.alerts.putOnce(
      alertRecord({ alertId: 'mention#acme-hn#902', createdAt: minutesAgo(40), severity: 'medium' }),
    );
    await env.repo.alerts.putOnce(alertRecord({ alertId: 'mention#acme-hn#903', createdAt: minutesAgo(45) }));
    await env.repo.alerts.acknowledge('mention#acme-hn#903', 'kim', minutesAgo(1));

    expect(await handler()).toEqual({ ...quiet, escalations: 1 });
    const [sent, ...more] = publishes();
    expect(more).toEqual([]);
    expect(sent.TopicArn).toBe(ESCALATION_TOPIC_ARN);
    expect(sent.Subject!.length).toBeLessThanOrEqual(100);
    expect(sent.MessageAttributes).toMatchObject({
      brand: { DataType: 'String', StringValue: 'acme' },
      severity: { DataType: 'String', StringValue: 'high' },
      kind: { DataType: 'String', StringValue: 'escalation' },
    });
    expect((await env.repo.alerts.get('mention#acme-hn#900'))?.escalatedLevels).toEqual([1]);

    expect(await handler()).toEqual(quiet);
    expect(publishes()).toHaveLength(1);
  });

  it('a failed escalation publish is re-sent (here by the same sweep), once', async () => {
    await env.repo.alerts.putOnce(alertRecord({ alertId: 'mention#acme-hn#950', createdAt: minutesAgo(35) }));
    sns.on(PublishCommand).rejectsOnce(new Error('Service Unavailable')).resolves({ MessageId: 'msg-2' });

    // Escalations go first; the failed one is retried by the same sweep's redelivery step.
    expect(await handler()).toEqual({ ...quiet, failed: 1, redelivered: 1 });
    expect((await env.repo.alerts.get('mention#acme-hn#950'))?.escalatedLevels).toEqual([1]);
    expect(await handler()).toEqual(quiet);
    const sent = publishes();
    expect(sent).toHaveLength(2);
    expect(sent.map((p) => p.TopicArn)).toEqual([ESCALATION_TOPIC_ARN, ESCALATION_TOPIC_ARN]);
  });
});
