import { watch } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface FileWatcher {
  close(): void;
}

/** Long enough to see an editor's save (truncate, write, rename) through as one change. */
const SETTLE_MS = 300;

/**
 * Calls `onChange` once a burst of changes to `file` has settled. The folder is watched, not the
 * file: many editors save by writing a new file and renaming it over the old one, and a watch on
 * the old file would see nothing after the first save. `onError`: the watch broke (its folder
 * was removed, say) and has stopped.
 */
export function watchFile(file: string, onChange: () => void, onError: (error: Error) => void): FileWatcher {
  const name = basename(file);
  let timer: NodeJS.Timeout | undefined;
  // Not persistent: watching alone never keeps the process running.
  const watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
    // Some platforms do not say which file changed: then it may be ours.
    if (changed !== null && changed !== name) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, SETTLE_MS);
  });
  // Unhandled, an FSWatcher's error would end the process: a watch is a convenience, not a duty.
  watcher.on('error', (error) => {
    clearTimeout(timer);
    watcher.close();
    onError(error);
  });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
