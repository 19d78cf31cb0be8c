import { textTable } from '@lanes/cli-kit';

/** Left-aligned columns, as wide as their widest cell (cli-kit's textTable), without trailing blanks. */
export function table(header: string[], rows: string[][]): string {
  return textTable(header, rows)
    .map((line) => line.trimEnd())
    .join('\n');
}
