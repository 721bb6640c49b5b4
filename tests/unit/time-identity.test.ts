/** Shanghai calendar arithmetic and identity checks; run under TZ=UTC and America/Los_Angeles. */
import {
  idCheckCharacter,
  idNumberProblem,
  isMobile,
  maskIdNumber,
  maskMobile,
  maskName
} from '../../types/identity'
import {
  addDays,
  formatLocalDate,
  instantAt,
  isLocalDate,
  isoWeekday,
  localDate,
  localDateTime,
  localTime
} from '../../types/time'

describe('Shanghai time', () => {
  test('an instant near midnight UTC is the next morning in Shanghai', () => {
    expect(localDate('2026-09-30T16:30:00Z')).toBe('2026-10-01')
    expect(localTime('2026-09-30T16:30:00Z')).toBe('00:30')
    expect(localDateTime(Date.parse('2026-12-01T01:30:00Z'))).toBe('2026-12-01 09:30')
  })

  test('wall-clock times map to instants with a fixed +8 h', () => {
    expect(instantAt('2026-12-01', '08:30').toISOString()).toBe('2026-12-01T00:30:00.000Z')
    expect(instantAt('2026-01-01', '00:00').toISOString()).toBe('2025-12-31T16:00:00.000Z')
  })

  test('day arithmetic and weekdays do not depend on the host zone', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01')
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(isoWeekday('2025-09-28')).toBe(7)
    expect(isoWeekday('2026-02-14')).toBe(6)
    expect(formatLocalDate('2026-12-01')).toBe('12月1日 周二')
  })

  test('only real dates are dates', () => {
    expect(isLocalDate('2026-02-29')).toBe(false)
    expect(isLocalDate('2024-02-29')).toBe(true)
    expect(isLocalDate('2026-13-01')).toBe(false)
    expect(isLocalDate('2026-1-1')).toBe(false)
  })
})

describe('resident ID numbers (GB 11643)', () => {
  const valid = (first17: string) => first17 + idCheckCharacter(first17)

  test('a number with the right check digit and a real birth date is valid', () => {
    expect(idNumberProblem('11010519491231002X', '2026-11-27')).toBeNull()
    expect(idNumberProblem(valid('44030419900307123'), '2026-11-27')).toBeNull()
    expect(idNumberProblem('11010519491231002x', '2026-11-27')).toBeNull()
  })

  test.each([
    ['too short', '1101051949123100', 'format'],
    ['letters', '11010519491231002A', 'format'],
    ['no such province', valid('99010519900101123'), 'region'],
    ['30 February', valid('11010519900230123'), 'birthdate'],
    ['born tomorrow', valid('11010520261128123'), 'birthdate'],
    ['a wrong check digit', '110105194912310021', 'checksum']
  ])('%s is refused', (_what, id, problem) => {
    expect(idNumberProblem(id, '2026-11-27')).toBe(problem)
  })

  test('numbers are shown masked', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X')
    expect(maskMobile('13812345678')).toBe('138****5678')
    expect(maskName('王芳')).toBe('王*')
    expect(maskName('欧阳娜娜')).toBe('欧阳**')
  })

  test('mobile numbers', () => {
    expect(isMobile('13812345678')).toBe(true)
    expect(isMobile('12812345678')).toBe(false)
    expect(isMobile('1381234567')).toBe(false)
  })
})
