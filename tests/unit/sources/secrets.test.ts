import { awsSecrets, SECRET_MAX_AGE_MS, type AwsSecretGetters } from '../../../lambdas/sources/secrets';

/** A Secrets Manager stand-in whose value can be rotated, counting reads. */
function rotatingStore(initial: string) {
  const state = { value: initial, reads: 0, fail: false };
  const getters: AwsSecretGetters = {
    async getSecret() {
      state.reads++;
      if (state.fail) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
      return state.value;
    },
    async getParameter() {
      state.reads++;
      return state.value;
    },
  };
  return { state, getters };
}

describe('awsSecrets cache', () => {
  const ref = { label: 'alert sink webhook', secret: 'earshot/slack-webhook' };

  it('reuses a value for five minutes, then reads again and picks up a rotated secret', async () => {
    const { state, getters } = rotatingStore('v1');
    let clock = 1_000_000;
    const resolver = awsSecrets(getters, {}, { now: () => clock });

    await expect(resolver.resolve(ref)).resolves.toBe('v1');
    state.value = 'v2'; // rotated in Secrets Manager
    clock += SECRET_MAX_AGE_MS - 1;
    await expect(resolver.resolve(ref)).resolves.toBe('v1');
    expect(state.reads).toBe(1);

    clock += 1;
    await expect(resolver.resolve(ref)).resolves.toBe('v2');
    expect(state.reads).toBe(2);
    await expect(resolver.resolve(ref)).resolves.toBe('v2');
    expect(state.reads).toBe(2);
  });

  it('concurrent reads of one name share a request', async () => {
    const { state, getters } = rotatingStore('v1');
    const resolver = awsSecrets(getters, {}, { now: () => 0 });
    await Promise.all([resolver.resolve(ref), resolver.resolve(ref), resolver.resolve(ref)]);
    expect(state.reads).toBe(1);
  });

  it('a failed read is not cached and names the secret, not a value', async () => {
    const { state, getters } = rotatingStore('v1');
    const resolver = awsSecrets(getters, {}, { now: () => 0 });
    state.fail = true;
    await expect(resolver.resolve(ref)).rejects.toThrow(
      'alert sink webhook: could not read earshot/slack-webhook: ThrottlingException',
    );
    state.fail = false;
    await expect(resolver.resolve(ref)).resolves.toBe('v1');
    expect(state.reads).toBe(2);
  });
});
