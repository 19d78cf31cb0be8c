import { describe, expect, it } from 'vitest';
import { textTable } from './text-table.js';

describe('textTable', () => {
  it('pads each column to its widest cell, header included, two spaces apart', () => {
    expect(
      textTable(
        ['NAME', 'N'],
        [
          ['a', '10'],
          ['long-name', '7'],
        ],
      ),
    ).toEqual(['NAME       N ', 'a          10', 'long-name  7 ']);
  });

  it('right-aligns the columns it is told to', () => {
    expect(
      textTable(
        ['', 'a'],
        [
          ['x', '1.5'],
          ['yy', '12'],
        ],
        (column) => column > 0,
      ),
    ).toEqual(['      a', 'x   1.5', 'yy   12']);
  });
});
