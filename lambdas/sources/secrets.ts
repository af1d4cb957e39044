import { EarshotError } from '../core/errors';
/**
 * Credentials for sources. The config never holds a secret value: `…Env` names an environment variable (local run),
 * `…Secret` names a Secrets Manager secret or an SSM SecureString (`ssm:/path`) read at run time on AWS.
 * Errors name the option and the variable or secret, never the value.
 */

export interface SecretRef {
  /** What the secret is for, e.g. `source acme-reddit clientId`. */
  label: string;
  env?: string;
  secret?: string;
}

export interface SecretResolver {
  resolve(ref: SecretRef): Promise<string>;
}

/** A credential that is not configured or cannot be read (HTTP 503: a pushing sender retries later). */
export class SecretError extends EarshotError {
  override readonly name = 'SecretError';
  constructor(message: string) {
    super(message, 'secret_unavailable', 503);
  }
}

/** Local run: read the environment variable named by `…Env`. */
export function localSecrets(env: NodeJS.ProcessEnv = process.env): SecretResolver {
  return {
    async resolve(ref: SecretRef): Promise<string> {
      if (!ref.env) {
        throw new SecretError(
          ref.secret
            ? `${ref.label}: only a Secrets Manager/SSM name is configured (${ref.secret}); local runs read environment variables: set the …Env option`
            : `${ref.label}: no credential configured (set the …Env option to an environment variable name)`,
        );
      }
      const value = env[ref.env];
      if (value === undefined || value === '') {
        throw new SecretError(`${ref.label}: environment variable ${ref.env} is not set`);
      }
      return value;
    },
  };
}

/** How long a value read from Secrets Manager or SSM is reused before it is read again (rotation is picked up). */
export const SECRET_MAX_AGE_MS = 300_000;

/** Getters used by the AWS resolver; injectable for tests. */
export interface AwsSecretGetters {
  getSecret(name: string): Promise<string | undefined>;
  getParameter(name: string): Promise<string | undefined>;
}

/** Powertools getters (their own cache has the same 5-minute max age), loaded lazily so local runs never load the AWS SDK. */
function powertoolsGetters(): AwsSecretGetters {
  return {
    async getSecret(name) {
      const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
      const value = await getSecret(name, { maxAge: SECRET_MAX_AGE_MS / 1000 });
      return typeof value === 'string' ? value : value === undefined ? undefined : new TextDecoder().decode(value);
    },
    async getParameter(name) {
      const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
      return getParameter(name, { decrypt: true, maxAge: SECRET_MAX_AGE_MS / 1000 });
    },
  };
}

export interface AwsSecretsOptions {
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  maxAgeMs?: number;
}

/**
 * On AWS: `…Secret` first (`ssm:/path` → SSM SecureString with decryption, else Secrets Manager), falling back to
 * `…Env` (a Lambda environment variable). A value is reused for `maxAgeMs` (5 minutes), then read again, so a
 * rotated secret is picked up without waiting for the execution environment to recycle. Concurrent reads of one
 * name share a single request.
 */
export function awsSecrets(
  getters: AwsSecretGetters = powertoolsGetters(),
  env = process.env,
  options: AwsSecretsOptions = {},
): SecretResolver {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? SECRET_MAX_AGE_MS;
  const cache = new Map<string, { value: Promise<string>; readAt: number }>();
  const local = localSecrets(env);

  async function read(ref: SecretRef, name: string): Promise<string> {
    let value: string | undefined;
    try {
      value = name.startsWith('ssm:') ? await getters.getParameter(name.slice(4)) : await getters.getSecret(name);
    } catch (error) {
      throw new SecretError(`${ref.label}: could not read ${name}: ${(error as Error).name}`);
    }
    if (!value) throw new SecretError(`${ref.label}: ${name} is empty or missing`);
    return value;
  }

  return {
    resolve(ref: SecretRef): Promise<string> {
      if (!ref.secret) return local.resolve(ref);
      const name = ref.secret;
      const cached = cache.get(name);
      if (cached && now() - cached.readAt < maxAgeMs) return cached.value;
      const entry = { value: read(ref, name), readAt: now() };
      // A failed read is not kept: the next call tries again.
      entry.value.catch(() => {
        if (cache.get(name) === entry) cache.delete(name);
      });
      cache.set(name, entry);
      return entry.value;
    },
  };
}

/** Read a credential option pair (`<name>Env` / `<name>Secret`) from a source config. */
export function secretRef(source: { id: string } & object, name: string): SecretRef | undefined {
  const options = source as Record<string, unknown>;
  const env = options[`${name}Env`];
  const secret = options[`${name}Secret`];
  if (typeof env !== 'string' && typeof secret !== 'string') return undefined;
  return {
    label: `source ${source.id} ${name}`,
    env: typeof env === 'string' ? env : undefined,
    secret: typeof secret === 'string' ? secret : undefined,
  };
}
