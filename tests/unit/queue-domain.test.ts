/**
 * The queue's pure rules (docs/queue.md): numbers and ids, the merge of appointments and walk-ins
 * (an appointment in its slot before walk-ins, no walk-in passed more than the station's limit),
 * the call order the resident's "ahead" is read from, and the estimated wait.
 */
import {
  callOrder,
  estimateWait,
  notePassed,
  parseTicketId,
  pickNext,
  serviceMinutes,
  ticketId,
  ticketNumber,
  type QueueEntry
} from '../../cloudfunctions/_shared/domain/queue'

const T0 = Date.parse('2026-12-01T01:00:00Z') // 09:00 Shanghai
const MIN = 60_000

let seq = 0
function walkIn(extra: Partial<QueueEntry> = {}): QueueEntry {
  seq += 1
  return {
    seq,
    kind: 'walk_in',
    status: 'waiting',
    holder: `h${seq}`,
    passed: 0,
    calls: 0,
    takenAt: T0,
    ...extra
  }
}
function appointment(slotStart: number, extra: Partial<QueueEntry> = {}): QueueEntry {
  return walkIn({ kind: 'appointment', slotStart, slotEnd: slotStart + 30 * MIN, ...extra })
}
beforeEach(() => {
  seq = 0
})

/** Calls numbers one after another at `now`, as the officer's 叫号 does; returns their seqs. */
function callAll(entries: QueueEntry[], now: number, max: number): number[] {
  const out: number[] = []
  for (let next = pickNext(entries, now, max); next; next = pickNext(entries, now, max)) {
    notePassed(entries, next, now)
    next.status = 'called'
    out.push(next.seq)
  }
  return out
}

describe('numbers', () => {
  test('a number is the line’s letter and three digits; its id names the line’s day', () => {
    expect(ticketNumber('A', 1)).toBe('A001')
    expect(ticketNumber('B', 42)).toBe('B042')
    expect(ticketNumber('A', 1000)).toBe('A1000')
    const id = ticketId('st-yunxi-chengguan', '2026-12-01', 'B', 42)
    expect(id).toBe('st-yunxi-chengguan_20261201_B_42')
    expect(parseTicketId(id)).toEqual({
      stationId: 'st-yunxi-chengguan',
      date: '2026-12-01',
      line: 'B',
      seq: 42,
      counterId: 'st-yunxi-chengguan_20261201_B'
    })
    expect(parseTicketId('st_x_B_1')).toBeNull()
    expect(parseTicketId('st-yunxi-chengguan_20261201_b_1')).toBeNull()
  })
})

describe('the merge rule', () => {
  test('walk-ins alone are called in the order they took their numbers', () => {
    const entries = [walkIn(), walkIn(), walkIn()]
    expect(callAll(entries, T0, 3)).toEqual([1, 2, 3])
  })

  test('an appointment in its slot is called before the walk-ins waiting', () => {
    const entries = [walkIn(), walkIn(), appointment(T0)]
    expect(pickNext(entries, T0, 3)?.seq).toBe(3)
  })

  test('an appointment checked in before its slot waits by its number until the slot begins', () => {
    const entries = [walkIn(), walkIn(), appointment(T0 + 30 * MIN)]
    expect(pickNext(entries, T0, 3)?.seq).toBe(1)
    expect(pickNext(entries, T0 + 30 * MIN, 3)?.seq).toBe(3)
  })

  test('no walk-in is passed more than maxWalkInSkips times', () => {
    // One walk-in waiting, then five appointments in their slot checked in after it.
    const entries = [
      walkIn(),
      appointment(T0),
      appointment(T0),
      appointment(T0),
      appointment(T0),
      appointment(T0)
    ]
    expect(callAll(entries, T0, 3)).toEqual([2, 3, 4, 1, 5, 6])
    expect(entries[0]?.passed).toBe(3)
  })

  test('with a limit of 0 nobody jumps a walk-in', () => {
    const entries = [walkIn(), walkIn(), appointment(T0)]
    expect(callAll(entries, T0, 0)).toEqual([1, 2, 3])
  })

  test('a walk-in who took a number after the appointment is not counted as passed', () => {
    const entries = [appointment(T0), walkIn()]
    expect(callAll(entries, T0, 1)).toEqual([1, 2])
    expect(entries[1]?.passed).toBe(0)
  })

  test('a moved number goes ahead of walk-ins, within the same limit', () => {
    const entries = [walkIn(), walkIn(), walkIn({ moved: true }), walkIn({ moved: true })]
    expect(callAll(entries, T0, 1)).toEqual([3, 1, 2, 4])
  })

  test('called, served and skipped numbers are never picked', () => {
    const entries = [walkIn({ status: 'called' }), walkIn({ status: 'no_show' }), walkIn({ status: 'done' })]
    expect(pickNext(entries, T0, 3)).toBeUndefined()
  })

  test('the call order predicts the calls and leaves the entries untouched', () => {
    const entries = [walkIn(), appointment(T0), walkIn(), appointment(T0)]
    const before = JSON.parse(JSON.stringify(entries)) as QueueEntry[]
    const predicted = callOrder(entries, T0, 1).map((e) => e.seq)
    expect(entries).toEqual(before)
    expect(callAll(entries, T0, 1)).toEqual(predicted)
    expect(predicted).toEqual([2, 1, 4, 3])
  })
})

describe('the estimated wait', () => {
  test('averages the recent service times, else the line’s default, shared among windows', () => {
    expect(serviceMinutes([], 8)).toBe(8)
    expect(serviceMinutes([4, 6, 5], 8)).toBe(5)
    expect(estimateWait(3, 5, 1)).toBe(15)
    expect(estimateWait(3, 5, 2)).toBe(8)
    expect(estimateWait(0, 5, 0)).toBe(0)
    expect(estimateWait(2, 5, 0)).toBe(10)
  })
})
