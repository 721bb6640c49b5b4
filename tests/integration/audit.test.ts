/**
 * Audit of officer access to personal data (docs/privacy-and-access.md): each staff view of
 * residents' personal data (`staff.today`, `requests.open`) leaves exactly one flat record — who,
 * what (record ids only), when, which station — and never the personal data itself; the same view
 * again within AUDIT_REPEAT_MINUTES (a page shown again, a refresh, two taps at once) adds none.
 * The `audit` action lists them to leaders (own station) and supervisors (all), staff named in
 * full, by day and by member of staff; refusals and bad input write nothing.
 */
import type { RequestsOutputs } from '../../types/requests'
import type { Result } from '../../types/result'
import { AUDIT_REPEAT_MINUTES, type StaffOutputs } from '../../types/staff-admin'
import { appointment, APPLICANT, ok, requestId } from '../helpers/appointments'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'
import { holds } from '../helpers/personal-data'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const OTHER_STATION = 'st-other'
const LI = 'demo-officer-li'
const ELSEWHERE = 'officer-elsewhere'
const LEADER = 'demo-leader-zhou'
const SUPERVISOR = 'demo-supervisor-chen'
const RESIDENT = 'r-audit-wang'
const ID_NUMBER = '11010519491231002X'
const CONTACT = { contactName: '赵丽华', mobile: '13955554444' }
/** Every piece of personal data the reads return; none may reach an audit record. */
const PERSONAL = [
  APPLICANT.name,
  APPLICANT.mobile,
  '138****5678',
  '5678',
  ID_NUMBER,
  '002X',
  CONTACT.contactName,
  CONTACT.mobile,
  '4444',
  '家中老人'
]

const at = (shanghai: string) => cloud.clock.set(Date.parse(`${shanghai}+08:00`))
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code)

function staff<A extends keyof StaffOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<StaffOutputs[A]>>(cloud, 'staff', { action, payload }, openid).then(
    (r) => r.body
  )
}
function req<A extends keyof RequestsOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<RequestsOutputs[A]>>(cloud, 'requests', { action, payload }, openid).then(
    (r) => r.body
  )
}

const auditDocs = () => cloud.store.docs('audit')

/** Runs `read` and returns the audit records it added. */
async function added(read: () => Promise<Result<unknown>>) {
  const before = new Set(auditDocs().map((d) => d._id))
  const res = await read()
  expect(code(res)).toBe('ok')
  return auditDocs().filter((d) => !before.has(d._id))
}

function expectNoPersonalData(record: unknown) {
  const text = JSON.stringify(record)
  for (const p of PERSONAL) expect(`${p}: ${holds(text, p)}`).toBe(`${p}: false`)
}

let appointmentIds: string[]
let requestIds: string[]

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.store.commit([
    {
      coll: 'staff',
      id: 'staff-elsewhere',
      doc: {
        _id: 'staff-elsewhere',
        openid: ELSEWHERE,
        name: '外所民警',
        role: 'officer',
        stationId: OTHER_STATION,
        active: true
      }
    }
  ])
  at('2026-12-28T09:59:00') // Monday
  const book = async (openid: string, hhmm: string, extra: Partial<typeof APPLICANT> = {}) =>
    ok(
      await appointment(
        cloud,
        'book',
        {
          requestId: requestId(),
          serviceId: 'svc-cert-hukou',
          slotId: `${STATION}_2026-12-28_${hhmm}_window`,
          applicant: { ...APPLICANT, ...extra },
          consent: true
        },
        openid
      )
    )
  appointmentIds = [
    (await book('r-a', '1430', { idNumber: ID_NUMBER }))._id,
    (await book('r-b', '1500'))._id
  ].sort()
  const submitted = ok(
    await req(
      'submit',
      {
        kind: 'emergency',
        category: 'death_cremation',
        description: '家中老人今天去世，明早火化需要死亡证明',
        ...CONTACT,
        stationId: STATION,
        requestId: requestId()
      },
      RESIDENT
    )
  )
  requestIds = [submitted._id]
})

afterAll(async () => {
  await cloud?.close()
})

describe('each read of personal data leaves exactly one record, without the data itself', () => {
  test('staff.today: who (named in full), which appointments (ids), when, where', async () => {
    const records = await added(async () => {
      const res = await staff('today', { stationId: STATION }, LI)
      expect(ok(res).slots.flatMap((s) => s.items.map((i) => i.applicantName))).toContain(APPLICANT.name)
      return res
    })
    expect(records).toHaveLength(1)
    const r = records[0]!
    expect(r).toMatchObject({
      staffId: 'staff-officer-li',
      staffName: '李警官',
      role: 'officer',
      action: 'staff.today',
      recordKind: 'appointments',
      recordCount: 2,
      stationId: STATION,
      atLocal: '2026-12-28 09:59'
    })
    expect([...(r.recordIds as string[])].sort()).toEqual(appointmentIds)
    expect(Math.abs(new Date(r.at as string).getTime() - Date.parse('2026-12-28T01:59:00Z'))).toBeLessThan(
      60_000
    )
    expect(typeof r.actionLabel).toBe('string')
    expectNoPersonalData(r)
    // The page shown again a moment later is the same view: no second entry.
    expect(await added(() => staff('today', { stationId: STATION }, LI))).toHaveLength(0)
  })

  test('requests.open (full mobile numbers): one record naming the requests by id', async () => {
    const records = await added(async () => {
      const res = await req('open', {}, LEADER)
      expect(ok(res).requests.map((x) => x.mobile)).toContain(CONTACT.mobile)
      return res
    })
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({
      staffId: 'staff-leader-zhou',
      role: 'leader',
      action: 'requests.open',
      recordKind: 'requests',
      recordIds: requestIds,
      recordCount: 1,
      stationId: STATION
    })
    expectNoPersonalData(records[0])
  })

  test('a read that finds nothing is still recorded (the access itself is what is audited)', async () => {
    const records = await added(() => staff('today', { stationId: STATION, date: '2026-12-30' }, SUPERVISOR))
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({
      staffId: 'staff-supervisor-chen',
      role: 'supervisor',
      recordIds: [],
      recordCount: 0
    })
  })

  test('refused calls and bad input write nothing, audit included', async () => {
    const calls: [() => Promise<Result<unknown>>, string][] = [
      [() => staff('today', { stationId: STATION }, ''), 'UNAUTHENTICATED'],
      [() => staff('today', { stationId: STATION }, RESIDENT), 'FORBIDDEN'],
      [() => staff('today', { stationId: STATION }, ELSEWHERE), 'FORBIDDEN'],
      [() => staff('today', { stationId: 'bad id!' }, LI), 'INVALID_INPUT'],
      [() => staff('today', { stationId: STATION, date: '2026-02-30' }, LI), 'INVALID_INPUT'],
      [() => staff('today', { stationId: STATION, extra: 1 }, LI), 'INVALID_INPUT'],
      [() => req('open', {}, RESIDENT), 'FORBIDDEN'],
      [() => req('open', { stationId: STATION }, ELSEWHERE), 'FORBIDDEN'],
      [() => req('open', { stationId: 42 }, LI), 'INVALID_INPUT']
    ]
    for (const [call, expected] of calls) {
      const before = snapshot(cloud)
      expect(code(await call())).toBe(expected)
      expect(snapshot(cloud)).toEqual(before)
    }
  })
})

describe('the audit action', () => {
  beforeAll(async () => {
    // A read at another station, and one on the next day.
    at('2026-12-28T10:05:00')
    await added(() => staff('today', { stationId: OTHER_STATION }, ELSEWHERE))
    at('2026-12-29T08:00:00')
    await added(() => req('open', {}, LI))
  })

  const range = { from: '2026-12-28', to: '2026-12-29' }

  test('who may read it: leaders their own station, supervisors every station, nobody else', async () => {
    const cases: [openid: string, payload: unknown, expected: string][] = [
      ['', range, 'UNAUTHENTICATED'],
      [RESIDENT, range, 'FORBIDDEN'],
      [LI, range, 'FORBIDDEN'],
      [LI, { ...range, stationId: STATION }, 'FORBIDDEN'],
      [ELSEWHERE, { ...range, stationId: OTHER_STATION }, 'FORBIDDEN'],
      [LEADER, { ...range, stationId: OTHER_STATION }, 'FORBIDDEN'],
      [LEADER, range, 'ok'],
      [LEADER, { ...range, stationId: STATION }, 'ok'],
      [SUPERVISOR, range, 'ok'],
      [SUPERVISOR, { ...range, stationId: OTHER_STATION }, 'ok']
    ]
    for (const [openid, payload, expected] of cases) {
      const before = snapshot(cloud)
      const res = await staff('audit', payload, openid)
      expect(`${openid || 'anonymous'} ${JSON.stringify(payload)}: ${code(res)}`).toBe(
        `${openid || 'anonymous'} ${JSON.stringify(payload)}: ${expected}`
      )
      if (!res.ok) expect(res.error.message).toMatch(/[\u4e00-\u9fa5]/)
      expect(snapshot(cloud)).toEqual(before) // reading the log is not itself a read of residents' data
    }
  })

  test('a leader sees their station only; a supervisor sees all, newest first, or one station', async () => {
    const leader = ok(await staff('audit', range, LEADER))
    expect(leader.truncated).toBe(false)
    expect(leader.entries.length).toBeGreaterThan(0)
    expect(leader.entries.length).toBe(auditDocs().filter((d) => d.stationId === STATION).length)
    expect(leader.entries.every((e) => e.stationId === STATION)).toBe(true)

    const all = ok(await staff('audit', range, SUPERVISOR))
    expect(all.entries).toHaveLength(auditDocs().length)
    expect(new Set(all.entries.map((e) => e.stationId))).toEqual(new Set([STATION, OTHER_STATION]))
    const times = all.entries.map((e) => e.at)
    expect(times).toEqual([...times].sort().reverse())
    expect(all.entries[0]).toMatchObject({
      action: 'requests.open',
      staffId: 'staff-officer-li',
      atLocal: '2026-12-29 08:00'
    })
    for (const e of all.entries) expectNoPersonalData(e)

    const other = ok(await staff('audit', { ...range, stationId: OTHER_STATION }, SUPERVISOR))
    expect(other.entries.map((e) => [e.staffId, e.action])).toEqual([['staff-elsewhere', 'staff.today']])
  })

  test('dates are Shanghai days, both ends included', async () => {
    const first = ok(await staff('audit', { from: '2026-12-28', to: '2026-12-28' }, SUPERVISOR))
    expect(first.entries.length).toBeGreaterThan(0)
    expect(first.entries.every((e) => e.atLocal.startsWith('2026-12-28'))).toBe(true)
    const second = ok(await staff('audit', { from: '2026-12-29', to: '2026-12-29' }, SUPERVISOR))
    expect(second.entries.map((e) => e.atLocal)).toEqual(['2026-12-29 08:00'])
    expect(first.entries.length + second.entries.length).toBe(auditDocs().length)
  })

  test('bad input is refused and writes nothing', async () => {
    const bad: unknown[] = [
      { from: '2026-12-29', to: '2026-12-28' },
      { from: '2026-01-01', to: '2026-12-31' },
      { from: '2026-13-01', to: '2026-12-31' },
      { from: '2026-12-28' },
      { ...range, stationId: 'no spaces allowed' },
      { ...range, staffId: 'no spaces allowed' },
      { ...range, extra: 1 }
    ]
    for (const payload of bad) {
      const before = snapshot(cloud)
      expect(`${JSON.stringify(payload)}: ${code(await staff('audit', payload, SUPERVISOR))}`).toBe(
        `${JSON.stringify(payload)}: INVALID_INPUT`
      )
      expect(snapshot(cloud)).toEqual(before)
    }
  })
})

describe('one entry per view, not per page shown', () => {
  const queue = (openid: string, date = '2026-12-28') => staff('today', { stationId: STATION, date }, openid)

  test(`the same view again within ${AUDIT_REPEAT_MINUTES} minutes adds no entry; after them, one more`, async () => {
    at('2026-12-30T09:05:00')
    expect(await added(() => queue(LI))).toHaveLength(1)
    at('2026-12-30T09:09:00')
    expect(await added(() => queue(LI))).toHaveLength(0)
    at('2026-12-30T09:14:30') // 9½ minutes after the entry, though past a 10-minute mark of the clock
    expect(await added(() => queue(LI))).toHaveLength(0)
    at('2026-12-30T09:15:05') // the clock runs on after being set: a few seconds clear of the first call's own
    const again = await added(() => queue(LI))
    expect(again.map((e) => e.atLocal)).toEqual(['2026-12-30 09:15'])
    at('2026-12-30T09:24:00')
    expect(await added(() => queue(LI))).toHaveLength(0)
    at('2026-12-30T09:40:00')
    expect(await added(() => queue(LI))).toHaveLength(1)
  })

  test('another member of staff, another action, other records, or a list that gained a record is a view of its own', async () => {
    at('2026-12-30T11:00:00')
    expect(await added(() => queue(LI))).toHaveLength(1)
    expect(await added(() => queue(LEADER))).toHaveLength(1)
    expect(await added(() => req('open', {}, LI))).toHaveLength(1)
    expect(await added(() => queue(LI, '2026-12-29'))).toHaveLength(1)
    expect(await added(() => req('open', {}, LI))).toHaveLength(0)
    // A new request reaches the list: what the officer now sees is more than what is on record.
    at('2026-12-30T11:01:00')
    const second = ok(
      await req(
        'submit',
        {
          kind: 'emergency',
          category: 'death_cremation',
          description: '家中老人今天去世，需要死亡证明',
          contactName: '钱晓东',
          mobile: '13966667777',
          stationId: STATION,
          requestId: requestId()
        },
        'r-audit-qian'
      )
    )
    const grown = await added(() => req('open', {}, LI))
    expect(grown).toHaveLength(1)
    expect([...(grown[0]?.recordIds as string[])].sort()).toEqual([...requestIds, second._id].sort())
  })

  test('opens at the same moment make one entry', async () => {
    at('2026-12-30T14:00:00')
    const before = auditDocs().length
    const results = await Promise.all(Array.from({ length: 5 }, () => queue(LEADER)))
    expect(results.map(code)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok'])
    expect(auditDocs()).toHaveLength(before + 1)
  })
})

describe('the log as leaders and supervisors read it', () => {
  const days = { from: '2026-12-30', to: '2026-12-31' }

  beforeAll(() => {
    // An entry written before names were kept in full: it has the masked name only.
    cloud.store.commit([
      {
        coll: 'audit',
        id: 'audit-legacy-zhao',
        doc: {
          _id: 'audit-legacy-zhao',
          staffId: 'staff-officer-zhao',
          staffNameMasked: '赵**',
          role: 'officer',
          action: 'staff.today',
          actionLabel: '查看今日预约（姓名、手机号后四位）',
          recordKind: 'appointments',
          recordIds: [],
          recordCount: 0,
          stationId: STATION,
          stationIds: [STATION],
          at: new Date('2026-12-31T01:00:00Z'),
          atLocal: '2026-12-31 09:00',
          requestId: 'legacy'
        }
      }
    ])
  })

  test('staff are named in full, also in entries written before names were kept', async () => {
    const log = ok(await staff('audit', days, LEADER))
    const names = new Map(log.entries.map((e) => [e.staffId, e.staffName]))
    expect(Object.fromEntries(names)).toEqual({
      'staff-officer-li': '李警官',
      'staff-leader-zhou': '周所长',
      'staff-officer-zhao': '赵警官'
    })
    expect(log.entries.find((e) => e._id === 'audit-legacy-zhao')?.staffName).toBe('赵警官')
    expect(JSON.stringify(log.entries)).not.toContain('**')
  })

  test('the people to filter by: a leader the station and the supervisors; a supervisor everyone', async () => {
    const leader = ok(await staff('audit', days, LEADER)).people
    expect(leader.map((p) => p.name)).toEqual(
      expect.arrayContaining(['周所长', '李警官', '赵警官', '陈督察'])
    )
    expect(leader.map((p) => p.staffId)).not.toContain('staff-elsewhere')
    expect(leader.every((p) => p.active)).toBe(true)
    const supervisor = ok(await staff('audit', days, SUPERVISOR)).people
    expect(supervisor.map((p) => p.staffId)).toContain('staff-elsewhere')
  })

  test('filtered by one member of staff: only their entries, and nothing of another station for a leader', async () => {
    const li = ok(await staff('audit', { ...days, staffId: 'staff-officer-li' }, LEADER))
    expect(li.entries.length).toBe(
      auditDocs().filter((d) => d.staffId === 'staff-officer-li' && String(d.atLocal) >= '2026-12-30').length
    )
    expect(new Set(li.entries.map((e) => e.staffName))).toEqual(new Set(['李警官']))
    const zhao = ok(await staff('audit', { ...days, staffId: 'staff-officer-zhao' }, SUPERVISOR))
    expect(zhao.entries.map((e) => e._id)).toEqual(['audit-legacy-zhao'])
    // The other station's officer read nothing at this station: the leader sees no entry of theirs.
    const elsewhere = ok(
      await staff('audit', { from: '2026-12-28', to: '2026-12-31', staffId: 'staff-elsewhere' }, LEADER)
    )
    expect(elsewhere.entries).toEqual([])
    const bySupervisor = ok(
      await staff('audit', { from: '2026-12-28', to: '2026-12-31', staffId: 'staff-elsewhere' }, SUPERVISOR)
    )
    expect(bySupervisor.entries.map((e) => e.action)).toEqual(['staff.today'])
  })
})
