/** The pure alert policy: incident grouping, alert decisions, spikes, escalation and message formatting. */
export * from './common';
export * from './incidents';
export * from './policy';
export * from './spikes';
export * from './escalation';
export * from './format';
