// Placeholder: the real handler lands with the pipeline. Kept so the CDK stack can bundle its entry.
export async function handler(_event: unknown): Promise<unknown> {
  throw new Error('not implemented yet');
}
