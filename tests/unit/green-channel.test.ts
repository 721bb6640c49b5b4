/**
 * The green channel's pure rules: what the resident may be told (reach), which hours of the roster
 * nobody reachable covers, and the text-message limits.
 */
import { reachOf, SMS_STALE_MS, type AlertOutcome } from '../../cloudfunctions/_shared/domain/reach'
import { demoRosterDays } from '../../database/seed/roster'
import { staff as demoStaff } from '../../database/seed/staff'
import { DEMO_STATION_ID } from '../../database/seed/stations'
import { dutyGaps, onDutyAt, type RosterDay } from '../../types/duty'
import { clipSmsParam, SMS_TEMPLATES, smsNumber, smsProblem, smsText } from '../../types/sms'

const NOW = new Date('2026-12-06T14:00:00Z') // Sunday 22:00 in Shanghai
const waiting = { status: 'submitted' as const }

describe('reach: the page says "received" only when it is true', () => {
  const failed = (sms: Partial<AlertOutcome> = {}): AlertOutcome => ({
    status: 'failed',
    hasSms: true,
    smsStatus: 'failed',
    ...sms
  })

  test.each<[string, AlertOutcome[], 'trying' | 'reached' | 'unreached']>([
    ['a WeChat alert delivered', [{ status: 'sent', hasSms: true }], 'reached'],
    ['WeChat refused, the text delivered', [failed({ smsStatus: 'sent' })], 'reached'],
    ['one of two officers reached', [failed(), { status: 'sent', hasSms: true }], 'reached'],
    ['a send still under way', [{ status: 'sending', hasSms: true }], 'trying'],
    [
      'WeChat waiting for its retry, the text failed',
      [{ status: 'pending', hasSms: true, smsStatus: 'failed' }],
      'trying'
    ],
    ['WeChat failed, the text being sent', [failed({ smsStatus: 'sending', smsAt: NOW })], 'trying'],
    [
      'WeChat failed, the text claimed long ago and never finished',
      [failed({ smsStatus: 'sending', smsAt: new Date(NOW.getTime() - SMS_STALE_MS - 1) })],
      'unreached'
    ],
    ['every channel failed', [failed(), failed({ smsStatus: 'skipped' })], 'unreached'],
    ['an alert without a second channel failed', [{ status: 'failed', hasSms: false }], 'unreached'],
    ['nobody to alert', [], 'unreached']
  ])('%s', (_name, alerts, expected) => {
    expect(reachOf(waiting, alerts, NOW)).toBe(expected)
  })

  test('accepted, declined or done: reached whatever the alerts did; opened by staff: reached', () => {
    for (const status of ['accepted', 'declined', 'done'] as const)
      expect(reachOf({ status }, [failed()], NOW)).toBe('reached')
    expect(reachOf({ status: 'submitted', seenAt: NOW }, [failed()], NOW)).toBe('reached')
  })
})

describe('duty gaps: hours of the coming days with nobody reachable on the roster', () => {
  const day = (date: string, shifts: RosterDay['shifts']): RosterDay => ({
    _id: `st_${date}`,
    stationId: 'st',
    date,
    shifts
  })
  const from = new Date('2026-12-07T00:00:00Z') // Monday 08:00 Shanghai
  const to = new Date('2026-12-08T00:00:00Z') // Tuesday 08:00

  test('a day shift and a night shift that meet cover the whole day: no gap', () => {
    const days = [
      day('2026-12-07', [
        { start: '08:00', end: '20:00', staffIds: ['a'] },
        { start: '20:00', end: '08:00', staffIds: ['b'] }
      ])
    ]
    expect(dutyGaps(days, 'st', from, to, () => true)).toEqual([])
  })

  test('the night is uncovered when its officer cannot be reached; the gap ends where the next shift begins', () => {
    const days = [
      day('2026-12-07', [
        { start: '08:00', end: '20:00', staffIds: ['a'] },
        { start: '20:00', end: '08:00', staffIds: ['b'] }
      ])
    ]
    expect(dutyGaps(days, 'st', from, to, (id) => id !== 'b')).toEqual([
      { start: '2026-12-07T12:00:00.000Z', end: '2026-12-08T00:00:00.000Z' }
    ])
  })

  test('a missing day and a lunch break are each one gap, on the half hour; other stations do not count', () => {
    const days = [
      day('2026-12-07', [
        { start: '08:00', end: '12:00', staffIds: ['a'] },
        { start: '12:30', end: '08:00', staffIds: ['a'] }
      ]),
      { ...day('2026-12-08', []), stationId: 'other' }
    ]
    expect(dutyGaps(days, 'st', from, new Date('2026-12-08T02:00:00Z'), () => true)).toEqual([
      { start: '2026-12-07T04:00:00.000Z', end: '2026-12-07T04:30:00.000Z' },
      { start: '2026-12-08T00:00:00.000Z', end: '2026-12-08T02:00:00.000Z' }
    ])
  })
})

describe('text messages', () => {
  const spec = SMS_TEMPLATES.staffAlert

  test('mobiles become +86 numbers; anything else is not a number to text', () => {
    expect(smsNumber('13900000101')).toBe('+8613900000101')
    expect(smsNumber('+86 139-0000-0101')).toBe('+8613900000101')
    expect(smsNumber('0123-6613110')).toBeNull()
    expect(smsNumber('12345')).toBeNull()
  })

  test('the custom part is clipped to 30 characters and the whole text stays within 70', () => {
    const long = clipSmsParam(`绿色通道第3次催办：${'很长的事项名称'.repeat(10)}`)
    expect([...long]).toHaveLength(30)
    expect(long.endsWith('…')).toBe(true)
    expect(smsProblem(spec, [long], ['+8613900000101'])).toBeNull()
    expect([...smsText(spec, [long])].length).toBeLessThanOrEqual(70)
  })

  test.each([
    ['a custom part over 30 characters', ['x'.repeat(31)], ['+8613900000101'], /too long/],
    ['no parameter', [], ['+8613900000101'], /template_param_list/],
    ['a number without +86', ['ok'], ['13900000101'], /\+86/],
    ['no number', ['ok'], [], /empty/],
    ['over 1,000 numbers', ['ok'], Array.from({ length: 1001 }, () => '+8613900000101'), /1000/]
  ])('refused: %s', (_name, params, numbers, reason) => {
    expect(smsProblem(spec, params, numbers)).toMatch(reason)
  })
})

describe('the demo rota', () => {
  test('someone reachable (a mobile for texts) is on call at every hour of the coming weeks, Sunday nights included', () => {
    const days = demoRosterDays('2026-12-05')
    const reachable = new Set(
      demoStaff.filter((s) => s.active && s.mobile && smsNumber(s.mobile)).map((s) => s._id)
    )
    expect(
      dutyGaps(
        days,
        DEMO_STATION_ID,
        new Date('2026-12-06T00:00:00Z'),
        new Date('2027-01-20T00:00:00Z'),
        (id) => reachable.has(id)
      )
    ).toEqual([])
    // Sunday 22:00 in Shanghai: the night officer.
    expect(onDutyAt(days, DEMO_STATION_ID, new Date('2026-12-06T14:00:00Z'))).toEqual(['staff-officer-zhao'])
  })
})
