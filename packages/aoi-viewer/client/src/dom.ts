/** The element with `data-testid="id"` (the page's stable handles, shared with the e2e tests). */
export function byTestId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.querySelector<T>(`[data-testid="${id}"]`);
  if (element === null) throw new Error(`missing element data-testid=${id}`);
  return element;
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

/** "1, 2, 3 … and 40 more" */
export function idList(ids: readonly number[], max = 300): string {
  const shown = ids.slice(0, max).join(', ');
  return ids.length > max ? `${shown} … and ${ids.length - max} more` : shown;
}
