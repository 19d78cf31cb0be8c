import type { SearchResult } from '../../src/protocol/api-types.js';
import { byTestId, element } from './dom.js';

/** The search form and its result list; picking a result selects the entity. */
export function setUpSearch(run: (query: string) => Promise<SearchResult>, pick: (id: number) => void): void {
  byTestId<HTMLFormElement>('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const query = byTestId<HTMLInputElement>('search-input').value;
    void run(query).then(
      (result) => renderSearch(result, pick),
      (error: Error) => {
        byTestId('search-count').textContent = `(${error.message})`;
      },
    );
  });
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
  );
}
