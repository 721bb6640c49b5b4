/**
 * The follow-up of a bad review as pure rules (cloudfunctions/_shared/domain/follow-ups.ts): every
 * step from every status — allowed, a retry, or refused with the sentence the leader or resident
 * reads — who may take it, the deadlines in working days of the holiday table (weekends, National
 * Day and its make-up days, a year with no table yet), and when a follow-up is overdue.
 */
import { calendarYears } from '../../database/seed/calendar'
import { Calendar } from '../../cloudfunctions/_shared/domain/calendar'
import {
  FOLLOW_UP_STEPS,
  callBackStep,
  escalationDue,
  excludeReviewStep,
  followUpDeadlines,
  followUpExclusion,
  newFollowUp,
  overdueStage,
  rateRectificationStep,
  recountedDeadlines,
  replyStep,
  type BadReview,
  type FollowUpDoc
} from '../../cloudfunctions/_shared/domain/follow-ups'
import { FOLLOW_UP_STATUSES, FOLLOW_UP_STATUS_TEXT, type FollowUpStatus } from '../../types/ratings'
import type { CalendarYear } from '../../types/appointment'
import { localDateTime } from '../../types/time'

const calendar = new Calendar(calendarYears)
const shanghai = (s: string) => new Date(`${s}+08:00`)
const now = shanghai('2026-11-24T10:30:00')
const leader = { role: 'leader' as const, name: '李所长' }
const supervisor = { role: 'supervisor' as const, name: '督察王' }
const officer = { role: 'officer' as const, name: '张警官' }

const review: BadReview = {
  _id: 'rt-a-appt1',
  openid: 'resident-1',
  caseKind: 'appointment',
  caseId: 'appt1',
  caseType: '预约办理',
  stationId: 'st-1',
  stationName: '城关派出所',
  officerStaffId: 'staff-7',
  officerName: '张警官',
  serviceName: '身份证换领',
  level: 'unsatisfied',
  levelText: '不满意',
  tagTexts: ['等候时间长'],
  comment: '等了一个小时',
  ratedAt: shanghai('2026-11-20T15:00:00'), // a Friday
  ratedAtLocal: '2026-11-20 15:00'
}

const followUp = (status: FollowUpStatus, extra: Partial<FollowUpDoc> = {}): FollowUpDoc => ({
  ...newFollowUp(review, { contactName: '王小明', mobile: '13812345678' }, calendar, review.ratedAt),
  status,
  statusText: FOLLOW_UP_STATUS_TEXT[status],
  ...extra
})

const refusalOf = (step: { kind: string; refusal?: { code: string; message: string } }) =>
  step.kind === 'refuse' ? step.refusal : undefined

describe('opening a follow-up', () => {
  test('a bad review opens one: open, its id from the rating, the mobile masked, the deadlines counted', () => {
    const f = newFollowUp(review, { contactName: '王小明', mobile: '13812345678' }, calendar, now)
    expect(f).toMatchObject({
      _id: 'fu-rt-a-appt1',
      ratingId: 'rt-a-appt1',
      openid: 'resident-1',
      stationId: 'st-1',
      officerStaffId: 'staff-7',
      officerName: '张警官',
      comment: '等了一个小时',
      contactName: '王小明',
      mobileMasked: '138****5678',
      status: 'open',
      statusText: '待回访',
      // Friday's review: call back by the end of Monday, reply within 15 working days.
      callbackDueLocal: '2026-11-24 00:00',
      replyDueLocal: '2026-12-12 00:00',
      deadlineProvisional: false,
      escalations: [],
      escalatedStages: [],
      createdAt: now
    })
    expect(JSON.stringify(f)).not.toContain('13812345678')
  })

  test('no officer and no comment on the review: none on the follow-up either', () => {
    const { officerStaffId: _o, officerName: _n, comment: _c, ...bare } = review
    const f = newFollowUp(bare, { contactName: '', mobile: '' }, calendar, now)
    expect(f).not.toHaveProperty('officerStaffId')
    expect(f).not.toHaveProperty('officerName')
    expect(f).not.toHaveProperty('comment')
  })
})

describe('deadlines: call back within 1 working day, reply within 15', () => {
  test('a Saturday review: the weekend does not count, the call back is due at the end of Monday', () => {
    const d = followUpDeadlines(calendar, shanghai('2026-11-21T09:00:00'))
    expect(d.callbackDueLocal).toBe('2026-11-24 00:00')
    expect(d.callbackDueAt.toISOString()).toBe('2026-11-23T16:00:00.000Z')
    expect(d.deadlineProvisional).toBe(false)
  })

  test('the day before National Day: both deadlines skip the holiday week and count the make-up Saturday', () => {
    const d = followUpDeadlines(calendar, shanghai('2026-09-30T15:00:00'))
    expect(d.callbackDueLocal).toBe('2026-10-09 00:00')
    expect(d.replyDueLocal).toBe('2026-10-28 00:00')
  })

  test('a Friday evening before a make-up Sunday: due at the end of that Sunday', () => {
    expect(followUpDeadlines(calendar, shanghai('2026-09-18T23:30:00')).callbackDueLocal).toBe(
      '2026-09-21 00:00'
    )
  })

  test('counted into a year with no holiday table: Monday–Friday stands in and the deadlines say so', () => {
    const d = followUpDeadlines(calendar, shanghai('2026-12-31T10:00:00'))
    expect(d).toMatchObject({ callbackDueLocal: '2027-01-02 00:00', deadlineProvisional: true })
    // Only the reply's count reaches 2027: the follow-up as a whole is provisional.
    const late = followUpDeadlines(calendar, shanghai('2026-12-14T10:00:00'))
    expect(late.callbackDueLocal).toBe('2026-12-16 00:00')
    expect(late.deadlineProvisional).toBe(true)
  })

  test('once the year is published, provisional deadlines are counted again; unchanged ones are left', () => {
    const ratedAt = shanghai('2026-12-31T10:00:00')
    const provisional = followUpDeadlines(calendar, ratedAt)
    const f = { ratedAt, callbackDueAt: provisional.callbackDueAt, replyDueAt: provisional.replyDueAt }
    // Still no table: nothing to write.
    expect(recountedDeadlines(f, calendar)).toBeNull()
    const y2027: CalendarYear = {
      _id: 'cal-2027',
      year: 2027,
      days: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }],
      source: 'test',
      confirmed: true,
      updatedAt: now
    }
    const published = new Calendar([...calendarYears, y2027])
    const recounted = recountedDeadlines(f, published)
    // New Year's Day is a holiday: the call back moves to the end of Monday 2027-01-04.
    expect(recounted).toMatchObject({ callbackDueLocal: '2027-01-05 00:00', deadlineProvisional: false })
    expect(recounted?.replyDueAt.getTime()).toBeGreaterThan(f.replyDueAt.getTime())
  })

  test('a table published without changing the dates still clears the provisional mark', () => {
    const ratedAt = shanghai('2026-12-14T10:00:00')
    const provisional = followUpDeadlines(calendar, ratedAt)
    const y2027: CalendarYear = {
      _id: 'cal-2027',
      year: 2027,
      days: [],
      source: 'test',
      confirmed: true,
      updatedAt: now
    }
    const recounted = recountedDeadlines(
      { ratedAt, callbackDueAt: provisional.callbackDueAt, replyDueAt: provisional.replyDueAt },
      new Calendar([...calendarYears, y2027])
    )
    expect(recounted).toMatchObject({
      callbackDueLocal: provisional.callbackDueLocal,
      replyDueLocal: provisional.replyDueLocal,
      deadlineProvisional: false
    })
  })
})

describe('overdue and escalation', () => {
  const f = followUp('open') // call back by 2026-11-24 00:00, reply by 2026-12-12 00:00 (Shanghai)
  const justBeforeCallback = new Date(f.callbackDueAt.getTime() - 1)

  test('nothing is overdue before the call-back deadline; the deadline instant itself is overdue', () => {
    expect(overdueStage(f, justBeforeCallback)).toBeNull()
    expect(overdueStage(f, f.callbackDueAt)).toBe('callback')
  })

  test('a call back made ends the first stage; the reply deadline still runs until the reply', () => {
    const afterCallback = new Date(f.callbackDueAt.getTime() + 3_600_000)
    expect(overdueStage(followUp('called'), afterCallback)).toBeNull()
    expect(overdueStage(followUp('called'), f.replyDueAt)).toBe('reply')
    // Both passed and never called: the reply's stage wins.
    expect(overdueStage(f, f.replyDueAt)).toBe('reply')
  })

  test('replied, closed or excluded follow-ups are never overdue', () => {
    const late = new Date(f.replyDueAt.getTime() + 86_400_000)
    for (const s of ['replied', 'closed', 'excluded'] as const)
      expect(overdueStage(followUp(s), late)).toBeNull()
  })

  test('each overdue stage is escalated once', () => {
    expect(escalationDue(f, f.callbackDueAt)).toBe('callback')
    expect(escalationDue({ ...f, escalatedStages: ['callback'] }, f.callbackDueAt)).toBeNull()
    expect(escalationDue({ ...f, escalatedStages: ['callback'] }, f.replyDueAt)).toBe('reply')
    expect(escalationDue({ ...f, escalatedStages: ['callback', 'reply'] }, f.replyDueAt)).toBeNull()
  })
})

describe('the steps, from every status', () => {
  test('the table: call back from open, reply from called, the resident closes it from replied', () => {
    expect(FOLLOW_UP_STEPS.callBack).toMatchObject({ from: ['open'], to: 'called' })
    expect(FOLLOW_UP_STEPS.reply).toMatchObject({ from: ['called'], to: 'replied' })
    expect(FOLLOW_UP_STEPS.rateRectification).toMatchObject({
      from: ['replied'],
      to: 'closed',
      by: ['resident']
    })
    expect(FOLLOW_UP_STEPS.exclude).toMatchObject({ from: ['open', 'called', 'replied'], to: 'excluded' })
  })

  test('call back: only from open, by a leader or supervisor; the same note again is a retry', () => {
    const step = callBackStep(followUp('open'), leader, '已电话联系，居民同意整改方案', now)
    expect(step).toEqual({
      kind: 'advance',
      from: 'open',
      patch: {
        status: 'called',
        statusText: '已回访，整改中',
        calledBackAt: now,
        calledBackAtLocal: '2026-11-24 10:30',
        calledBackBy: '李所长',
        callNote: '已电话联系，居民同意整改方案',
        updatedAt: now
      }
    })
    expect(callBackStep(followUp('open'), supervisor, 'x', now).kind).toBe('advance')
    expect(refusalOf(callBackStep(followUp('open'), officer, 'x', now))?.code).toBe('FORBIDDEN')
    expect(callBackStep(followUp('called', { callNote: 'x' }), leader, 'x', now)).toEqual({ kind: 'repeat' })
    const expected: Record<FollowUpStatus, string | null> = {
      open: null,
      called: '已经记录过回访了',
      replied: '已经记录过回访了',
      closed: '已经记录过回访了',
      excluded: '这条评价已剔除，无需回访'
    }
    for (const s of FOLLOW_UP_STATUSES) {
      const r = refusalOf(callBackStep(followUp(s, { callNote: 'earlier' }), leader, 'another note', now))
      expect([s, r?.message ?? null]).toEqual([s, expected[s]])
      if (r) expect(r.code).toBe('FOLLOW_UP_STEP')
    }
  })

  test('reply: only once called back, by a leader or supervisor; the same reply again is a retry', () => {
    const input = { finding: 'partly' as const, rectification: '增加取号窗口', reply: '已增加窗口，感谢监督' }
    expect(replyStep(followUp('called'), supervisor, input, now)).toEqual({
      kind: 'advance',
      from: 'called',
      patch: {
        status: 'replied',
        statusText: '已答复，待居民评价整改',
        finding: 'partly',
        findingText: '部分属实',
        rectification: '增加取号窗口',
        reply: '已增加窗口，感谢监督',
        repliedAt: now,
        repliedAtLocal: '2026-11-24 10:30',
        repliedBy: '督察王',
        updatedAt: now
      }
    })
    expect(refusalOf(replyStep(followUp('called'), officer, input, now))?.code).toBe('FORBIDDEN')
    expect(replyStep(followUp('replied', { reply: input.reply }), leader, input, now)).toEqual({
      kind: 'repeat'
    })
    const expected: Record<FollowUpStatus, string | null> = {
      open: '请先回访居民并记录回访情况，再答复',
      called: null,
      replied: '已经答复过了',
      closed: '已经答复过了',
      excluded: '这条评价已剔除，无需答复'
    }
    for (const s of FOLLOW_UP_STATUSES) {
      const r = refusalOf(replyStep(followUp(s, { reply: 'an earlier reply' }), leader, input, now))
      expect([s, r?.message ?? null]).toEqual([s, expected[s]])
      if (r) expect(r.code).toBe('FOLLOW_UP_STEP')
    }
  })

  test('rating the rectification: only the resident who gave the review, only once replied to', () => {
    const step = rateRectificationStep(
      followUp('replied'),
      'resident-1',
      { level: 'basic', comment: '  还行  ' },
      now
    )
    expect(step).toEqual({
      kind: 'advance',
      from: 'replied',
      patch: {
        status: 'closed',
        statusText: '已办结',
        rectificationLevel: 'basic',
        rectificationText: '基本满意',
        rectificationComment: '还行',
        rectificationRatedAt: now,
        updatedAt: now
      }
    })
    // A blank comment is not kept.
    const blank = rateRectificationStep(
      followUp('replied'),
      'resident-1',
      { level: 'satisfied', comment: ' ' },
      now
    )
    expect(blank.kind === 'advance' && 'rectificationComment' in blank.patch).toBe(false)
    // Someone else is told it does not exist.
    expect(
      refusalOf(rateRectificationStep(followUp('replied'), 'resident-2', { level: 'basic' }, now))
    ).toEqual({
      code: 'NOT_FOUND',
      message: '没有找到这条回访记录'
    })
    // The same rating again is a retry; a different one is refused.
    const closed = followUp('closed', { rectificationLevel: 'basic' })
    expect(rateRectificationStep(closed, 'resident-1', { level: 'basic' }, now)).toEqual({ kind: 'repeat' })
    const expected: Record<FollowUpStatus, string | null> = {
      open: '派出所还没有答复整改情况，答复后才能评价',
      called: '派出所还没有答复整改情况，答复后才能评价',
      replied: null,
      closed: '您已经评价过整改情况了',
      excluded: '派出所还没有答复整改情况，答复后才能评价'
    }
    for (const s of FOLLOW_UP_STATUSES) {
      const f = followUp(s, s === 'closed' ? { rectificationLevel: 'satisfied' } : {})
      const r = refusalOf(rateRectificationStep(f, 'resident-1', { level: 'unsatisfied' }, now))
      expect([s, r?.message ?? null]).toEqual([s, expected[s]])
      if (r) expect(r.code).toBe('FOLLOW_UP_STEP')
    }
  })

  test('excluding the review: by a leader or supervisor, once; it ends only an unfinished follow-up', () => {
    expect(excludeReviewStep({ excluded: false }, leader, '恶意差评', now)).toEqual({
      kind: 'exclude',
      patch: {
        excluded: true,
        excludedReason: '恶意差评',
        excludedBy: '李所长',
        excludedAt: now,
        excludedAtLocal: '2026-11-24 10:30'
      }
    })
    expect(excludeReviewStep({ excluded: true }, leader, '恶意差评', now)).toEqual({ kind: 'repeat' })
    expect(refusalOf(excludeReviewStep({ excluded: false }, officer, '恶意差评', now))?.code).toBe(
      'FORBIDDEN'
    )
    const ending = followUpExclusion('恶意差评', now)
    expect(ending.patch).toEqual({
      status: 'excluded',
      statusText: '已剔除',
      excludedReason: '恶意差评',
      updatedAt: now
    })
    // A closed follow-up keeps its outcome; one already excluded is not written again.
    expect([...ending.from].sort()).toEqual(['called', 'open', 'replied'])
  })

  test('the times written are Shanghai times, whatever the process clock zone', () => {
    const lateUtc = new Date('2026-11-24T17:10:00Z') // 01:10 the next day in Shanghai
    const step = callBackStep(followUp('open'), leader, 'n', lateUtc)
    expect(step.kind === 'advance' && step.patch.calledBackAtLocal).toBe(localDateTime(lateUtc))
    expect(step.kind === 'advance' && step.patch.calledBackAtLocal).toBe('2026-11-25 01:10')
  })
})
