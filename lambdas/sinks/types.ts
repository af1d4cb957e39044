import type { AlertMessage } from '../core/alert';

export type { AlertMessage };

/** Somewhere an alert goes. `name` is stable across runs (it is stored in AlertRecord.deliveredTo) and secret-free. */
export interface AlertSink {
  name: string;
  send(message: AlertMessage): Promise<void>;
}
