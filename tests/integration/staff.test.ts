/**
 * The staff function: who the caller is, the first supervisor from configuration, one-time
 * invite codes (expiry, reuse, double taps), the duty roster and who is on duty now — and an
 * authorization matrix where every refusal writes nothing.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Result } from '../../types/result'
import type { StaffOutputs } from '../../types/staff-admin'
import { ok } from '../helpers/appointments'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'
import { TEST_DATA } from '../helpers/paths'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const FIRST = 'configured-first-supervisor'
const WHO = {
  anonymous: '',
  resident: 'demo-resident-wang',
  officer: 'demo-officer-li',
  otherOfficer: 'officer-elsewhere',
  leader: 'demo-leader-zhou',
  supervisor: 'demo-supervisor-chen'
} as const
type Who = keyof typeof WHO

function staff<A extends keyof StaffOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<StaffOutputs[A]>>(cloud, 'staff', { action, payload }, openid).then(
    (r) => r.body
  )
}

const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code)

function setSupervisorChenActive(active: boolean) {
  const id = 'staff-supervisor-chen'
  cloud.store.commit([{ coll: 'staff', id, doc: { ...cloud.store.get('staff', id), _id: id, active } }])
}

beforeAll(async () => {
  // The function's environment as set in the cloud console: the first supervisor's OPENID.
  const dataDir = path.join(TEST_DATA, `cloud-staff-${process.pid}-${Date.now()}`)
  fs.rmSync(dataDir, { recursive: true, force: true })
  fs.mkdirSync(dataDir, { recursive: true })
  fs.writeFileSync(
    path.join(dataDir, 'function-secrets.json'),
    JSON.stringify({
      HUKOU_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
      HUKOU_FIRST_SUPERVISOR_OPENID: FIRST
    })
  )
  cloud = await freshCloud({ timers: false, dataDir })
  cloud.clock.set(Date.parse('2026-12-28T01:59:00Z')) // Monday 2026-12-28 09:59 in Shanghai
  cloud.store.commit([
    {
      coll: 'staff',
      id: 'staff-elsewhere',
      doc: {
        _id: 'staff-elsewhere',
        openid: WHO.otherOfficer,
        name: '外所民警',
        role: 'officer',
        stationId: 'st-other',
        active: true
      }
    }
  ])
})

afterAll(async () => {
  await cloud.close()
})

describe('authorization matrix (every refusal writes nothing)', () => {
  const today = '2026-12-28'
  const cases: { action: keyof StaffOutputs; payload: unknown; expected: Record<Who, string> }[] = [
    {
      action: 'me',
      payload: {},
      expected: {
        anonymous: 'UNAUTHENTICATED',
        resident: 'ok',
        officer: 'ok',
        otherOfficer: 'ok',
        leader: 'ok',
        supervisor: 'ok'
      }
    },
    {
      action: 'createInvite',
      payload: { role: 'officer' },
      expected: {
        anonymous: 'UNAUTHENTICATED',
        resident: 'FORBIDDEN',
        officer: 'FORBIDDEN',
        otherOfficer: 'FORBIDDEN',
        leader: 'ok',
        supervisor: 'ok'
      }
    },
    {
      action: 'createInvite',
      payload: { role: 'leader' },
      expected: {
        anonymous: 'UNAUTHENTICATED',
        resident: 'FORBIDDEN',
        officer: 'FORBIDDEN',
        otherOfficer: 'FORBIDDEN',
        leader: 'FORBIDDEN',
        supervisor: 'ok'
      }
    },
    {
      action: 'createInvite',
      payload: { role: 'officer', stationId: 'st-other' },
      expected: {
        anonymous: 'UNAUTHENTICATED',
        resident: 'FORBIDDEN',
        officer: 'FORBIDDEN',
        otherOfficer: 'FORBIDDEN',
        leader: 'FORBIDDEN',
        supervisor: 'NOT_FOUND'
      }
    },
    {
      action: 'roster',
      payload: { stationId: STATION, from: today, to: '2027-01-03' },
      expected: {
        anonymous: 'UNAUTHENTICATED',
        resident: 'FORBIDDEN',
        officer: 'ok',
        otherOfficer: 'FORBIDDEN',
        leader: 'ok',
        supervisor: 'ok'
      }
    },
    {
      action: 'setRosterDay',
      payload: {
        stationId: STATION,
        date: today,
        shifts: [{ start: '08:30', end: '17:30', staffIds: ['staff-officer-li'] }]
      },
      expected: {
        anonymous: 'UNAUTHENTICATED',
        resident: 'FORBIDDEN',
        officer: 'FORBIDDEN',
        otherOfficer: 'FORBIDDEN',
        leader: 'ok',
        supervisor: 'ok'
      }
    },
    {
      action: 'onDuty',
      payload: { stationId: STATION },
      expected: {
        anonymous: 'UNAUTHENTICATED',
        resident: 'FORBIDDEN',
        officer: 'ok',
        otherOfficer: 'FORBIDDEN',
        leader: 'ok',
        supervisor: 'ok'
      }
    },
    {
      action: 'bindInvite',
      payload: { code: 'ABCD EFGH', name: '张警官', mobile: '13900001234' },
      expected: {
        anonymous: 'UNAUTHENTICATED',
        resident: 'INVITE_UNKNOWN',
        officer: 'ALREADY_STAFF',
        otherOfficer: 'ALREADY_STAFF',
        leader: 'ALREADY_STAFF',
        supervisor: 'ALREADY_STAFF'
      }
    }
  ]
  for (const c of cases) {
    test(`${c.action} ${JSON.stringify(c.payload)}`, async () => {
      for (const who of Object.keys(WHO) as Who[]) {
        const before = snapshot(cloud)
        const res = await staff(c.action, c.payload, WHO[who])
        expect(`${who}: ${code(res)}`).toBe(`${who}: ${c.expected[who]}`)
        if (!res.ok) {
          expect(res.error.message).toMatch(/[\u4e00-\u9fa5]/)
          expect(snapshot(cloud)).toEqual(before)
        }
      }
    })
  }

  test('malformed requests are refused before anything runs', async () => {
    const before = snapshot(cloud)
    expect(code(await staff('createInvite', { role: 'admin' }, WHO.supervisor))).toBe('INVALID_INPUT')
    expect(
      code(await staff('setRosterDay', { stationId: STATION, date: '2026-13-01', shifts: [] }, WHO.leader))
    ).toBe('INVALID_INPUT')
    expect(
      code(await staff('roster', { stationId: STATION, from: '2026-12-01', to: '2027-06-01' }, WHO.leader))
    ).toBe('INVALID_INPUT')
    expect(
      code(await staff('bindInvite', { code: 'X', name: '', mobile: '13900001234' }, 'someone-new'))
    ).toBe('NAME_INVALID')
    expect(
      code(await staff('bindInvite', { code: 'X', name: '张警官', mobile: '0123-6612345' }, 'someone-new'))
    ).toBe('MOBILE_INVALID')
    expect(code(await staff('bindInvite', { code: 'X', name: '张警官' }, 'someone-new'))).toBe(
      'INVALID_INPUT'
    )
    expect(code(await staff('nope' as 'me', {}, WHO.supervisor))).toBe('UNKNOWN_ACTION')
    expect(snapshot(cloud)).toEqual(before)
  })
})

describe('me', () => {
  test('a resident is a resident; staff see their role and station', async () => {
    expect(ok(await staff('me', {}, WHO.resident))).toEqual({ role: 'resident' })
    expect(ok(await staff('me', {}, WHO.officer))).toMatchObject({
      staffId: 'staff-officer-li',
      role: 'officer',
      stationId: STATION,
      name: '李警官',
      stationName: expect.stringContaining('城关派出所')
    })
  })

  test('the configured first supervisor gets a record only while no active supervisor exists', async () => {
    expect(ok(await staff('me', {}, FIRST))).toEqual({ role: 'resident' })
    expect(cloud.store.docs('staff').filter((s) => s.openid === FIRST)).toHaveLength(0)

    setSupervisorChenActive(false)
    expect(code(await staff('me', {}, 'not-configured'))).toBe('ok')
    expect(ok(await staff('me', {}, 'not-configured'))).toEqual({ role: 'resident' })
    const [first, again] = await Promise.all([staff('me', {}, FIRST), staff('me', {}, FIRST)])
    expect(ok(first)).toMatchObject({ role: 'supervisor', stationId: '' })
    expect(ok(again)).toMatchObject({ role: 'supervisor', stationId: '' })
    expect(cloud.store.docs('staff').filter((s) => s.openid === FIRST)).toHaveLength(1)

    // The first supervisor oversees every station: invites a leader to this one.
    const invite = ok(await staff('createInvite', { role: 'leader', stationId: STATION }, FIRST))
    expect(invite).toMatchObject({ role: 'leader', stationId: STATION })
    expect(code(await staff('createInvite', { role: 'officer' }, FIRST))).toBe('INVALID_INPUT') // no station of its own: must name one
    setSupervisorChenActive(true)
  })
})

describe('invite codes', () => {
  test('a leader invites an officer; the code binds once; the new officer sees the station', async () => {
    const invite = ok(await staff('createInvite', { role: 'officer' }, WHO.leader))
    expect(invite.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTWXYZ]{8}$/)
    expect(invite).toMatchObject({ role: 'officer', stationId: STATION })
    expect(Date.parse(invite.expiresAt) - cloud.clock.now()).toBeGreaterThan(72 * 3_600_000 - 60_000) // the cloud's clock keeps running

    const typed = `${invite.code.slice(0, 4).toLowerCase()} ${invite.code.slice(4)}`
    const bound = ok(
      await staff('bindInvite', { code: typed, name: '张警官', mobile: '13900001234' }, 'new-officer-zhang')
    )
    expect(bound).toMatchObject({
      role: 'officer',
      stationId: STATION,
      name: '张警官',
      mobileMasked: '139****1234'
    })
    expect(cloud.store.docs('staff').find((d) => d.openid === 'new-officer-zhang')).toMatchObject({
      mobile: '13900001234'
    })
    expect(ok(await staff('me', {}, 'new-officer-zhang'))).toEqual(bound)
    expect(cloud.store.get('invites', `inv-${invite.code}`)).toMatchObject({ usedBy: bound.staffId })

    // A retry by the same person is harmless; anyone else is refused and nothing is written.
    expect(
      ok(
        await staff(
          'bindInvite',
          { code: invite.code, name: '张警官', mobile: '13900001234' },
          'new-officer-zhang'
        )
      )
    ).toEqual(bound)
    const before = snapshot(cloud)
    expect(
      code(
        await staff('bindInvite', { code: invite.code, name: '冒名', mobile: '13900001234' }, 'someone-else')
      )
    ).toBe('INVITE_USED')
    expect(snapshot(cloud)).toEqual(before)
    expect(cloud.store.docs('staff').filter((s) => s.openid === 'new-officer-zhang')).toHaveLength(1)
  })

  test('an invite expires after 72 hours; nothing is written', async () => {
    cloud.clock.set(Date.parse('2026-12-28T02:00:00Z'))
    const late = ok(await staff('createInvite', { role: 'officer' }, WHO.leader))
    const inTime = ok(await staff('createInvite', { role: 'officer' }, WHO.supervisor))
    cloud.clock.set(Date.parse('2026-12-31T01:59:00Z')) // 71 h 59 min later
    ok(
      await staff(
        'bindInvite',
        { code: inTime.code, name: '赵警官', mobile: '13900001234' },
        'officer-in-time'
      )
    )
    cloud.clock.set(Date.parse('2026-12-31T02:01:00Z')) // 72 h 1 min
    const before = snapshot(cloud)
    const res = await staff(
      'bindInvite',
      { code: late.code, name: '钱警官', mobile: '13900001234' },
      'officer-too-late'
    )
    expect(res.ok ? 'ok' : res.error).toEqual({
      code: 'INVITE_EXPIRED',
      message: expect.stringContaining('过期')
    })
    expect(snapshot(cloud)).toEqual(before)
    cloud.clock.set(Date.parse('2026-12-28T01:59:00Z'))
  })

  test('an unknown or malformed code, or a caller who is already staff: clear errors, nothing written', async () => {
    const invite = ok(await staff('createInvite', { role: 'officer' }, WHO.leader))
    const before = snapshot(cloud)
    expect(
      code(
        await staff('bindInvite', { code: 'ZZZZZZZZ', name: '孙警官', mobile: '13900001234' }, 'officer-sun')
      )
    ).toBe('INVITE_UNKNOWN')
    expect(
      code(await staff('bindInvite', { code: '0O1IL', name: '孙警官', mobile: '13900001234' }, 'officer-sun'))
    ).toBe('INVITE_UNKNOWN')
    expect(
      code(
        await staff('bindInvite', { code: invite.code, name: '李警官', mobile: '13900001234' }, WHO.officer)
      )
    ).toBe('ALREADY_STAFF')
    expect(snapshot(cloud)).toEqual(before)
  })

  test('a double tap binds once; two people racing for one code: exactly one wins', async () => {
    const invite = ok(await staff('createInvite', { role: 'officer' }, WHO.leader))
    const taps = await Promise.all(
      Array.from({ length: 4 }, () =>
        staff(
          'bindInvite',
          { code: invite.code, name: '周警官', mobile: '13900001234' },
          'officer-double-tap'
        )
      )
    )
    const ids = new Set(taps.map((t) => ok(t).staffId))
    expect(ids.size).toBe(1)
    expect(cloud.store.docs('staff').filter((s) => s.openid === 'officer-double-tap')).toHaveLength(1)

    const contested = ok(await staff('createInvite', { role: 'officer' }, WHO.leader))
    const race = await Promise.all(
      ['racer-a', 'racer-b', 'racer-c'].map((who) =>
        staff('bindInvite', { code: contested.code, name: '吴警官', mobile: '13900001234' }, who)
      )
    )
    expect(race.map(code).sort()).toEqual(['INVITE_USED', 'INVITE_USED', 'ok'])
    expect(
      cloud.store.docs('staff').filter((s) => ['racer-a', 'racer-b', 'racer-c'].includes(s.openid as string))
    ).toHaveLength(1)
  })

  test('one person holding two codes binds only once', async () => {
    const [a, b] = [
      ok(await staff('createInvite', { role: 'officer' }, WHO.leader)),
      ok(await staff('createInvite', { role: 'officer' }, WHO.leader))
    ]
    const res = await Promise.all([
      staff('bindInvite', { code: a.code, name: '郑警官', mobile: '13900001234' }, 'two-codes'),
      staff('bindInvite', { code: b.code, name: '郑警官', mobile: '13900001234' }, 'two-codes')
    ])
    expect(res.map(code).sort()).toEqual(['ALREADY_STAFF', 'ok'])
    expect(cloud.store.docs('staff').filter((s) => s.openid === 'two-codes')).toHaveLength(1)
    expect(
      cloud.store
        .docs('invites')
        .filter((i) => i._id === `inv-${a.code}` || i._id === `inv-${b.code}`)
        .filter((i) => i.usedBy)
    ).toHaveLength(1)
  })
})

describe('duty roster', () => {
  test('a leader sets the day and the night shift; who is on duty follows Shanghai time', async () => {
    const shifts = [
      { start: '08:30', end: '17:30', staffIds: ['staff-officer-li'] },
      { start: '17:30', end: '08:30', staffIds: ['staff-leader-zhou'] }
    ]
    ok(await staff('setRosterDay', { stationId: STATION, date: '2026-12-29', shifts }, WHO.leader))
    const roster = ok(
      await staff('roster', { stationId: STATION, from: '2026-12-29', to: '2026-12-30' }, WHO.officer)
    )
    expect(roster.days).toEqual([
      { _id: `${STATION}_2026-12-29`, stationId: STATION, date: '2026-12-29', shifts }
    ])
    expect(roster.staff.map((s) => s.name)).toEqual(expect.arrayContaining(['李警官', '周所长']))

    cloud.clock.set(Date.parse('2026-12-29T02:00:00Z')) // 10:00
    expect(ok(await staff('onDuty', { stationId: STATION }, WHO.officer)).staff).toEqual([
      { staffId: 'staff-officer-li', name: '李警官', role: 'officer' }
    ])
    cloud.clock.set(Date.parse('2026-12-29T18:00:00Z')) // 02:00 the next morning: still the night shift
    expect(ok(await staff('onDuty', { stationId: STATION }, WHO.officer)).staff.map((s) => s.name)).toEqual([
      '周所长'
    ])
    cloud.clock.set(Date.parse('2026-12-30T01:00:00Z')) // 09:00 on a day without a roster
    expect(ok(await staff('onDuty', { stationId: STATION }, WHO.officer)).staff).toEqual([])
    cloud.clock.set(Date.parse('2026-12-28T01:59:00Z'))
  })

  test('a 24-hour duty (00:00–00:00) covers the whole day', async () => {
    ok(
      await staff(
        'setRosterDay',
        {
          stationId: STATION,
          date: '2027-01-01',
          shifts: [{ start: '00:00', end: '00:00', staffIds: ['staff-officer-li'] }]
        },
        WHO.supervisor
      )
    )
    cloud.clock.set(Date.parse('2027-01-01T23:30:00+08:00'))
    expect(ok(await staff('onDuty', { stationId: STATION }, WHO.leader)).staff.map((s) => s.name)).toEqual([
      '李警官'
    ])
    cloud.clock.set(Date.parse('2026-12-28T01:59:00Z'))
  })

  test('only staff of the station can be put on duty; nothing is written otherwise', async () => {
    const before = snapshot(cloud)
    const res = await staff(
      'setRosterDay',
      {
        stationId: STATION,
        date: '2026-12-31',
        shifts: [{ start: '08:30', end: '17:30', staffIds: ['staff-elsewhere'] }]
      },
      WHO.leader
    )
    expect(res.ok ? 'ok' : res.error).toEqual({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('本所')
    })
    expect(snapshot(cloud)).toEqual(before)
  })
})

describe('stopping the account of someone who has left', () => {
  const DQ = 'officer-dq-a'
  beforeAll(() => {
    cloud.store.commit([
      {
        coll: 'staff',
        id: 'staff-dq-a',
        doc: {
          _id: 'staff-dq-a',
          openid: DQ,
          name: '孙警官',
          role: 'officer',
          stationId: STATION,
          active: true
        }
      }
    ])
  })

  test('only a leader of the station (for officers) or a supervisor may, with a reason; nothing is written otherwise', async () => {
    for (const [payload, who, expected] of [
      [{ staffId: 'staff-dq-a', reason: '调离本所' }, WHO.officer, 'FORBIDDEN'],
      [{ staffId: 'staff-dq-a', reason: '调离本所' }, WHO.resident, 'FORBIDDEN'],
      [{ staffId: 'staff-elsewhere', reason: '调离本所' }, WHO.leader, 'FORBIDDEN'],
      [{ staffId: 'staff-supervisor-chen', reason: '调离本所' }, WHO.leader, 'FORBIDDEN'],
      [{ staffId: 'staff-leader-zhou', reason: '调离本所' }, WHO.leader, 'INVALID_INPUT'],
      [{ staffId: 'staff-dq-a', reason: '走' }, WHO.leader, 'REASON_REQUIRED'],
      [{ staffId: 'staff-nobody', reason: '调离本所' }, WHO.leader, 'NOT_FOUND']
    ] as const) {
      const before = snapshot(cloud)
      expect(`${who}: ${code(await staff('deactivate', payload, who))}`).toBe(`${who}: ${expected}`)
      expect(snapshot(cloud)).toEqual(before)
    }
  })

  test('once stopped, the account is a resident again: no queue, not on duty; a retry changes nothing; a new invite brings it back', async () => {
    ok(
      await staff(
        'setRosterDay',
        {
          stationId: STATION,
          date: '2026-12-28',
          shifts: [{ start: '08:00', end: '18:00', staffIds: ['staff-dq-a'] }]
        },
        WHO.leader
      )
    )
    expect(ok(await staff('onDuty', { stationId: STATION }, WHO.leader)).staff.map((s) => s.name)).toEqual([
      '孙警官'
    ])
    const stopped = ok(await staff('deactivate', { staffId: 'staff-dq-a', reason: '调离本所' }, WHO.leader))
    expect(stopped).toMatchObject({
      staffId: 'staff-dq-a',
      active: false,
      deactivatedAtLocal: '2026-12-28 09:59'
    })
    expect(cloud.store.get('staff', 'staff-dq-a')).toMatchObject({
      active: false,
      deactivationReason: '调离本所',
      deactivatedBy: 'staff-leader-zhou'
    })
    expect(ok(await staff('me', {}, DQ))).toEqual({ role: 'resident' })
    expect(code(await staff('today', { stationId: STATION }, DQ))).toBe('FORBIDDEN')
    expect(ok(await staff('onDuty', { stationId: STATION }, WHO.leader)).staff).toEqual([])
    expect(
      ok(
        await staff('roster', { stationId: STATION, from: '2026-12-28', to: '2026-12-28' }, WHO.leader)
      ).staff.map((s) => s.staffId)
    ).not.toContain('staff-dq-a')
    expect(
      ok(await staff('deactivate', { staffId: 'staff-dq-a', reason: '再点一次' }, WHO.supervisor))
    ).toMatchObject({ deactivatedAtLocal: '2026-12-28 09:59' })
    expect(cloud.store.get('staff', 'staff-dq-a')).toMatchObject({ deactivationReason: '调离本所' })

    const invite = ok(await staff('createInvite', { role: 'officer' }, WHO.leader))
    expect(
      ok(await staff('bindInvite', { code: invite.code, name: '孙警官', mobile: '13900001234' }, DQ))
    ).toMatchObject({ staffId: 'staff-dq-a', role: 'officer' })
    expect(ok(await staff('me', {}, DQ))).toMatchObject({ staffId: 'staff-dq-a' })
  })
})
