import { parseYearText } from '../../src/supervisor/calendar/parse'

test('a pasted year: holidays (休) and make-up working days (班), one a line', () => {
  expect(parseYearText(2027, '2027-01-01 休 元旦\n\n2027-02-07 班 春节\r\n')).toEqual({
    days: [
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { date: '2027-02-07', kind: 'workday', name: '春节' }
    ]
  })
})

test.each([
  ['a line without a mark', '2027-01-01 元旦', '第 1 行格式不对'],
  ['a date of another year', '2026-01-01 休 元旦', '不是 2027 年'],
  ['an impossible date', '2027-02-30 休 春节', '不是 2027 年的有效日期'],
  ['nothing at all', '  ', '至少填写一天']
])('%s is explained', (_what, text, problem) => {
  const res = parseYearText(2027, text)
  expect('problem' in res && res.problem).toContain(problem)
})
