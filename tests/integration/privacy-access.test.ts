/**
 * Personal data access leaves a trace, and ends with the job (docs/privacy-and-access.md):
 * - every staff reply carrying a resident's name, mobile, ID number, address or own words records
 *   exactly one audit entry, with the right action, the records by id, and none of the data;
 * - a deactivated officer's inbox shows only what was addressed to them as a resident, and an
 *   invite older than the deactivation cannot bring them back (a new one can);
 * - another station's booking code answers exactly like an unknown code, and writes nothing.
 */
import type { AppointmentView } from '../../types/appointment'
import { ERROR_MESSAGES } from '../../types/errors'
import type { FeedbackOutputs } from '../../types/feedback'
import type { NotifyOutputs } from '../../types/notify'
import type { RatingOutputs } from '../../types/ratings'
import type { RequestsOutputs } from '../../types/requests'
import type { Result } from '../../types/result'
import { AUDITED_ACTION_LABELS, type AuditedAction, type StaffOutputs } from '../../types/staff-admin'
import { TEMPLATES, type TemplateKey } from '../../types/templates'
import { appointment, APPLICANT, ok, requestId } from '../helpers/appointments'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'
import { onDutyAllDay } from '../helpers/roster'
import { holds } from '../helpers/personal-data'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const LI = 'demo-officer-li'
const ELSEWHERE = 'officer-elsewhere'
const LEADER = 'demo-leader-zhou'
const SUPERVISOR = 'demo-supervisor-chen'
const LEAVING = 'officer-leaving-wu'
const DAY = '2026-12-28' // a Monday

const ID_NUMBER = '11010519491231002X'
const EMERGENCY = {
  contactName: '赵丽华',
  mobile: '13955554444',
  description: '家中老人今天去世，明早火化需要死亡证明'
}
const TRAVEL = {
  contactName: '钱多多',
  mobile: '13766667777',
  description: '明早出国探亲，身份证丢失需临时证明'
}
const VISIT = {
  contactName: '孙婆婆',
  mobile: '13522223333',
  description: '老人卧床无法到窗口换领身份证',
  address: '云溪县城关镇幸福路8号'
}
const FEEDBACK = {
  contactName: '周建国',
  mobile: '13611112222',
  content: '周六能否延长开放时间，上班族不方便'
}
const COMMENT = '排队太久，窗口说明不清楚'
/** Every piece of residents' personal data these replies carry; none may reach an audit entry. */
const PERSONAL = [
  APPLICANT.name,
  APPLICANT.mobile,
  '5678',
  ID_NUMBER,
  ...[EMERGENCY, TRAVEL, VISIT].flatMap((r) => [r.contactName, r.mobile, r.description]),
  VISIT.address,
  FEEDBACK.contactName,
  FEEDBACK.mobile,
  FEEDBACK.content,
  COMMENT
]
const ENTRY_FIELDS = [
  '_id',
  'staffId',
  'staffName',
  'role',
  'action',
  'actionLabel',
  'recordKind',
  'recordIds',
  'recordCount',
  'stationId',
  'stationIds',
  'at',
  'atLocal',
  'requestId'
]

const at = (shanghai: string) => cloud.clock.set(Date.parse(`${shanghai}+08:00`))
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code)
const call = <T>(fn: string, action: string, payload: unknown, openid: string) =>
  callFunction<Result<T>>(cloud, fn, { action, payload }, openid).then((r) => r.body)
const staff = <A extends keyof StaffOutputs>(action: A, payload: unknown, openid: string) =>
  call<StaffOutputs[A]>('staff', action, payload, openid)
const req = <A extends keyof RequestsOutputs>(action: A, payload: unknown, openid: string) =>
  call<RequestsOutputs[A]>('requests', action, payload, openid)
const rating = <A extends keyof RatingOutputs>(action: A, payload: unknown, openid: string) =>
  call<RatingOutputs[A]>('rating', action, payload, openid)
const fb = <A extends keyof FeedbackOutputs>(action: A, payload: unknown, openid: string) =>
  call<FeedbackOutputs[A]>('feedback', action, payload, openid)
const inbox = (openid: string) => call<NotifyOutputs['inbox']>('notify', 'inbox', {}, openid)

const auditDocs = () => cloud.store.docs('audit')
const covered = new Set<AuditedAction>()

/**
 * Runs a staff call that must succeed and returns its data, after checking that it added exactly
 * one audit entry: this action, these records (by id), the reader, and no personal data at all.
 */
async function audited<T>(
  action: AuditedAction,
  run: () => Promise<Result<T>>,
  expected: { staffId: string; recordIds: string[]; recordKind: string; stationId?: string }
): Promise<T> {
  const before = new Set(auditDocs().map((d) => d._id))
  const res = await run()
  const data = ok(res)
  const added = auditDocs().filter((d) => !before.has(d._id))
  expect(`${action}: ${added.length} entries`).toBe(`${action}: 1 entries`)
  const entry = added[0] as Record<string, unknown>
  expect(entry).toMatchObject({
    action,
    actionLabel: AUDITED_ACTION_LABELS[action],
    staffId: expected.staffId,
    recordKind: expected.recordKind,
    recordCount: expected.recordIds.length
  })
  expect([...(entry.recordIds as string[])].sort()).toEqual([...expected.recordIds].sort())
  if (expected.stationId !== undefined) expect(entry.stationId).toBe(expected.stationId)
  // Only the audit's own fields, and none of the residents' data the reply carried.
  expect(Object.keys(entry).filter((k) => !ENTRY_FIELDS.includes(k))).toEqual([])
  const text = JSON.stringify(entry)
  for (const p of PERSONAL)
    expect(`${action} entry contains ${p}: ${holds(text, p)}`).toBe(`${action} entry contains ${p}: false`)
  covered.add(action)
  return data
}

/** A call refused with `expected`, writing nothing at all (audit included). */
async function refusedWritingNothing(
  run: () => Promise<Result<unknown>>,
  expected: string
): Promise<Result<unknown>> {
  const before = snapshot(cloud)
  const res = await run()
  expect(code(res)).toBe(expected)
  expect(snapshot(cloud)).toEqual(before)
  return res
}

let A: AppointmentView, B: AppointmentView, C: AppointmentView
let emergencyId: string, travelId: string, visitId: string
let leavingStaffId: string
let oldInvite: string, unusedOldInvite: string

const book = async (openid: string, hhmm: string, extra: Partial<typeof APPLICANT> = {}) =>
  ok(
    await appointment(
      cloud,
      'book',
      {
        requestId: requestId(),
        serviceId: 'svc-cert-hukou',
        slotId: `${STATION}_${DAY}_${hhmm}_window`,
        applicant: { ...APPLICANT, ...extra },
        consent: true
      },
      openid
    )
  )
const submit = async (openid: string, kind: string, category: string, r: Record<string, string>) =>
  ok(await req('submit', { requestId: requestId(), kind, category, stationId: STATION, ...r }, openid))._id

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
    }
  ])
  at(`${DAY}T08:30:00`)
  // An officer joins by invite (and will leave); a second invite of the same day stays unused.
  oldInvite = ok(await staff('createInvite', { role: 'officer' }, LEADER)).code
  unusedOldInvite = ok(await staff('createInvite', { role: 'officer' }, LEADER)).code
  leavingStaffId = ok(
    await staff('bindInvite', { code: oldInvite, name: '吴警官', mobile: '13900001111' }, LEAVING)
  ).staffId
  onDutyAllDay(cloud, STATION, ['staff-officer-li', leavingStaffId], Date.parse(`${DAY}T08:30:00+08:00`))

  at(`${DAY}T09:00:00`)
  A = await book('r-a', '1430', { idNumber: ID_NUMBER })
  B = await book('r-b', '1500')
  C = await book('r-c', '1600')
  await book(LEAVING, '1530') // the officer books for themselves, as a resident: their confirmation
  emergencyId = await submit('r-e', 'emergency', 'death_cremation', EMERGENCY)
  travelId = await submit('r-t', 'emergency', 'temp_id_travel', TRAVEL)
  visitId = await submit('r-v', 'home_visit', 'id_card', VISIT)
})

afterAll(async () => {
  await cloud?.close()
})

describe('a booking code from another station answers like an unknown code', () => {
  test('checkIn: CODE_UNKNOWN, the same message as a mistyped code, and nothing written', async () => {
    const unknown = await refusedWritingNothing(
      () => staff('checkIn', { code: 'ZZZZ ZZ' }, ELSEWHERE),
      'CODE_UNKNOWN'
    )
    const foreign = await refusedWritingNothing(
      () => staff('checkIn', { code: A.code }, ELSEWHERE),
      'CODE_UNKNOWN'
    )
    expect(foreign).toEqual(unknown)
    expect(foreign).toEqual({
      ok: false,
      error: { code: 'CODE_UNKNOWN', message: ERROR_MESSAGES.CODE_UNKNOWN }
    })
    // The station's own officer is still told about the real code (it is only too early).
    expect(code(await staff('checkIn', { code: A.code }, LI))).toBe('CHECK_IN_NOT_OPEN')
  })
})

describe('each staff reply carrying residents\u2019 personal data leaves exactly one audit entry', () => {
  test('requests: open, accept, decline, done, assign', async () => {
    const open = await audited('requests.open', () => req('open', {}, LI), {
      staffId: 'staff-officer-li',
      recordKind: 'requests',
      recordIds: [emergencyId, travelId, visitId],
      stationId: STATION
    })
    expect(open.requests.map((r) => r.mobile)).toContain(EMERGENCY.mobile)
    const soon = new Date(Date.parse(`${DAY}T10:00:00+08:00`)).toISOString()
    const accepted = await audited(
      'requests.accept',
      () => req('accept', { id: emergencyId, agreedAt: soon, place: '户政窗口' }, LI),
      { staffId: 'staff-officer-li', recordKind: 'requests', recordIds: [emergencyId], stationId: STATION }
    )
    expect(accepted).toMatchObject({ contactName: EMERGENCY.contactName, mobile: EMERGENCY.mobile })
    // A retried accept shows the same data to the same officer again within minutes: the view is
    // already on record, so it adds none (AUDIT_REPEAT_MINUTES; tests/integration/audit.test.ts).
    const entries = auditDocs().length
    ok(await req('accept', { id: emergencyId, agreedAt: soon, place: '户政窗口' }, LI))
    expect(auditDocs()).toHaveLength(entries)
    await audited(
      'requests.decline',
      () => req('decline', { id: travelId, reason: '本所无法出具', alternative: '请到出入境窗口咨询' }, LI),
      { staffId: 'staff-officer-li', recordKind: 'requests', recordIds: [travelId] }
    )
    await audited('requests.done', () => req('done', { id: emergencyId, note: '证明已开具' }, LI), {
      staffId: 'staff-officer-li',
      recordKind: 'requests',
      recordIds: [emergencyId]
    })
    const visitAt = new Date(Date.parse('2026-12-29T10:00:00+08:00')).toISOString()
    const assigned = await audited(
      'requests.assign',
      () => req('assign', { id: visitId, officerStaffId: 'staff-officer-li', visitAt }, LEADER),
      { staffId: 'staff-leader-zhou', recordKind: 'requests', recordIds: [visitId], stationId: STATION }
    )
    expect(assigned.address).toBe(VISIT.address)
  })

  test('the day queue: today, checkIn, start, finish, noShow', async () => {
    at(`${DAY}T14:20:00`)
    const item = await audited('staff.checkIn', () => staff('checkIn', { code: A.code }, LI), {
      staffId: 'staff-officer-li',
      recordKind: 'appointments',
      recordIds: [A._id],
      stationId: STATION
    })
    expect(item.applicantName).toBe(APPLICANT.name)
    await audited('staff.start', () => staff('start', { appointmentId: A._id }, LI), {
      staffId: 'staff-officer-li',
      recordKind: 'appointments',
      recordIds: [A._id]
    })
    await audited('staff.finish', () => staff('finish', { appointmentId: A._id }, LI), {
      staffId: 'staff-officer-li',
      recordKind: 'appointments',
      recordIds: [A._id]
    })
    at(`${DAY}T15:50:00`)
    ok(await staff('checkIn', { code: C.code }, LI))
    ok(await staff('finish', { appointmentId: C._id }, LI))
    at(`${DAY}T16:30:00`)
    await audited('staff.noShow', () => staff('noShow', { appointmentId: B._id }, LEADER), {
      staffId: 'staff-leader-zhou',
      recordKind: 'appointments',
      recordIds: [B._id]
    })
  })

  test('staff.today names every appointment of the day, by id', async () => {
    const all = cloud.store
      .docs('appointments')
      .filter((d) => d.stationId === STATION && d.date === DAY)
      .map((d) => d._id)
    await audited('staff.today', () => staff('today', { stationId: STATION }, LI), {
      staffId: 'staff-officer-li',
      recordKind: 'appointments',
      recordIds: all,
      stationId: STATION
    })
  })

  let ratingA: string, ratingC: string, followUpA: string
  test('ratings: list, followUps (leader and supervisor), dashboard, callBack, reply, exclude, export', async () => {
    at(`${DAY}T17:00:00`)
    const bad = ok(
      await rating(
        'rate',
        {
          requestId: requestId(),
          caseKind: 'appointment',
          caseId: A._id,
          level: 'unsatisfied',
          comment: COMMENT
        },
        'r-a'
      )
    )
    const good = ok(
      await rating(
        'rate',
        {
          requestId: requestId(),
          caseKind: 'appointment',
          caseId: C._id,
          level: 'satisfied',
          comment: '很好'
        },
        'r-c'
      )
    )
    ratingA = bad._id
    ratingC = good._id
    followUpA = bad.followUpId ?? ''
    expect(followUpA).not.toBe('')
    const period = { from: DAY, to: DAY }

    const list = await audited('rating.list', () => rating('list', period, LEADER), {
      staffId: 'staff-leader-zhou',
      recordKind: 'ratings',
      recordIds: [ratingA, ratingC],
      stationId: STATION
    })
    expect(list.map((r) => r.comment)).toContain(COMMENT)
    const leaderView = await audited('rating.followUps', () => rating('followUps', {}, LEADER), {
      staffId: 'staff-leader-zhou',
      recordKind: 'followUps',
      recordIds: [followUpA],
      stationId: STATION
    })
    expect(leaderView.items[0]).toMatchObject({ contactName: APPLICANT.name, mobile: APPLICANT.mobile })
    // The supervisor sees the name (the mobile masked): audited as well.
    const supervisorView = await audited('rating.followUps', () => rating('followUps', {}, SUPERVISOR), {
      staffId: 'staff-supervisor-chen',
      recordKind: 'followUps',
      recordIds: [followUpA]
    })
    expect(supervisorView.items[0]?.contactName).toBe(APPLICANT.name)
    const dash = await audited('rating.dashboard', () => rating('dashboard', period, SUPERVISOR), {
      staffId: 'staff-supervisor-chen',
      recordKind: 'followUps',
      recordIds: [followUpA]
    })
    expect(dash.followUps.items[0]?.contactName).toBe(APPLICANT.name)
    const called = await audited(
      'rating.callBack',
      () => rating('callBack', { followUpId: followUpA, note: '已电话联系，居民表示理解' }, LEADER),
      { staffId: 'staff-leader-zhou', recordKind: 'followUps', recordIds: [followUpA] }
    )
    expect(called.contactName).toBe(APPLICANT.name)
    await audited(
      'rating.reply',
      () =>
        rating(
          'reply',
          {
            followUpId: followUpA,
            finding: 'partly',
            rectification: '增加高峰时段窗口',
            reply: '已增开窗口，感谢监督'
          },
          LEADER
        ),
      { staffId: 'staff-leader-zhou', recordKind: 'followUps', recordIds: [followUpA] }
    )
    await audited(
      'rating.exclude',
      () => rating('exclude', { ratingId: ratingC, reason: '居民误评，已电话核实' }, SUPERVISOR),
      { staffId: 'staff-supervisor-chen', recordKind: 'ratings', recordIds: [ratingC] }
    )
    await audited('rating.export', () => rating('export', period, SUPERVISOR), {
      staffId: 'staff-supervisor-chen',
      recordKind: 'ratings',
      recordIds: [ratingA, ratingC]
    })
  })

  test('the feedback box: list names the entries with a name (never anonymous ones), reply its entry', async () => {
    const named = ok(
      await fb(
        'submit',
        { requestId: requestId(), stationId: STATION, kind: 'suggestion', anonymous: false, ...FEEDBACK },
        'r-f'
      )
    )
    const anonymous = ok(
      await fb(
        'submit',
        {
          requestId: requestId(),
          stationId: STATION,
          kind: 'complaint',
          anonymous: true,
          content: '窗口人员态度不好'
        },
        'r-g'
      )
    )
    const list = await audited('feedback.list', () => fb('list', {}, LEADER), {
      staffId: 'staff-leader-zhou',
      recordKind: 'feedback',
      recordIds: [named._id],
      stationId: STATION
    })
    expect(list.map((f) => f._id)).toContain(anonymous._id)
    await audited(
      'feedback.reply',
      () => fb('reply', { id: named._id, reply: '已研究，周六延长至17:00' }, LEADER),
      { staffId: 'staff-leader-zhou', recordKind: 'feedback', recordIds: [named._id] }
    )
    // Replying to an anonymous entry shows nobody's data: no entry.
    const before = auditDocs().length
    ok(await fb('reply', { id: anonymous._id, reply: '已核实整改' }, LEADER))
    expect(auditDocs()).toHaveLength(before)
  })

  test('notify.inbox: an officer reading alerts that quote residents is audited; a resident reading their own is not', async () => {
    const alerts = cloud.store
      .docs('outbox')
      .filter((r) => r.touser === LI && TEMPLATES[r.template as TemplateKey].audience === 'officer')
      .map((r) => r._id)
    expect(alerts.length).toBeGreaterThan(0)
    const items = await audited('notify.inbox', () => inbox(LI), {
      staffId: 'staff-officer-li',
      recordKind: 'messages',
      recordIds: alerts,
      stationId: STATION
    })
    expect(JSON.stringify(items)).toContain(EMERGENCY.description.slice(0, 10))
    const before = snapshot(cloud)
    expect(ok(await inbox('r-a')).length).toBeGreaterThan(0)
    expect(snapshot(cloud)).toEqual(before)
  })

  test("prereview.open: the photos of a resident's materials, by the pre-review's id (no file id)", async () => {
    const pr = <T>(action: string, payload: unknown, openid: string) =>
      call<T>('prereview', action, payload, openid)
    const v = ok(
      await pr<{ _id: string; uploadFolder: string }>('start', { serviceId: 'svc-idcard-temporary' }, 'r-a')
    )
    const jpeg = Buffer.alloc(3000, 7)
    jpeg.set([0xff, 0xd8, 0xff, 0xe0], 0)
    for (const itemKey of ['m0', 'm1']) {
      const res = await fetch(
        `${cloud.url}/api/storage/upload?cloudPath=${encodeURIComponent(`${v.uploadFolder}${itemKey}.jpg`)}`,
        { method: 'POST', headers: { 'x-local-openid': 'r-a' }, body: jpeg }
      )
      const { fileID } = (await res.json()) as { fileID: string }
      ok(await pr('attach', { id: v._id, itemKey, fileID }, 'r-a'))
    }
    ok(await pr('submit', { id: v._id }, 'r-a'))
    const opened = await audited(
      'prereview.open',
      () => pr<{ items: { photos: { fileID: string }[] }[] }>('open', { stationId: STATION, id: v._id }, LI),
      { staffId: 'staff-officer-li', recordKind: 'prereviews', recordIds: [v._id], stationId: STATION }
    )
    const fileID = opened.items[0]?.photos[0]?.fileID as string
    expect(JSON.stringify(auditDocs())).not.toContain(fileID)
  })

  test('cards.list, cards.address and cards.unfollow: the station’s cards (holders masked), one postal address, a follower cleared, by card id', async () => {
    const cards = <T>(action: string, payload: unknown, openid: string) =>
      call<T>('cards', action, payload, openid)
    const holder = { name: VISIT.contactName, idNumber: ID_NUMBER }
    const card = ok(
      await cards<{ cardId: string }>('accept', { stationId: STATION, receipt: 'PA20261228001', holder }, LI)
    )
    ok(await cards('follow', { receipt: 'PA20261228001', idNumber: ID_NUMBER }, 'r-a'))
    const address = {
      recipient: VISIT.contactName,
      mobile: VISIT.mobile,
      region: '湖北省十堰市郧西县',
      street: VISIT.address
    }
    ok(await cards('choose', { cardId: card.cardId, delivery: 'post', address }, 'r-a'))
    const list = await audited(
      'cards.list',
      () => cards<{ holderMasked: string }[]>('list', { stationId: STATION, stage: 'accepted' }, LI),
      { staffId: 'staff-officer-li', recordKind: 'idCards', recordIds: [card.cardId], stationId: STATION }
    )
    expect(list.map((c) => c.holderMasked)).toEqual(['孙**'])
    const full = await audited(
      'cards.address',
      () => cards<{ street: string }>('address', { stationId: STATION, cardId: card.cardId }, LI),
      { staffId: 'staff-officer-li', recordKind: 'idCards', recordIds: [card.cardId], stationId: STATION }
    )
    expect(full.street).toBe(VISIT.address)
    // Clearing a follower (someone else followed the card) is on record too.
    const cleared = await audited(
      'cards.unfollow',
      () => cards<{ followed: boolean }>('unfollow', { stationId: STATION, cardId: card.cardId }, LI),
      { staffId: 'staff-officer-li', recordKind: 'idCards', recordIds: [card.cardId], stationId: STATION }
    )
    expect(cleared.followed).toBe(false)
  })

  test('every audited action was exercised above, and nothing is audited that the contract does not name', () => {
    expect([...covered].sort()).toEqual((Object.keys(AUDITED_ACTION_LABELS) as AuditedAction[]).sort())
    expect(auditDocs().length).toBeGreaterThan(0)
    for (const e of auditDocs()) expect(Object.keys(AUDITED_ACTION_LABELS)).toContain(e.action)
  })
})

describe('a deactivated officer sees no residents\u2019 data, and an old invite cannot bring them back', () => {
  beforeAll(async () => {
    at(`${DAY}T18:00:00`)
    ok(await staff('deactivate', { staffId: leavingStaffId, reason: '调离本所' }, LEADER))
  })

  test('before: their inbox held officer alerts quoting residents (the case this guards)', () => {
    const theirs = cloud.store.docs('outbox').filter((r) => r.touser === LEAVING)
    expect(theirs.some((r) => TEMPLATES[r.template as TemplateKey].audience === 'officer')).toBe(true)
    expect(theirs.some((r) => TEMPLATES[r.template as TemplateKey].audience === 'resident')).toBe(true)
  })

  test('their inbox shows only what was addressed to them as a resident, and writes nothing', async () => {
    const before = snapshot(cloud)
    const items = ok(await inbox(LEAVING))
    expect(snapshot(cloud)).toEqual(before)
    expect(items.length).toBeGreaterThan(0)
    for (const i of items) expect(TEMPLATES[i.template].audience).toBe('resident')
    const text = JSON.stringify(items)
    for (const p of [EMERGENCY.description, TRAVEL.description, VISIT.description].map((d) => d.slice(0, 8)))
      expect(text).not.toContain(p)
  })

  test('their staff actions are refused and write nothing', async () => {
    await refusedWritingNothing(() => req('open', {}, LEAVING), 'FORBIDDEN')
    await refusedWritingNothing(() => staff('today', { stationId: STATION }, LEAVING), 'FORBIDDEN')
  })

  test('re-binding their own used invite, or any invite created before they were stopped: STAFF_DEACTIVATED, nothing written', async () => {
    for (const invite of [oldInvite, unusedOldInvite]) {
      const res = await refusedWritingNothing(
        () => staff('bindInvite', { code: invite, name: '吴警官', mobile: '13900001111' }, LEAVING),
        'STAFF_DEACTIVATED'
      )
      expect(res.ok ? '' : res.error.message).toBe(ERROR_MESSAGES.STAFF_DEACTIVATED)
    }
    expect(code(await staff('me', {}, LEAVING))).toBe('ok')
    expect(ok(await staff('me', {}, LEAVING))).toEqual({ role: 'resident' })
  })

  test('a new invite created after the deactivation brings them back', async () => {
    at(`${DAY}T18:05:00`)
    const fresh = ok(await staff('createInvite', { role: 'officer' }, LEADER)).code
    const back = ok(
      await staff('bindInvite', { code: fresh, name: '吴警官', mobile: '13900001111' }, LEAVING)
    )
    expect(back).toMatchObject({ staffId: leavingStaffId, role: 'officer', stationId: STATION })
    expect(cloud.store.get('staff', leavingStaffId)).toMatchObject({ active: true })
    // Back at work, their alerts are theirs to read again (and the read is audited).
    const items = ok(await inbox(LEAVING))
    expect(items.some((i) => TEMPLATES[i.template].audience === 'officer')).toBe(true)
  })
})
