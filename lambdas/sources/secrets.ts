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

export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
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

/** Getters used by the AWS resolver; injectable for tests. */
export interface AwsSecretGetters {
  getSecret(name: string): Promise<string | undefined>;
  getParameter(name: string): Promise<string | undefined>;
}

/** Powertools getters with a 5-minute cache, loaded lazily so local runs never load the AWS SDK. */
function powertoolsGetters(): AwsSecretGetters {
  return {
    async getSecret(name) {
      const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
      const value = await getSecret(name, { maxAge: 300 });
      return typeof value === 'string' ? value : value === undefined ? undefined : new TextDecoder().decode(value);
    },
    async getParameter(name) {
      const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
      return getParameter(name, { decrypt: true, maxAge: 300 });
    },
  };
}

/**
 * On AWS: `…Secret` first (`ssm:/path` → SSM SecureString with decryption, else Secrets Manager), falling back to
 * `…Env` (a Lambda environment variable). Values are cached by Powertools (and here, per resolver).
 */
export function awsSecrets(getters: AwsSecretGetters = powertoolsGetters(), env = process.env): SecretResolver {
  const cache = new Map<string, Promise<string>>();
  const local = localSecrets(env);
  return {
    resolve(ref: SecretRef): Promise<string> {
      if (!ref.secret) return local.resolve(ref);
      const name = ref.secret;
      let pending = cache.get(name);
      if (!pending) {
        pending = (async () => {
          let value: string | undefined;
          try {
            value = name.startsWith('ssm:') ? await getters.getParameter(name.slice(4)) : await getters.getSecret(name);
          } catch (error) {
            throw new SecretError(`${ref.label}: could not read ${name}: ${(error as Error).name}`);
          }
          if (!value) throw new SecretError(`${ref.label}: ${name} is empty or missing`);
          return value;
        })();
        pending.catch(() => cache.delete(name));
        cache.set(name, pending);
      }
      return pending;
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
