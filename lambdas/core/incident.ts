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
  /** When grouping first and last touched it (processing time: the window and the open-incident index run on it). */
  firstAt: string;
  lastAt: string;
  /**
   * When its mentions were posted: the earliest and latest `createdAt` of the mentions grouped into it. What people
   * read ("first at …, latest at …"). Absent on incidents stored before they were kept; readers fall back to
   * firstAt / lastAt.
   */
  firstMentionAt?: string;
  lastMentionAt?: string;
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
