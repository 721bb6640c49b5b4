/**
 * 意见簿 (feedback box) and 首问责任 (first-ask responsibility) through the local cloud.
 * Feedback: anonymous entries keep no name or mobile and staff never see who wrote them; the
 * station's leader is alerted, lists (unanswered first) and replies once; the resident is told and
 * reads the reply; officers and other stations' leaders may not; a retried submit is one entry.
 * Questions: the on-duty officer is alerted; of two officers opening at once exactly one becomes
 * owner and only the owner answers; a hand-off needs a named officer of the station and a reason;
 * an answer is given once; response minutes follow the cloud's clock; bad input writes nothing.
 */
import type { FeedbackOutputs } from '../../types/feedback'
import type { Result } from '../../types/result'
import { templateIdOf, type TemplateKey } from '../../types/templates'
import { ok, requestId } from '../helpers/appointments'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'
import { allowTemplates } from '../helpers/subscriptions'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const NOW = Date.parse('2026-12-01T12:00:00Z') // Tuesday 20:00 in Shanghai
const RESIDENT = 'r-fb-wang'
const OTHER_RESIDENT = 'r-fb-zhao'
const OFFICER = 'demo-officer-li' // staff-officer-li, on duty 17:30–08:30
const OFFICER_SUN = 'officer-fb-sun' // staff-officer-sun, this station, day shift
const OFFICER_ELSEWHERE = 'officer-fb-elsewhere'
const LEADER = 'demo-leader-zhou' // staff-leader-zhou
const LEADER_ELSEWHERE = 'leader-fb-elsewhere'
const SUPERVISOR = 'demo-supervisor-chen'
const CONTACT = { contactName: '赵丽华', mobile: '13955554444' }

function fb<A extends keyof FeedbackOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<FeedbackOutputs[A]>>(cloud, 'feedback', { action, payload }, openid).then(
    (r) => r.body
  )
}
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code)

const ENTRY = {
  stationId: STATION,
  kind: 'suggestion',
  content: '建议窗口周六上午也开放办理身份证',
  anonymous: false
}
const QUESTION = {
  stationId: STATION,
  question: '孩子出生三个月了还没上户口，需要带哪些材料？',
  serviceName: '出生登记'
}

async function submit(openid = RESIDENT, extra: Record<string, unknown> = {}) {
  return ok(await fb('submit', { ...ENTRY, requestId: requestId(), ...extra }, openid))
}
async function ask(openid = RESIDENT, extra: Record<string, unknown> = {}) {
  return ok(await fb('ask', { ...QUESTION, requestId: requestId(), ...extra }, openid))
}

const allow = (openid: string, keys: TemplateKey[]) => allowTemplates(cloud, openid, keys)

const outboxFor = (touser: string, id?: string) =>
  cloud.store
    .docs('outbox')
    .filter((r) => r.touser === touser && (!id || (r.ref as { id: string }).id === id))
const stored = (coll: 'feedback' | 'questions', id: string) =>
  cloud.store.docs(coll).find((d) => d._id === id)

/** Runs `call` and expects that nothing at all was written. */
async function writesNothing<T>(call: () => Promise<T>): Promise<T> {
  const before = snapshot(cloud)
  const res = await call()
  expect(snapshot(cloud)).toEqual(before)
  return res
}

/** Expects a refusal with `expected`, and that nothing at all was written. */
async function refused(call: () => Promise<Result<unknown>>, expected: string) {
  const res = await writesNothing(call)
  expect(code(res)).toBe(expected)
  return res
}

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(NOW)
  const staff = (
    id: string,
    openid: string,
    name: string,
    role: string,
    stationId: string,
    active = true
  ) => ({
    coll: 'staff',
    id,
    doc: { _id: id, openid, name, role, stationId, active }
  })
  cloud.store.commit([
    staff('staff-officer-sun', OFFICER_SUN, '孙警官', 'officer', STATION),
    staff('staff-officer-gone', 'officer-fb-gone', '钱警官', 'officer', STATION, false),
    staff('staff-officer-elsewhere', OFFICER_ELSEWHERE, '外所民警', 'officer', 'st-other'),
    staff('staff-leader-elsewhere', LEADER_ELSEWHERE, '外所所长', 'leader', 'st-other'),
    {
      coll: 'rosters',
      id: `${STATION}_2026-12-01`,
      doc: {
        _id: `${STATION}_2026-12-01`,
        stationId: STATION,
        date: '2026-12-01',
        shifts: [
          { start: '08:30', end: '17:30', staffIds: ['staff-officer-sun'] },
          { start: '17:30', end: '08:30', staffIds: ['staff-officer-li'] }
        ]
      }
    }
  ])
  await allow(OFFICER, ['officerAlert'])
  await allow(OFFICER_SUN, ['officerAlert'])
  await allow(LEADER, ['officerAlert'])
})

afterAll(async () => {
  await cloud.close()
})

describe('意见簿: residents write, the leader replies', () => {
  test('an anonymous entry keeps no name or mobile, and the leader’s list never shows who wrote it', async () => {
    const anon = await submit(RESIDENT, {
      anonymous: true,
      kind: 'complaint',
      content: '窗口工作人员午休时间太长，排队的人没人管',
      ...CONTACT
    })
    expect(anon).toMatchObject({
      anonymous: true,
      status: 'submitted',
      statusText: '待回复',
      kindText: '投诉',
      createdAtLocal: '2026-12-01 20:00'
    })
    const doc = stored('feedback', anon._id)
    expect(doc).toMatchObject({ openid: RESIDENT, anonymous: true })
    expect(doc).not.toHaveProperty('contactName')
    expect(doc).not.toHaveProperty('mobile')
    expect(JSON.stringify(doc)).not.toContain(CONTACT.mobile)

    // The leader is alerted (a long-term officerAlert), opening the officers' feedback page.
    expect(outboxFor(LEADER, anon._id)).toMatchObject([
      {
        template: 'officerAlert',
        status: 'sent',
        page: `officer/feedback/index?id=${anon._id}`,
        values: { kind: '群众留言', service: '投诉' }
      }
    ])

    const named = await submit(RESIDENT, CONTACT)
    const auditBefore = new Set(cloud.store.docs('audit').map((d) => d._id))
    const list = ok(await fb('list', {}, LEADER))
    const seenAnon = list.find((x) => x._id === anon._id)
    expect(seenAnon).toMatchObject({ anonymous: true, content: expect.stringContaining('午休') })
    expect(seenAnon).not.toHaveProperty('contactName')
    expect(seenAnon).not.toHaveProperty('mobile')
    expect(list.find((x) => x._id === named._id)).toMatchObject({ anonymous: false, ...CONTACT })
    // No staff view carries the writer's OPENID.
    expect(JSON.stringify(list)).not.toContain(RESIDENT)
    // Reading a contact is recorded: the entry's id, not the contact itself.
    const audit = cloud.store.docs('audit').filter((d) => !auditBefore.has(d._id))
    expect(audit).toMatchObject([
      { action: 'feedback.list', recordKind: 'feedback', stationId: STATION, staffId: 'staff-leader-zhou' }
    ])
    expect(audit[0]?.recordIds).toContain(named._id)
    expect(audit[0]?.recordIds).not.toContain(anon._id)
    expect(JSON.stringify(audit)).not.toContain(CONTACT.mobile)
    expect(JSON.stringify(audit)).not.toContain(CONTACT.contactName)

    // The resident still sees their own anonymous entry; another resident does not.
    expect(ok(await fb('mine', {}, RESIDENT)).map((x) => x._id)).toContain(anon._id)
    expect(ok(await fb('mine', {}, OTHER_RESIDENT)).map((x) => x._id)).not.toContain(anon._id)
  })

  test('the list puts unanswered entries first and filters by status', async () => {
    const answered = await submit()
    ok(await fb('reply', { id: answered._id, reply: '感谢建议，已研究安排。' }, LEADER))
    const waiting = await submit()
    const list = ok(await fb('list', { stationId: STATION }, LEADER))
    const firstReplied = list.findIndex((x) => x.status === 'replied')
    expect(firstReplied).toBeGreaterThan(0)
    expect(list.slice(firstReplied).every((x) => x.status === 'replied')).toBe(true)
    expect(list.findIndex((x) => x._id === waiting._id)).toBeLessThan(
      list.findIndex((x) => x._id === answered._id)
    )
    const onlyWaiting = ok(await fb('list', { status: 'submitted' }, LEADER))
    expect(onlyWaiting.map((x) => x._id)).toContain(waiting._id)
    expect(onlyWaiting.map((x) => x._id)).not.toContain(answered._id)
  })

  test('the leader’s reply reaches the resident: a replyNotice, and `mine` shows it', async () => {
    await allow(RESIDENT, ['replyNotice'])
    const entry = await submit()
    const reply = '您好，自12月起每周六上午9:00–12:00开放身份证受理，欢迎预约办理。感谢您的建议！'
    const done = ok(await fb('reply', { id: entry._id, reply }, LEADER))
    expect(done).toMatchObject({ status: 'replied', statusText: '已回复', reply, repliedBy: '周所长' })
    const notices = outboxFor(RESIDENT, entry._id)
    expect(notices).toMatchObject([
      {
        template: 'replyNotice',
        status: 'sent',
        values: {
          subject: '意见簿回复',
          status: '已回复',
          time: '2026-12-01 20:00',
          note: `${[...reply].slice(0, 19).join('')}…`
        }
      }
    ])
    expect(notices[0]?.page).toBe(`pages/my-voice/index?id=${entry._id}`)
    expect(
      cloud.messages
        .list({ touser: RESIDENT })
        .some((m) => m.templateId === templateIdOf('replyNotice', cloud.envId) && m.errCode === 0)
    ).toBe(true)
    const mine = ok(await fb('mine', {}, RESIDENT)).find((x) => x._id === entry._id)
    expect(mine).toMatchObject({ status: 'replied', reply, repliedBy: '周所长', repliedAt: done.repliedAt })
    expect(Date.parse(mine?.repliedAt ?? '') - NOW).toBeLessThan(60_000) // the cloud's clock (it ticks on from NOW)
    expect(mine).not.toHaveProperty('mobile')

    // Once: a retried identical reply returns it; a second, different reply is refused.
    expect(ok(await fb('reply', { id: entry._id, reply }, LEADER))).toMatchObject({ _id: entry._id, reply })
    expect(outboxFor(RESIDENT, entry._id)).toHaveLength(1)
    await refused(() => fb('reply', { id: entry._id, reply: '补充一句' }, LEADER), 'REQUEST_CLOSED')
    await refused(() => fb('reply', { id: entry._id, reply }, SUPERVISOR), 'REQUEST_CLOSED')
  })

  test('officers and residents cannot list or reply; another station’s leader cannot reply; nothing is written', async () => {
    const entry = await submit(RESIDENT, CONTACT)
    for (const who of [OFFICER, OFFICER_SUN, RESIDENT, OTHER_RESIDENT]) {
      await refused(() => fb('list', {}, who), 'FORBIDDEN')
      await refused(() => fb('reply', { id: entry._id, reply: '已收到' }, who), 'FORBIDDEN')
    }
    await refused(() => fb('reply', { id: entry._id, reply: '已收到' }, LEADER_ELSEWHERE), 'FORBIDDEN')
    await refused(() => fb('list', { stationId: STATION }, LEADER_ELSEWHERE), 'FORBIDDEN')
    await refused(() => fb('list', {}, ''), 'UNAUTHENTICATED')
    // Their own station's list does not include it either.
    expect(ok(await fb('list', {}, LEADER_ELSEWHERE)).map((x) => x._id)).not.toContain(entry._id)
    expect(stored('feedback', entry._id)).toMatchObject({ status: 'submitted' })
    // A supervisor reads any station's box (the read of the contact is audited) and may reply.
    const auditBefore = cloud.store.docs('audit').length
    expect(
      ok(await fb('list', { stationId: STATION }, SUPERVISOR)).find((x) => x._id === entry._id)
    ).toMatchObject(CONTACT)
    expect(cloud.store.docs('audit')).toHaveLength(auditBefore + 1)
    expect(
      ok(await fb('reply', { id: entry._id, reply: '督察已转交所领导跟进' }, SUPERVISOR)).repliedBy
    ).toBe('陈督察')
  })

  test('a retried submit returns the same entry: one document, one alert per leader', async () => {
    const payload = { ...ENTRY, requestId: requestId() }
    const [a, b] = await Promise.all([fb('submit', payload, RESIDENT), fb('submit', payload, RESIDENT)])
    const again = ok(await fb('submit', payload, RESIDENT))
    expect(ok(a)._id).toBe(ok(b)._id)
    expect(again._id).toBe(ok(a)._id)
    expect(cloud.store.docs('feedback').filter((d) => d._id === again._id)).toHaveLength(1)
    expect(outboxFor(LEADER, again._id)).toHaveLength(1)
    // The same request id from another resident is another entry.
    expect(ok(await fb('submit', payload, OTHER_RESIDENT))._id).not.toBe(again._id)
  })

  test('a station with no active leader: its supervisors are told of the entry', async () => {
    cloud.store.commit([
      {
        coll: 'stations',
        id: 'st-fb-noleader',
        doc: {
          ...(cloud.store.get('stations', STATION) as Record<string, unknown>),
          _id: 'st-fb-noleader',
          name: '无所长测试窗口'
        }
      },
      {
        coll: 'staff',
        id: 'staff-sup-noleader',
        doc: {
          _id: 'staff-sup-noleader',
          openid: 'sup-fb-noleader',
          name: '何督察',
          role: 'supervisor',
          stationId: 'st-fb-noleader',
          active: true
        }
      }
    ])
    const entry = ok(
      await fb('submit', { ...ENTRY, stationId: 'st-fb-noleader', requestId: requestId() }, RESIDENT)
    )
    expect(outboxFor('sup-fb-noleader', entry._id)).toHaveLength(1)
    expect(outboxFor(LEADER, entry._id)).toHaveLength(0)
  })

  test('bad input is refused with its code and nothing is written', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ content: '' }, 'INVALID_INPUT'],
      [{ content: '   ' }, 'INVALID_INPUT'],
      [{ content: '意'.repeat(501) }, 'INVALID_INPUT'],
      [{ mobile: '1395555' }, 'MOBILE_INVALID'],
      [{ mobile: '23955554444' }, 'MOBILE_INVALID'],
      [{ contactName: '名'.repeat(21) }, 'NAME_INVALID'],
      [{ kind: 'threat' }, 'INVALID_INPUT'],
      [{ anonymous: 'yes' }, 'INVALID_INPUT'],
      [{ stationId: 'st-nowhere' }, 'NOT_FOUND'],
      [{ requestId: 'x' }, 'INVALID_INPUT'],
      [{ openid: 'someone-else' }, 'INVALID_INPUT']
    ]
    for (const [change, expected] of bad) {
      const before = snapshot(cloud)
      const res = await fb('submit', { ...ENTRY, requestId: requestId(), ...change }, RESIDENT)
      expect([change, code(res)]).toEqual([change, expected])
      expect(snapshot(cloud)).toEqual(before)
    }
    await refused(() => fb('submit', { ...ENTRY, requestId: requestId() }, ''), 'UNAUTHENTICATED')
    const entry = await submit()
    await refused(() => fb('reply', { id: entry._id, reply: '' }, LEADER), 'INVALID_INPUT')
    await refused(() => fb('reply', { id: entry._id, reply: '复'.repeat(501) }, LEADER), 'INVALID_INPUT')
    await refused(() => fb('reply', { id: 'fb-nothing', reply: '好的' }, LEADER), 'NOT_FOUND')
  })
})

describe('在线咨询: first-ask responsibility', () => {
  test('asking alerts the on-duty officer only', async () => {
    const q = await ask()
    expect(q).toMatchObject({
      status: 'asked',
      statusText: '等待民警查看',
      serviceName: '出生登记',
      createdAtLocal: '2026-12-01 20:00'
    })
    expect(q).not.toHaveProperty('ownerName')
    expect(outboxFor(OFFICER, q._id)).toMatchObject([
      {
        template: 'officerAlert',
        status: 'sent',
        page: `officer/questions/index?id=${q._id}`,
        values: { kind: '群众咨询', service: '出生登记' }
      }
    ])
    expect(outboxFor(OFFICER_SUN, q._id)).toEqual([])
    expect(outboxFor(LEADER, q._id)).toEqual([])
    // Retried: the same question, no second alert.
    const payload = { ...QUESTION, requestId: requestId() }
    const first = ok(await fb('ask', payload, RESIDENT))
    expect(ok(await fb('ask', payload, RESIDENT))._id).toBe(first._id)
    expect(cloud.store.docs('questions').filter((d) => d._id === first._id)).toHaveLength(1)
    expect(outboxFor(OFFICER, first._id)).toHaveLength(1)
  })

  test('two officers open it at once: exactly one owns it; the other may not answer', async () => {
    const q = await ask()
    const [a, b] = await Promise.all([
      fb('openQuestion', { id: q._id }, OFFICER),
      fb('openQuestion', { id: q._id }, OFFICER_SUN)
    ])
    const views = [ok(a), ok(b)]
    expect(views.map((v) => v.canAnswer).sort()).toEqual([false, true])
    const owner = views.find((v) => v.canAnswer)
    const ownerOpenid = owner === views[0] ? OFFICER : OFFICER_SUN
    const otherOpenid = ownerOpenid === OFFICER ? OFFICER_SUN : OFFICER
    // Both see the same owner; the record has exactly one.
    expect(
      views.every(
        (v) => v.ownerStaffId === owner?.ownerStaffId && v.status === 'owned' && v.owners.length === 1
      )
    ).toBe(true)
    expect(stored('questions', q._id)).toMatchObject({ status: 'owned', ownerStaffId: owner?.ownerStaffId })
    // Opening again changes nothing: the owner stays.
    const again = ok(await writesNothing(() => fb('openQuestion', { id: q._id }, otherOpenid)))
    expect(again).toMatchObject({ canAnswer: false, canTransfer: false, ownerStaffId: owner?.ownerStaffId })

    const notOwner = await refused(
      () => fb('answer', { id: q._id, answer: '请带出生医学证明' }, otherOpenid),
      'NOT_OWNER'
    )
    expect(notOwner.ok ? '' : notOwner.error.message).toContain(owner?.ownerName ?? '?')
    await refused(() => fb('answer', { id: q._id, answer: '请带出生医学证明' }, LEADER), 'NOT_OWNER')
    await refused(
      () => fb('answer', { id: q._id, answer: '请带出生医学证明' }, OFFICER_ELSEWHERE),
      'FORBIDDEN'
    )
    await refused(() => fb('answer', { id: q._id, answer: '请带出生医学证明' }, RESIDENT), 'FORBIDDEN')

    await allow(RESIDENT, ['replyNotice'])
    const answered = ok(
      await fb(
        'answer',
        { id: q._id, answer: '请带出生医学证明、父母户口簿和身份证、结婚证到窗口办理。' },
        ownerOpenid
      )
    )
    expect(answered).toMatchObject({
      status: 'answered',
      statusText: '已答复',
      canAnswer: false,
      canTransfer: false
    })
    expect(outboxFor(RESIDENT, q._id)).toMatchObject([
      { template: 'replyNotice', status: 'sent', values: { subject: '在线咨询答复', status: '已回复' } }
    ])
    const mine = ok(await fb('myQuestions', {}, RESIDENT)).find((x) => x._id === q._id)
    expect(mine).toMatchObject({
      status: 'answered',
      ownerName: owner?.ownerName,
      answer: expect.stringContaining('出生医学证明')
    })
    expect(mine).not.toHaveProperty('owners')
  })

  test('in repeated races of three openers, each question gets exactly one owner and one opening time', async () => {
    for (let round = 0; round < 5; round++) {
      const q = await ask()
      const views = (
        await Promise.all([OFFICER, OFFICER_SUN, LEADER].map((o) => fb('openQuestion', { id: q._id }, o)))
      ).map(ok)
      expect(views.filter((v) => v.canAnswer)).toHaveLength(1)
      expect(new Set(views.map((v) => v.ownerStaffId)).size).toBe(1)
      const doc = stored('questions', q._id)
      expect(doc?.owners).toHaveLength(1)
      expect((doc?.owners as { staffId: string }[])[0]?.staffId).toBe(
        views.find((v) => v.canAnswer)?.ownerStaffId
      )
    }
  })

  test('an unopened question cannot be answered or handed on; a supervisor opening it does not take it', async () => {
    const q = await ask()
    await refused(() => fb('answer', { id: q._id, answer: '请到窗口咨询' }, OFFICER), 'NOT_OWNER')
    await refused(
      () =>
        fb('transfer', { id: q._id, toStaffId: 'staff-officer-sun', reason: '孙警官熟悉出生登记' }, LEADER),
      'INVALID_INPUT'
    )
    const seen = ok(await writesNothing(() => fb('openQuestion', { id: q._id }, SUPERVISOR)))
    expect(seen).toMatchObject({ status: 'asked', canAnswer: false })
    expect(seen).not.toHaveProperty('ownerStaffId')
    await refused(() => fb('openQuestion', { id: q._id }, OFFICER_ELSEWHERE), 'FORBIDDEN')
    await refused(() => fb('openQuestion', { id: q._id }, RESIDENT), 'FORBIDDEN')
    await refused(() => fb('openQuestion', { id: 'qs-nothing' }, OFFICER), 'NOT_FOUND')
  })

  test('a hand-off needs a named active officer of the station and a reason; then only the new owner answers', async () => {
    const q = await ask()
    ok(await fb('openQuestion', { id: q._id }, OFFICER))
    const transfer = (toStaffId: string, reason: string, by = OFFICER) =>
      fb('transfer', { id: q._id, toStaffId, reason }, by)
    await refused(() => transfer('staff-officer-elsewhere', '外所更熟悉'), 'INVALID_INPUT')
    await refused(() => transfer('staff-officer-gone', '钱警官经办过'), 'INVALID_INPUT')
    await refused(() => transfer('staff-supervisor-chen', '请督察答复'), 'INVALID_INPUT')
    await refused(() => transfer('staff-nobody', '随便转给谁'), 'INVALID_INPUT')
    await refused(() => transfer('staff-officer-li', '转给自己'), 'INVALID_INPUT')
    await refused(() => transfer('staff-officer-sun', ''), 'INVALID_INPUT')
    await refused(() => transfer('staff-officer-sun', '   '), 'INVALID_INPUT')
    await refused(
      () => fb('transfer', { id: q._id, toStaffId: 'staff-officer-sun' }, OFFICER),
      'INVALID_INPUT'
    )
    // Not the owner and not a leader: may not hand it on.
    await refused(() => transfer('staff-leader-zhou', '请所长答复', OFFICER_SUN), 'NOT_OWNER')

    const reason = '涉及出生登记，孙警官白班专办'
    const moved = ok(await transfer('staff-officer-sun', reason))
    expect(moved).toMatchObject({ ownerStaffId: 'staff-officer-sun', ownerName: '孙警官', canAnswer: false })
    expect(moved.owners).toMatchObject([
      { staffId: 'staff-officer-li', name: '李警官' },
      { staffId: 'staff-officer-sun', name: '孙警官', reason, byName: '李警官' }
    ])
    // A retry of the same hand-off changes nothing.
    expect(ok(await transfer('staff-officer-sun', reason)).owners).toHaveLength(2)
    expect(outboxFor(OFFICER_SUN, q._id)).toMatchObject([
      { template: 'officerAlert', values: { kind: '咨询转交', note: expect.stringContaining('李警官转交') } }
    ])

    await refused(() => fb('answer', { id: q._id, answer: '请带户口簿' }, OFFICER), 'NOT_OWNER')
    // The leader may hand it on too (here: back to 李警官), and the new owner sees it among theirs.
    ok(await transfer('staff-officer-li', '孙警官今天外出', LEADER))
    await refused(() => fb('answer', { id: q._id, answer: '请带户口簿' }, OFFICER_SUN), 'NOT_OWNER')
    const listed = ok(await fb('questions', {}, OFFICER)).items.find((x) => x._id === q._id)
    expect(listed).toMatchObject({ canAnswer: true, canTransfer: true })
    expect(listed?.owners).toHaveLength(3)
    expect(
      ok(await fb('answer', { id: q._id, answer: '请带出生医学证明和户口簿到窗口。' }, OFFICER)).status
    ).toBe('answered')
    // After the answer nobody hands it on.
    await refused(() => transfer('staff-officer-sun', '再转一次', LEADER), 'QUESTION_ANSWERED')
  })

  test('an answer is given once: a different second answer is refused, an identical retry returns it', async () => {
    await allow(RESIDENT, ['replyNotice'])
    const q = await ask()
    ok(await fb('openQuestion', { id: q._id }, OFFICER))
    const answer = '户口迁入需要准迁证，请带身份证和户口簿到窗口。'
    const first = ok(await fb('answer', { id: q._id, answer }, OFFICER))
    expect(ok(await fb('answer', { id: q._id, answer }, OFFICER))).toEqual(first)
    await refused(() => fb('answer', { id: q._id, answer: '另一个答复' }, OFFICER), 'QUESTION_ANSWERED')
    await refused(() => fb('answer', { id: q._id, answer }, OFFICER_SUN), 'QUESTION_ANSWERED')
    expect(outboxFor(RESIDENT, q._id)).toHaveLength(1)
    expect(stored('questions', q._id)).toMatchObject({ answer })
  })

  test('response minutes follow the cloud clock: to the first opening and to the answer', async () => {
    const t0 = Date.parse('2026-12-01T13:00:00Z') // 21:00 in Shanghai
    cloud.clock.set(t0)
    try {
      const q = await ask()
      cloud.clock.set(t0 + 7 * 60_000 + 45_000) // 7 min 45 s later: 7 whole minutes
      const opened = ok(await fb('openQuestion', { id: q._id }, OFFICER))
      expect(opened).toMatchObject({
        firstResponseMinutes: 7,
        firstOpenedAt: expect.stringMatching(/^2026-12-01T13:07:4/)
      })
      expect(opened).not.toHaveProperty('answerMinutes')
      cloud.clock.set(t0 + 95 * 60_000 + 30_000) // 95½ minutes after asking: 95 whole minutes
      const answered = ok(await fb('answer', { id: q._id, answer: '可以在线预约后到窗口办理。' }, OFFICER))
      expect(answered).toMatchObject({
        firstResponseMinutes: 7,
        answerMinutes: 95,
        answeredAt: expect.stringMatching(/^2026-12-01T14:35:3/)
      })
      expect(stored('questions', q._id)).toMatchObject({
        createdAtLocal: '2026-12-01 21:00',
        firstOpenedAtLocal: '2026-12-01 21:07',
        answeredAtLocal: '2026-12-01 22:35',
        firstResponseMinutes: 7,
        answerMinutes: 95
      })
    } finally {
      cloud.clock.set(NOW)
    }
  })

  test('a crash between the answer and its notice: the retried answer enqueues the notice, once', async () => {
    const q = await ask()
    ok(await fb('openQuestion', { id: q._id }, OFFICER))
    const answer = '身份证补领可以在线预约，现场拍照。'
    ok(await fb('answer', { id: q._id, answer }, OFFICER))
    // As if the function died after its update: the notice never reached the outbox.
    const [notice] = outboxFor(RESIDENT, q._id)
    expect(notice).toBeDefined()
    cloud.store.commit([{ coll: 'outbox', id: String(notice?._id), doc: null }])
    ok(await fb('answer', { id: q._id, answer }, OFFICER))
    ok(await fb('answer', { id: q._id, answer }, OFFICER))
    expect(outboxFor(RESIDENT, q._id)).toMatchObject([
      { template: 'replyNotice', values: { subject: '在线咨询答复', note: answer } }
    ])

    const entry = await submit()
    const reply = '已转交窗口核实，谢谢。'
    ok(await fb('reply', { id: entry._id, reply }, LEADER))
    cloud.store.commit([{ coll: 'outbox', id: String(outboxFor(RESIDENT, entry._id)[0]?._id), doc: null }])
    ok(await fb('reply', { id: entry._id, reply }, LEADER))
    expect(outboxFor(RESIDENT, entry._id)).toMatchObject([
      { template: 'replyNotice', values: { subject: '意见簿回复', note: reply } }
    ])
  })

  test('questions: officers see unowned and their own; leaders all open; never the resident’s OPENID', async () => {
    const waiting = await ask(OTHER_RESIDENT)
    const sunsOwn = await ask()
    ok(await fb('openQuestion', { id: sunsOwn._id }, OFFICER_SUN))
    const li = ok(await fb('questions', {}, OFFICER))
    expect(li.me).toEqual({ staffId: 'staff-officer-li', role: 'officer' })
    expect(li.items.map((x) => x._id)).toContain(waiting._id)
    expect(li.items.map((x) => x._id)).not.toContain(sunsOwn._id)
    expect(li.items.find((x) => x._id === waiting._id)).toMatchObject({
      canAnswer: false,
      canTransfer: false
    })
    expect(li.officers.map((o) => o.staffId).sort()).toEqual([
      'staff-leader-zhou',
      'staff-officer-li',
      'staff-officer-sun',
      'staff-officer-zhao'
    ])
    // Waiting first, then in hand, then answered.
    const rank = { asked: 0, owned: 1, answered: 2 } as const
    const ranks = li.items.map((x) => rank[x.status])
    expect(ranks.length).toBeGreaterThan(0)
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))

    const zhou = ok(await fb('questions', {}, LEADER))
    expect(zhou.items.map((x) => x._id)).toEqual(expect.arrayContaining([waiting._id, sunsOwn._id]))
    expect(zhou.items.find((x) => x._id === sunsOwn._id)).toMatchObject({
      canAnswer: false,
      canTransfer: true
    })
    expect(JSON.stringify([li, zhou])).not.toContain(RESIDENT)
    expect(JSON.stringify([li, zhou])).not.toContain(OTHER_RESIDENT)

    expect(ok(await fb('questions', {}, OFFICER_ELSEWHERE)).items.map((x) => x._id)).not.toContain(
      waiting._id
    )
    await refused(() => fb('questions', { stationId: STATION }, OFFICER_ELSEWHERE), 'FORBIDDEN')
    await refused(() => fb('questions', {}, RESIDENT), 'FORBIDDEN')
    // Residents see only their own questions.
    expect(ok(await fb('myQuestions', {}, RESIDENT)).map((x) => x._id)).not.toContain(waiting._id)
  })

  test('bad questions are refused and nothing is written', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ question: '' }, 'INVALID_INPUT'],
      [{ question: '问'.repeat(301) }, 'INVALID_INPUT'],
      [{ serviceName: '' }, 'INVALID_INPUT'],
      [{ stationId: 'st-nowhere' }, 'NOT_FOUND'],
      [{ ownerStaffId: 'staff-officer-li' }, 'INVALID_INPUT']
    ]
    for (const [change, expected] of bad) {
      const before = snapshot(cloud)
      const res = await fb('ask', { ...QUESTION, requestId: requestId(), ...change }, RESIDENT)
      expect([change, code(res)]).toEqual([change, expected])
      expect(snapshot(cloud)).toEqual(before)
    }
    const q = await ask()
    ok(await fb('openQuestion', { id: q._id }, OFFICER))
    await refused(() => fb('answer', { id: q._id, answer: '' }, OFFICER), 'INVALID_INPUT')
    await refused(() => fb('answer', { id: q._id, answer: '答'.repeat(501) }, OFFICER), 'INVALID_INPUT')
    await refused(
      () => fb('transfer', { id: q._id, toStaffId: 'staff-officer-sun', reason: '由'.repeat(101) }, OFFICER),
      'INVALID_INPUT'
    )
    await refused(() => fb('nonsense' as 'mine', {}, OFFICER), 'UNKNOWN_ACTION')
  })
})
