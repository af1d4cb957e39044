import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { ProgressEvent } from '../../lambdas/pipeline/run-pass';

/** What the console sink and the CLI write to: a stream, or the terminal's output above a progress bar. */
export interface TerminalOut {
  isTTY?: boolean;
  write(text: string): boolean;
}

export interface PassProgress {
  update(event: ProgressEvent): void;
  /** Clear the bar (anything written through `out` meanwhile is already above it). */
  stop(): void;
}

export interface Terminal {
  /** Write here, not to the stream, while a pass may run: with a bar drawn, the text goes above it, never over it. */
  out: TerminalOut;
  /** Undefined unless the stream is a terminal: pipes and CI get plain text only. */
  progress?: PassProgress;
}

/**
 * A pass's progress bar on `stream` (stdout) when it is a terminal. cli-progress's MultiBar draws it, because its
 * `log` puts text above the bar and redraws the bar under it; line wrap stays on (MultiBar would turn it off, which
 * cuts every alert line at the right edge) and the cursor stays visible (nothing to restore after a Ctrl-C).
 */
export function createTerminal(stream: NodeJS.WriteStream = process.stdout): Terminal {
  if (!stream.isTTY) return { out: { isTTY: false, write: (text) => stream.write(text) } };
  let bars: MultiBar | undefined;
  let bar: SingleBar | undefined;
  let polled = 0;
  let sources = 0;
  const out: TerminalOut = {
    isTTY: true,
    write(text) {
      if (!bars) return stream.write(text);
      bars.log(text.endsWith('\n') ? text : `${text}\n`);
      bars.update(); // now, not at the next tick: the text is on screen before the pass goes on
      return true;
    },
  };
  const start = (total: number) => {
    bars = new MultiBar(
      {
        format: ' {bar} {value}/{total} {stage}',
        stream,
        clearOnComplete: true,
        hideCursor: false,
        linewrap: true,
        // Redraw after each text written above the bar, even when the bar itself did not change.
        forceRedraw: true,
        barsize: 30,
      },
      Presets.shades_classic,
    );
    bar = bars.create(total, 0, { stage: '' });
    polled = 0;
    sources = 0;
  };
  const progress: PassProgress = {
    update(event) {
      if (event.type === 'source-start') {
        if (!bar) start(event.total);
        sources = event.total;
        bar!.update(polled, { stage: `polling ${event.sourceId}` });
      } else if (event.type === 'source-done') {
        polled++;
        bar?.update(polled, { stage: `polled ${event.summary.id}` });
      } else if (bar && polled < sources) {
        // A polled source's alerts go out while others still poll: the bar keeps counting sources.
        const stage =
          event.done < event.total ? `alerting ${event.done + 1}/${event.total}` : `${event.total} flagged done`;
        bar.update(polled, { stage: `${stage} · polling the others` });
      } else {
        if (!bar) start(event.total);
        bar!.setTotal(event.total);
        bar!.update(event.done, { stage: 'alerting' });
      }
    },
    stop() {
      if (!bars) return;
      bars.update();
      bars.stop();
      bars = undefined;
      bar = undefined;
    },
  };
  return { out, progress };
}
