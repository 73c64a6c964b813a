import { formatQuantity, usedOfAllocatable } from './quantity';
import { renderDetails, renderTable } from './table';

describe('formatQuantity', () => {
  it.each([
    [3.9000000000000004, '3.9'],
    [1.3000000000000003, '1.3'],
    [1.93, '1.93'],
    [0.1 + 0.2, '0.3'],
    [2.005, '2'],
    [6, '6'],
    [0, '0'],
    [-1.25, '-1.25'],
    [512, '512'],
    [0.004567, '0.0046'],
    [Number.NaN, ''],
    [Number.POSITIVE_INFINITY, ''],
  ])('%p prints as %p', (value, text) => {
    expect(formatQuantity(value)).toBe(text);
  });

  it('prints used/allocatable, or used alone when nothing is allocatable', () => {
    expect(usedOfAllocatable(3.9000000000000004, 6.9)).toBe('3.9/6.9');
    expect(usedOfAllocatable(1.3000000000000003, 0)).toBe('1.3');
    expect(usedOfAllocatable(undefined, 2)).toBe('');
  });

  it('is applied to every numeric cell of tables and detail lists', () => {
    expect(renderTable(['PS', 'CPU'], [[6, 0.1 + 0.2]])).toBe('PS  CPU\n6   0.3\n');
    expect(renderDetails([['Memory', 3.9000000000000004]])).toBe('Memory  3.9\n');
  });
});
