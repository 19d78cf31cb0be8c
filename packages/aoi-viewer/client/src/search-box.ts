import type { SearchResult } from '../../src/protocol/api-types.js';
import { byTestId, element } from './dom.js';

export interface SearchBox {
  /** Selecting an entity that is not a result clears the results (they no longer describe what is shown). */
  syncSelection(id: number | undefined): void;
  focus(): void;
}

/** The search form and its result list; picking a result selects the entity. */
export function setUpSearch(
  run: (query: string) => Promise<SearchResult>,
  pick: (id: number) => void,
  onClear: () => void,
): SearchBox {
  let ids: Set<number> | undefined;
  byTestId<HTMLFormElement>('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const query = byTestId<HTMLInputElement>('search-input').value;
    void run(query).then(
      (result) => {
        ids = new Set(result.matches.map((m) => m.id));
        renderSearch(result, pick);
      },
      (error: Error) => {
        byTestId('search-count').textContent = `(${error.message})`;
      },
    );
  });
  return {
    syncSelection(id) {
      if (ids === undefined || (id !== undefined && ids.has(id))) return;
      ids = undefined;
      byTestId('search-count').textContent = '';
      byTestId('search-results').replaceChildren();
      onClear();
    },
    focus() {
      const input = byTestId<HTMLInputElement>('search-input');
      input.focus();
      input.select();
    },
  };
}

function renderSearch(result: SearchResult, pick: (id: number) => void): void {
  byTestId('search-count').textContent = `(${result.total} at tick ${result.tick})`;
  byTestId('search-results').replaceChildren(
    ...result.matches.map((match) => {
      const item = element('li', {}, { 'data-testid': 'search-result', 'data-id': String(match.id) });
      item.appendChild(
        element('button', {
          textContent: `#${match.id} (${match.x.toFixed(0)}, ${match.y.toFixed(0)}) ${match.tags.join(' ')}`,
          onclick: () => pick(match.id),
        }),
      );
      return item;
    }),
    ...(result.absent === undefined
      ? []
      : [element('li', { textContent: result.absent }, { 'data-testid': 'search-absent' })]),
  );
}
