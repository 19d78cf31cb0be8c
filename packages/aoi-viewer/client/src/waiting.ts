import { ingestExample } from '../../src/protocol/ingest-example.js';
import { byTestId } from './dom.js';

/** The live page before the first tick: where to send data, with an example to copy, instead of "loading". */
export function showWaiting(waiting: boolean, ingest: string | undefined): void {
  const box = byTestId('waiting');
  box.hidden = !waiting;
  if (!waiting || box.dataset.ready === 'true') return;
  box.dataset.ready = 'true';
  const url = ingest ?? '<aoi-trace serve URL>/ingest';
  byTestId('waiting-url').textContent = url;
  const text = ingestExample(url);
  byTestId('waiting-example').textContent = text;
  const copy = byTestId<HTMLButtonElement>('waiting-copy');
  copy.addEventListener('click', () => {
    navigator.clipboard?.writeText(text).then(
      () => {
        copy.textContent = 'Copied';
      },
      () => selectText(byTestId('waiting-example')),
    ) ?? selectText(byTestId('waiting-example'));
  });
}

/** Where the clipboard is not available: select the example so Ctrl-C copies it. */
function selectText(node: HTMLElement): void {
  const range = document.createRange();
  range.selectNodeContents(node);
  window.getSelection()?.removeAllRanges();
  window.getSelection()?.addRange(range);
}
