// node --test test/   (npm test): the pure helpers of src/util.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unitScale, fmtPct, fmtBytes, shortCommit, median, safeUrl } from '../src/util.js';

test('unitScale picks the scale from the reference value and keeps the suffix', () => {
  const cases = [
    ['s', 2e-6, '2.00 µs'], ['s', 0.0021, '2.10 ms'], ['s', 3.5, '3.50 s'], ['s', 4.2e-9, '4.20 ns'],
    ['sec/op', 1.5e-6, '1.50 µs/op'], ['ns/op', 1500, '1.50 µs/op'], ['ms', 2500, '2.50 s'],
    ['B', 1536, '1.50 KiB'], ['B/op', 5 * 1024 * 1024, '5.00 MiB/op'], ['B/s', 2 * 1024 ** 3, '2.00 GiB/s'], ['B', 12, '12.0 B'],
    ['items/s', 1234567, '1.23M items/s'], ['allocs/op', 12000, '12.0k allocs/op'], ['allocs/op', 12, '12.0 allocs/op'], ['', 0.5, '0.500'],
    ['s', 123.4e-3, '123 ms'], ['s', 999.96e-3, '1.00 s'],
  ];
  for (const [unit, v, want] of cases) assert.equal(unitScale(unit, v).fmt(v), want, `${v} ${unit}`);
});

test('one scale per series: the median decides, not each value', () => {
  const sc = unitScale('s', median([2e-6, 3e-6, 0.5e-3]));
  assert.equal(sc.label, 'µs');
  assert.equal(sc.fmt(0.5e-3), '500 µs');
  assert.equal(sc.fmt(null), '');
});

test('percentages, bytes, commits, links', () => {
  assert.equal(fmtPct(0.1), '+10.0 %');
  assert.equal(fmtPct(-0.053), '−5.30 %');
  assert.equal(fmtPct(0), '±0.00 %');
  assert.equal(fmtBytes(123456), '121 KiB');
  assert.equal(fmtBytes(512), '512 B');
  assert.equal(shortCommit('053967c268de1234567890abcdef1234567890ab'), '053967c268de');
  assert.equal(safeUrl('javascript:alert(1)'), null);
  assert.equal(safeUrl('data:text/html,x'), null);
  assert.equal(safeUrl('https://github.com/o/r/issues/1'), 'https://github.com/o/r/issues/1');
});
