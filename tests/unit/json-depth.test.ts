/** The local cloud's depth check (local-cloud/http/util.ts): counted without parsing, strings skipped. */
import { jsonDepthExceeds } from '../../local-cloud/http/util'

test('counts nesting of arrays and objects, the outer value included', () => {
  expect(jsonDepthExceeds('{}', 1)).toBe(false)
  expect(jsonDepthExceeds('{"a":[]}', 1)).toBe(true)
  expect(jsonDepthExceeds('{"a":[]}', 2)).toBe(false)
  expect(jsonDepthExceeds('[[{"a":{}}]]', 3)).toBe(true)
  expect(jsonDepthExceeds('[[{"a":{}}]]', 4)).toBe(false)
  // Depth, not count: many siblings at one level are fine.
  expect(jsonDepthExceeds(`[${'[],'.repeat(10_000)}[]]`, 2)).toBe(false)
})

test('brackets inside strings, escaped quotes included, do not count', () => {
  expect(jsonDepthExceeds(JSON.stringify({ s: '[[[[{{{{' }), 1)).toBe(false)
  expect(jsonDepthExceeds(JSON.stringify({ s: 'say \\"[[[\\" and "{{{"' }), 1)).toBe(false)
  expect(jsonDepthExceeds(JSON.stringify({ s: '\\', t: [[1]] }), 2)).toBe(true)
})

test('a 10 KB body of 5,000 levels is found at once, without recursion', () => {
  const deep = `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`
  expect(jsonDepthExceeds(deep, 64)).toBe(true)
  expect(jsonDepthExceeds(`${'['.repeat(1_000_000)}`, 64)).toBe(true)
})
