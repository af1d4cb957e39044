import { SingleBar, Presets } from 'cli-progress';
import type { ProgressEvent } from '../../lambdas/pipeline/run-pass';

/** A progress bar on stderr for interactive runs; silent when stderr is not a terminal (CI, pipes). */
export function createProgress(stream: NodeJS.WriteStream = process.stderr) {
  if (!stream.isTTY) return undefined;
  const bar = new SingleBar(
    { format: ' {bar} {value}/{total} {stage}', stream, clearOnComplete: true, hideCursor: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(event: ProgressEvent) {
      if (event.type === 'source-start') {
        if (!started) bar.start(event.total, 0, { stage: '' });
        started = true;
        bar.update(event.index, { stage: `polling ${event.sourceId}` });
      } else if (event.type === 'source-done') {
        bar.increment(1, { stage: `polled ${event.summary.id}` });
      } else if (started) {
        bar.setTotal(event.total);
        bar.update(event.done, { stage: 'alerting' });
      }
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
