import type { Severity } from './analysis/types';

/** Similar flagged mentions of a brand within a window: one alert, then updates as it grows. */
export interface Incident {
  brandId: string;
  key: string;
  title: string;
  /** Representative words of the cluster, used for similarity. */
  signature: string[];
  aspects: string[];
  severity: Severity;
  firstAt: string;
  lastAt: string;
  size: number;
  /** Most recent mention keys (`sourceId#id`), capped. */
  mentionKeys: string[];
  sources: string[];
  /** Sizes at which an alert went out (e.g. [1, 5, 20]). */
  alertedSizes: number[];
  lastAlertAt?: string;
  status: 'open' | 'closed';
  /** Optimistic-locking version. */
  version: number;
}
