/**
 * The local console shows a pre-review's materials by name (they are the service's list, not
 * people), while its photos' file ids stay as stored — protected, unreadable — and a person's
 * name or phone written anywhere else in the document is still masked.
 */
import { maskDocument } from '../../local-cloud/console/mask'

const doc = {
  _id: 'pr-1',
  serviceName: '临时居民身份证',
  items: [
    {
      key: 'm0',
      name: '居民户口簿',
      photos: [{ file: 'v1:iv:tag:cipher', upload: 'v1:iv2:tag2:cipher2', bytes: 40_000 }],
      reason: '请联系13812345678补拍'
    }
  ],
  strayFiles: ['v1:iv3:tag3:cipher3'],
  contactName: '王小明'
}

test("a pre-review's material names are shown; file ids stay protected; personal data is masked", () => {
  const shown = maskDocument(doc, 'prereviews') as typeof doc
  expect(shown.items[0]?.name).toBe('居民户口簿')
  expect(shown.serviceName).toBe('临时居民身份证')
  expect(shown.items[0]?.photos[0]).toEqual(doc.items[0]?.photos[0])
  expect(shown.strayFiles).toEqual(doc.strayFiles)
  expect(shown.items[0]?.reason).toBe('请联系138****5678补拍')
  expect(shown.contactName).not.toBe('王小明')
})

test('the entry is for pre-reviews only: a bare item name elsewhere is still masked as a name', () => {
  const other = maskDocument({ items: [{ name: '居民户口簿' }] }, 'requests') as { items: { name: string }[] }
  expect(other.items[0]?.name).not.toBe('居民户口簿')
})
