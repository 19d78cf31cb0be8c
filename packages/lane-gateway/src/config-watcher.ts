import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Calls `onChange` after the file changes. Watches the folder, not the file: editors and `mv` replace the file,
 * which would silently end a watch on the old inode. Bursts of events (write, rename, chmod) become one call.
 */
export function watchConfigFile(file: string, onChange: () => void, debounceMs = 150): () => void {
  const name = basename(file);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed.toString() !== name) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // A folder that cannot be watched leaves reload to the admin API.
  }
  return () => {
    if (timer) clearTimeout(timer);
    watcher?.close();
  };
}
