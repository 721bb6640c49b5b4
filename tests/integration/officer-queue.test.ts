/**
 * The officer's day queue (staff function): today's appointments by slot, check-in by booking
 * code within the station's check-in window, start, finish (queues the rating invitation), and
 * no-show (counts toward the resident's suspension). Two officers tapping at once change an
 * appointment once; every refusal writes nothing.
 */
import type { Result } from '../../types/result'
import type { StaffOutputs } from '../../types/staff-admin'
import type { AppointmentView } from '../../types/appointment'
import { appointment, APPLICANT, ok, requestId, slotInvariantViolations } from '../helpers/appointments'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'
import { templateIdOf } from '../../types/templates'
import { allowTemplates } from '../helpers/subscriptions'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const LI = 'demo-officer-li'
const ZHANG = 'officer-zhang'
const ELSEWHERE = 'officer-elsewhere'
const LEADER = 'demo-leader-zhou'
const SUPERVISOR = 'demo-supervisor-chen'
const ID_NUMBER = '11010519491231002X'
const at = (shanghai: string) => cloud.clock.set(Date.parse(`${shanghai}+08:00`))

function staff<A extends keyof StaffOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<StaffOutputs[A]>>(cloud, 'staff', { action, payload }, openid).then(
    (r) => r.body
  )
}
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code)

async function book(
  openid: string,
  date: string,
  hhmm: string,
  extra: Partial<typeof APPLICANT> = {}
): Promise<AppointmentView> {
  return ok(
    await appointment(
      cloud,
      'book',
      {
        requestId: requestId(),
        serviceId: 'svc-cert-hukou',
        slotId: `${STATION}_${date}_${hhmm}_window`,
        applicant: { ...APPLICANT, ...extra },
        consent: true
      },
      openid
    )
  )
}

/** Calls that must be refused with these codes and leave the database untouched. */
async function refused(
  calls: [action: keyof StaffOutputs, payload: unknown, openid: string, expected: string][]
) {
  for (const [action, payload, openid, expected] of calls) {
    const before = snapshot(cloud)
    const res = await staff(action, payload, openid)
    expect(`${action} as ${openid || 'anonymous'}: ${code(res)}`).toBe(
      `${action} as ${openid || 'anonymous'}: ${expected}`
    )
    expect(snapshot(cloud)).toEqual(before)
  }
}

let A: AppointmentView,
  B: AppointmentView,
  C: AppointmentView,
  D: AppointmentView,
  E: AppointmentView,
  N: AppointmentView,
  N2: AppointmentView

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
        stationId: 'st-other',
        active: true
      }
    },
    {
      coll: 'staff',
      id: 'staff-zhang',
      doc: {
        _id: 'staff-zhang',
        openid: ZHANG,
        name: '张警官',
        role: 'officer',
        stationId: STATION,
        active: true
      }
    }
  ])
  at('2026-12-28T09:59:00') // Monday
  A = await book('r-a', '2026-12-28', '1430', { idNumber: ID_NUMBER })
  B = await book('r-b', '2026-12-28', '1430', { name: '赵强', mobile: '13900001111' })
  C = await book('r-c', '2026-12-28', '1500')
  D = await book('r-d', '2026-12-28', '1500')
  E = await book('r-e', '2026-12-28', '1530')
  N = await book('r-n', '2026-12-28', '1600')
  N2 = await book('r-n', '2026-12-29', '1000')
  ok(await appointment(cloud, 'cancel', { appointmentId: E._id }, 'r-e'))
})

afterAll(async () => {
  await cloud.close()
})

/**
 * Li checks A's resident in at 14:01, typing the code in lower case with a space. Run once, by the
 * check-in test that asserts it or by a later block that needs A checked in, whichever runs first.
 */
let checkingInA: Promise<Result<StaffOutputs['checkIn']>> | undefined
const checkInA = () =>
  (checkingInA ??= (async () => {
    at('2026-12-28T14:01:00')
    return staff('checkIn', { code: `${A.code.slice(0, 3).toLowerCase()} ${A.code.slice(3)}` }, LI)
  })())

describe("today's queue", () => {
  test('officers, leaders and supervisors of the station see it; others are refused', async () => {
    await refused([
      ['today', { stationId: STATION }, '', 'UNAUTHENTICATED'],
      ['today', { stationId: STATION }, 'r-a', 'FORBIDDEN'],
      ['today', { stationId: STATION }, ELSEWHERE, 'FORBIDDEN']
    ])
    for (const who of [LI, LEADER, SUPERVISOR])
      expect(code(await staff('today', { stationId: STATION }, who))).toBe('ok')
  })

  test('by slot, with status labels, the name shown, the mobile masked, never the ID number', async () => {
    const res = await staff('today', { stationId: STATION }, LI)
    const q = ok(res)
    expect(q.date).toBe('2026-12-28')
    expect(q.slots.map((s) => s.start)).toEqual(['14:30', '15:00', '15:30', '16:00'])
    expect(q.slots[0]?.items.find((i) => i._id === A._id)).toMatchObject({
      applicantName: '王芳',
      mobileMasked: '138****5678',
      status: 'booked',
      statusLabel: '已预约',
      code: A.code,
      actions: []
    })
    expect(q.slots[2]?.items[0]).toMatchObject({ statusLabel: '已取消' })
    expect(q.counts).toMatchObject({ booked: 5, cancelled: 1 })
    const text = JSON.stringify(res)
    for (const secret of [ID_NUMBER, '110105', '13812345678', 'idMasked', 'idNumber', 'r-a'])
      expect(text).not.toContain(secret)
  })
})

describe('check-in', () => {
  test('only within the window: from 30 minutes before the slot', async () => {
    at('2026-12-28T13:59:00')
    const before = snapshot(cloud)
    const res = await staff('checkIn', { code: A.code }, LI)
    expect(res.ok ? 'ok' : res.error).toEqual({
      code: 'CHECK_IN_NOT_OPEN',
      message: expect.stringContaining('14:00')
    })
    expect(snapshot(cloud)).toEqual(before)
  })

  test('refusals: anonymous, resident, another station, unknown code, cancelled', async () => {
    at('2026-12-28T14:01:00')
    await refused([
      ['checkIn', { code: A.code }, '', 'UNAUTHENTICATED'],
      ['checkIn', { code: A.code }, 'r-a', 'FORBIDDEN'],
      ['checkIn', { code: A.code }, ELSEWHERE, 'CODE_UNKNOWN'], // as unknown as a mistyped code
      ['checkIn', { code: 'ZZZ ZZZ' }, LI, 'CODE_UNKNOWN'],
      ['checkIn', { code: '01OIL' }, LI, 'CODE_UNKNOWN'],
      ['checkIn', { code: E.code }, LI, 'APPOINTMENT_CANCELLED']
    ])
  })

  test('the code as typed (lower case, a space) checks the resident in; a second check-in is refused', async () => {
    const item = ok(await checkInA())
    expect(item).toMatchObject({
      _id: A._id,
      status: 'checked_in',
      statusLabel: '已签到',
      actions: ['start', 'finish']
    })
    expect(ok(await appointment(cloud, 'get', { appointmentId: A._id }, 'r-a')).status).toBe('checked_in')
    await refused([['checkIn', { code: A.code }, ZHANG, 'ALREADY_CHECKED_IN']])
  })

  test('two officers checking the same resident in at once: exactly one does', async () => {
    const res = await Promise.all([
      staff('checkIn', { code: B.code }, LI),
      staff('checkIn', { code: B.code }, ZHANG)
    ])
    expect(res.map(code).sort()).toEqual(['ALREADY_CHECKED_IN', 'ok'])
    expect(cloud.store.get('appointments', B._id)).toMatchObject({
      status: 'checked_in',
      checkedInBy: expect.stringMatching(/^staff-(officer-li|zhang)$/)
    })
  })
})

describe('start and finish', () => {
  beforeAll(async () => {
    ok(await checkInA())
  })

  test('refusals: anonymous, resident (even the applicant), another station', async () => {
    for (const action of ['start', 'finish', 'noShow'] as const) {
      await refused([
        [action, { appointmentId: A._id }, '', 'UNAUTHENTICATED'],
        [action, { appointmentId: A._id }, 'r-a', 'FORBIDDEN'],
        [action, { appointmentId: A._id }, ELSEWHERE, 'FORBIDDEN'],
        [action, { appointmentId: 'ap-does-not-exist' }, LI, 'NOT_FOUND']
      ])
    }
    await refused([
      ['finish', { appointmentId: N._id }, LI, 'WRONG_STATUS'], // not checked in yet
      ['start', { appointmentId: N._id }, LI, 'WRONG_STATUS']
    ])
  })

  test('two officers starting and finishing at once change it once; one rating invitation is queued', async () => {
    const started = await Promise.all([
      staff('start', { appointmentId: A._id }, LI),
      staff('start', { appointmentId: A._id }, ZHANG)
    ])
    expect(started.map((r) => ok(r).changed).sort()).toEqual([false, true])
    expect(ok(started[0] as Result<StaffOutputs['start']>)).toMatchObject({
      statusLabel: '办理中',
      actions: ['finish']
    })

    const finished = await Promise.all([
      staff('finish', { appointmentId: A._id, note: '已受理，材料齐全' }, LI),
      staff('finish', { appointmentId: A._id, note: '已受理，材料齐全' }, ZHANG)
    ])
    expect(finished.map((r) => ok(r).changed).sort()).toEqual([false, true])
    expect(cloud.store.get('appointments', A._id)).toMatchObject({ status: 'done', note: '已受理，材料齐全' })

    // A retried finish is harmless: no change, still one invitation.
    expect(ok(await staff('finish', { appointmentId: A._id }, LI))).toMatchObject({
      changed: false,
      status: 'done',
      statusLabel: '已办结',
      actions: []
    })
    const invites = cloud.store.docs('outbox').filter((m) => m.template === 'ratingInvite')
    expect(invites).toHaveLength(1)
    expect(invites[0]).toMatchObject({
      touser: 'r-a',
      page: `pages/rating/index?appointmentId=${A._id}`,
      status: 'pending'
    })
  })

  test('the invitation opens the rating page: delivered once the resident has allowed it', async () => {
    const tmpl = templateIdOf('ratingInvite', cloud.envId)
    await allowTemplates(cloud, 'r-a', ['ratingInvite'])
    await cloud.timers.fire('notify')
    const invite = cloud.store.docs('outbox').find((m) => m.template === 'ratingInvite')
    expect(invite).toMatchObject({ status: 'sent' })
    expect(
      cloud.messages.list({ touser: 'r-a', limit: 10 }).find((m) => m.templateId === tmpl)
    ).toMatchObject({ errCode: 0, page: `pages/rating/index?appointmentId=${A._id}` })
  })

  test('a checked-in appointment can be finished without a separate start; leaders and supervisors may serve too', async () => {
    at('2026-12-28T14:35:00')
    ok(await staff('checkIn', { code: C.code }, LEADER))
    expect(ok(await staff('finish', { appointmentId: C._id }, LEADER))).toMatchObject({
      changed: true,
      status: 'done'
    })
    ok(await staff('checkIn', { code: D.code }, SUPERVISOR))
    expect(ok(await staff('start', { appointmentId: D._id }, SUPERVISOR))).toMatchObject({ changed: true })
  })
})

describe('no-show', () => {
  test('only once the check-in window has passed; it counts toward the suspension', async () => {
    at('2026-12-28T16:10:00')
    await refused([['noShow', { appointmentId: N._id }, LI, 'NO_SHOW_TOO_EARLY']])
    expect(
      ok(await staff('today', { stationId: STATION }, LI)).slots.find((s) => s.start === '16:00')?.items[0]
        ?.actions
    ).toEqual([])

    at('2026-12-28T16:16:00')
    await refused([['checkIn', { code: N.code }, LI, 'CHECK_IN_CLOSED']])
    expect(
      ok(await staff('today', { stationId: STATION }, LI)).slots.find((s) => s.start === '16:00')?.items[0]
        ?.actions
    ).toEqual(['noShow'])
    const res = await Promise.all([
      staff('noShow', { appointmentId: N._id }, LI),
      staff('noShow', { appointmentId: N._id }, ZHANG)
    ])
    expect(res.map((r) => ok(r).changed).sort()).toEqual([false, true])
    expect(ok(res[0] as Result<StaffOutputs['noShow']>)).toMatchObject({
      status: 'no_show',
      statusLabel: '未到场'
    })
    await refused([['checkIn', { code: N.code }, LI, 'CHECK_IN_CLOSED']])

    expect(
      ok(await appointment(cloud, 'options', { serviceId: 'svc-cert-hukou' }, 'r-n')).suspendedUntil
    ).toBeUndefined()
    at('2026-12-29T10:16:00')
    expect(ok(await staff('noShow', { appointmentId: N2._id }, LI)).changed).toBe(true)
    expect(
      ok(await appointment(cloud, 'options', { serviceId: 'svc-cert-hukou' }, 'r-n')).suspendedUntil
    ).toBeDefined()
  })

  test('the places held stay consistent throughout', () => {
    expect(slotInvariantViolations(cloud)).toEqual([])
  })
})
