/**
 * First-ask responsibility (首问责任) as pure rules (cloudfunctions/_shared/domain/questions.ts):
 * who owns a question by opening it, who may answer and hand it on, from which status, with which
 * condition on the write, what a lost race or a retry comes to, and who sees what in the list.
 */
import {
  answerLost,
  answerStep,
  checkTransfer,
  mayAnswer,
  mayTransfer,
  notOwner,
  openStep,
  staffOrder,
  transferLost,
  transferStep,
  visibleTo,
  type QuestionActor,
  type QuestionDoc
} from '../../cloudfunctions/_shared/domain/questions'
import { QUESTION_STATUS_TEXT, type QuestionStatus } from '../../types/feedback'

const shanghai = (s: string) => new Date(`${s}+08:00`)
const askedAt = shanghai('2026-11-24T09:00:00')
const now = shanghai('2026-11-24T09:47:30')

const staff = (id: string, role: QuestionActor['role'], stationId = 'st-1'): QuestionActor => ({
  _id: id,
  name: `${role}-${id}`,
  role,
  stationId
})
const zhang = staff('zhang', 'officer')
const li = staff('li', 'officer')
const leader = staff('wang', 'leader')
const otherLeader = staff('zhao', 'leader', 'st-2')
const supervisor = staff('chief', 'supervisor', '')

const question = (status: QuestionStatus, extra: Partial<QuestionDoc> = {}): QuestionDoc => ({
  _id: 'qs-1',
  openid: 'resident-1',
  requestId: 'req-1',
  stationId: 'st-1',
  question: '身份证丢了怎么补办？',
  status,
  statusText: QUESTION_STATUS_TEXT[status],
  createdAt: askedAt,
  createdAtLocal: '2026-11-24 09:00',
  updatedAt: askedAt,
  alertedStaffIds: ['zhang'],
  owners: [],
  ...extra
})
const ownedBy = (s: QuestionActor, extra: Partial<QuestionDoc> = {}) =>
  question('owned', {
    ownerStaffId: s._id,
    owner: { staffId: s._id, name: s.name },
    owners: [{ staffId: s._id, name: s.name, at: askedAt, atLocal: '2026-11-24 09:00' }],
    ...extra
  })
const answeredBy = (s: QuestionActor, answer: string) =>
  ownedBy(s, {
    status: 'answered',
    statusText: QUESTION_STATUS_TEXT.answered,
    answer,
    answeredBy: { staffId: s._id, name: s.name }
  })

describe('opening: the first officer or leader to open a waiting question owns it', () => {
  test('an officer opening a waiting question becomes its owner, on condition it is still waiting', () => {
    expect(openStep(question('asked'), zhang, now)).toEqual({
      kind: 'advance',
      where: { status: 'asked' },
      patch: {
        status: 'owned',
        statusText: '民警正在答复',
        ownerStaffId: 'zhang',
        owner: { staffId: 'zhang', name: 'officer-zhang' },
        owners: [{ staffId: 'zhang', name: 'officer-zhang', at: now, atLocal: '2026-11-24 09:47' }],
        firstOpenedAt: now,
        firstOpenedAtLocal: '2026-11-24 09:47',
        firstResponseMinutes: 47,
        updatedAt: now
      }
    })
    expect(openStep(question('asked'), leader, now).kind).toBe('advance')
  })

  test('a supervisor only looks; so does anyone opening a question already owned or answered', () => {
    expect(openStep(question('asked'), supervisor, now)).toEqual({ kind: 'look' })
    expect(openStep(ownedBy(zhang), li, now)).toEqual({ kind: 'look' })
    expect(openStep(ownedBy(zhang), zhang, now)).toEqual({ kind: 'look' })
    expect(openStep(answeredBy(zhang, 'a'), leader, now)).toEqual({ kind: 'look' })
  })
})

describe('answering: only the owner, once', () => {
  test('the owner answers, on condition it is still theirs; the minutes since it was asked are kept', () => {
    expect(answerStep(ownedBy(zhang), zhang, '带户口簿到窗口补办', now)).toEqual({
      kind: 'advance',
      where: { status: 'owned', ownerStaffId: 'zhang' },
      patch: {
        status: 'answered',
        statusText: '已答复',
        answer: '带户口簿到窗口补办',
        answeredAt: now,
        answeredAtLocal: '2026-11-24 09:47',
        answeredBy: { staffId: 'zhang', name: 'officer-zhang' },
        answerMinutes: 47,
        updatedAt: now
      }
    })
  })

  test('nobody else may answer: not another officer, not a leader, not a supervisor; the owner is named', () => {
    for (const someone of [li, leader, supervisor]) {
      const step = answerStep(ownedBy(zhang), someone, 'x', now)
      expect(step).toEqual({
        kind: 'refuse',
        refusal: {
          code: 'NOT_OWNER',
          message: '这条咨询由officer-zhang负责答复（首问责任），请联系负责的民警'
        }
      })
    }
  })

  test('a waiting question cannot be answered: it is opened first', () => {
    expect(answerStep(question('asked'), zhang, 'x', now)).toEqual({
      kind: 'refuse',
      refusal: { code: 'NOT_OWNER', message: '请先打开这条咨询（打开即成为首问责任人）再答复' }
    })
  })

  test('answered: the same answer by the same officer is a retry; anything else is refused', () => {
    const done = answeredBy(zhang, '带户口簿到窗口补办')
    expect(answerStep(done, zhang, '带户口簿到窗口补办', now)).toEqual({ kind: 'repeat' })
    for (const [who, text] of [
      [zhang, '另一个答复'],
      [li, '带户口簿到窗口补办']
    ] as const)
      expect(answerStep(done, who, text, now)).toEqual({
        kind: 'refuse',
        refusal: { code: 'QUESTION_ANSWERED', message: '这条咨询已经答复过了' }
      })
  })

  test('a lost race, judged on the question reread: our own answer is a retry; else answered or not ours', () => {
    expect(answerLost(answeredBy(zhang, 'a'), zhang, 'a')).toEqual({ kind: 'repeat' })
    expect(answerLost(answeredBy(li, 'b'), zhang, 'a')).toMatchObject({
      refusal: { code: 'QUESTION_ANSWERED' }
    })
    expect(answerLost(ownedBy(li), zhang, 'a')).toMatchObject({
      refusal: { code: 'NOT_OWNER', message: '这条咨询由officer-li负责答复（首问责任），请联系负责的民警' }
    })
  })

  test('an owned question with no owner recorded gets the general sentence', () => {
    expect(notOwner({ status: 'owned' })).toEqual({
      code: 'NOT_OWNER',
      message: '这条咨询由其他民警负责答复（首问责任），请联系负责的民警'
    })
  })
})

describe('handing on: the owner or a leader, to an officer or leader of the station, with a reason', () => {
  const input = { toStaffId: 'li', reason: '张警官外出' }

  test('the owner hands it on: the new owner recorded after the first, with who handed it on and why', () => {
    const doc = ownedBy(zhang)
    expect(checkTransfer(doc, zhang, input)).toBeNull()
    const step = transferStep(doc, zhang, li, input, now)
    expect(step).toEqual({
      kind: 'advance',
      where: { status: 'owned', ownerStaffId: 'zhang' },
      patch: {
        ownerStaffId: 'li',
        owner: { staffId: 'li', name: 'officer-li' },
        owners: [
          doc.owners[0],
          {
            staffId: 'li',
            name: 'officer-li',
            at: now,
            atLocal: '2026-11-24 09:47',
            reason: '张警官外出',
            byStaffId: 'zhang',
            byName: 'officer-zhang'
          }
        ],
        updatedAt: now
      }
    })
  })

  test('a leader may hand on a question someone else owns; another officer may not', () => {
    expect(checkTransfer(ownedBy(zhang), leader, input)).toBeNull()
    expect(checkTransfer(ownedBy(zhang), staff('sun', 'officer'), input)).toMatchObject({
      refusal: { code: 'NOT_OWNER' }
    })
  })

  test('supervisors do not hand questions on', () => {
    expect(checkTransfer(ownedBy(zhang), supervisor, input)).toMatchObject({ refusal: { code: 'FORBIDDEN' } })
  })

  test('only a question in hand: a waiting one has no owner yet; an answered one is finished', () => {
    expect(checkTransfer(question('asked'), leader, input)).toEqual({
      kind: 'refuse',
      refusal: { code: 'INVALID_INPUT', message: '这条咨询还没有负责人：打开它即成为首问责任人，再转交' }
    })
    expect(checkTransfer(answeredBy(zhang, 'a'), zhang, input)).toEqual({
      kind: 'refuse',
      refusal: { code: 'QUESTION_ANSWERED', message: '这条咨询已经答复过了，不能再转交' }
    })
  })

  test('not to its present owner, and only to an officer or leader found at the station', () => {
    expect(checkTransfer(ownedBy(zhang), leader, { toStaffId: 'zhang', reason: 'r' })).toMatchObject({
      refusal: { code: 'INVALID_INPUT', message: '新的负责人不能是现在的负责人' }
    })
    const noOne = { code: 'INVALID_INPUT', message: '请选择本所在岗的民警或所领导作为新的负责人' }
    expect(transferStep(ownedBy(zhang), zhang, undefined, input, now)).toEqual({
      kind: 'refuse',
      refusal: noOne
    })
    expect(transferStep(ownedBy(zhang), zhang, supervisor, { toStaffId: 'chief', reason: 'r' }, now)).toEqual(
      { kind: 'refuse', refusal: noOne }
    )
    // The leader of the station may be the new owner.
    expect(transferStep(ownedBy(zhang), zhang, leader, { toStaffId: 'wang', reason: 'r' }, now).kind).toBe(
      'advance'
    )
  })

  test('the same hand-off again is a retry, also after a lost race; otherwise the race is lost plainly', () => {
    const moved = transferStep(ownedBy(zhang), zhang, li, input, now)
    if (moved.kind !== 'advance') throw new Error('expected the hand-off')
    const after = { ...ownedBy(zhang), ...moved.patch }
    expect(checkTransfer(after, zhang, input)).toEqual({ kind: 'repeat' })
    expect(transferLost(after, zhang, input)).toEqual({ kind: 'repeat' })
    // Another reason is another hand-off: refused, li owns it now and zhang no longer does.
    expect(checkTransfer(after, zhang, { ...input, reason: '另有原因' })).toMatchObject({
      refusal: { code: 'NOT_OWNER' }
    })
    expect(transferLost(answeredBy(zhang, 'a'), zhang, input)).toEqual({
      kind: 'refuse',
      refusal: { code: 'QUESTION_ANSWERED', message: '这条咨询已经答复过了，不能再转交' }
    })
    expect(transferLost(ownedBy(staff('sun', 'officer')), zhang, input)).toMatchObject({
      refusal: { code: 'NOT_OWNER' }
    })
  })
})

describe('who sees what', () => {
  test('the owner may answer; the owner or a leader of its station may hand on', () => {
    const doc = ownedBy(zhang)
    expect([mayAnswer(doc, zhang), mayTransfer(doc, zhang)]).toEqual([true, true])
    expect([mayAnswer(doc, li), mayTransfer(doc, li)]).toEqual([false, false])
    expect([mayAnswer(doc, leader), mayTransfer(doc, leader)]).toEqual([false, true])
    expect([mayAnswer(doc, otherLeader), mayTransfer(doc, otherLeader)]).toEqual([false, false])
    expect([mayAnswer(doc, supervisor), mayTransfer(doc, supervisor)]).toEqual([false, false])
    for (const d of [question('asked'), answeredBy(zhang, 'a')])
      expect([mayAnswer(d, zhang), mayTransfer(d, leader)]).toEqual([false, false])
  })

  test('officers see waiting questions and their own; leaders and supervisors every one in hand', () => {
    const waiting = question('asked')
    const zhangs = ownedBy(zhang)
    const answeredByLi = answeredBy(li, 'a')
    expect([waiting, zhangs, answeredByLi].map((d) => visibleTo(d, zhang))).toEqual([true, true, false])
    expect([waiting, zhangs, answeredByLi].map((d) => visibleTo(d, li))).toEqual([true, false, true])
    expect([waiting, zhangs, answeredByLi].map((d) => visibleTo(d, leader))).toEqual([true, true, false])
    expect([waiting, zhangs, answeredByLi].map((d) => visibleTo(d, supervisor))).toEqual([true, true, false])
  })

  test('waiting first, oldest first; then in hand; then answered, newest first', () => {
    const at = (h: number) => shanghai(`2026-11-24T${String(h).padStart(2, '0')}:00:00`)
    const docs = [
      { _id: 'answered-old', status: 'answered' as const, createdAt: at(8) },
      { _id: 'asked-new', status: 'asked' as const, createdAt: at(11) },
      { _id: 'owned', status: 'owned' as const, createdAt: at(9) },
      { _id: 'answered-new', status: 'answered' as const, createdAt: at(10) },
      { _id: 'asked-old', status: 'asked' as const, createdAt: at(7) }
    ]
    expect([...docs].sort(staffOrder).map((d) => d._id)).toEqual([
      'asked-old',
      'asked-new',
      'owned',
      'answered-new',
      'answered-old'
    ])
  })
})
