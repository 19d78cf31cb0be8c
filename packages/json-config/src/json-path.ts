/** `services.shop.lanes.gray.replicas[0]`; keys that are not plain words are quoted so the path stays unambiguous. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (!/^[\w$-]+$/.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** Whether `path` is `parent` or a field or item inside it (`a.b` and `a[0]` are inside `a`; `ab` is not). */
export function isPathWithin(path: string, parent: string): boolean {
  if (parent === '' || path === parent) return true;
  return path.startsWith(`${parent}.`) || path.startsWith(`${parent}[`);
}
