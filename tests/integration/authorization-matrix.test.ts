/**
 * The authorization matrix (issue 10, point 7): every function × action of the contract × eight
 * identities — the resident who owns the fixtures, another resident, an officer of the station,
 * an officer of another station, the station's leader, a supervisor, a deactivated officer of the
 * station, and no identity at all. Each action lists the identities ALLOWED explicitly; every other
 * cell must answer `{ok: false, error: {code}}` with the code recorded for it, and write nothing
 * (every collection, `audit` included: a refusal is never audited). Allowed cells must answer ok;
 * allowed staff reads of residents' data write their audit entry, so they are not snapshot-checked.
 * Rows marked `scoped` refuse the officer of another station by the one station-scope rule:
 * FORBIDDEN with OUT_OF_STATION_MESSAGE, the same sentence in every function.
 *
 * The table is typed by the contract (a new action without a row does not compile) and checked
 * against it at run time (nor does it pass). One local cloud for the file, at a fixed working-day
 * instant (Tuesday 2026-09-15 10:00 Shanghai), its fixtures made through the functions themselves
 * in the days before. Per action the refusals run first, in parallel, between two snapshots; then
 * the allowed cells one by one, each on a fixture of its own where a first write would change the
 * answer of the next. A few rows depend on earlier ones, in the order of the table: a bad review's
 * follow-up goes callBack → reply → rateRectification → exclude; `staff.deactivate` and
 * `staff.bindInvite` (which turns both residents into officers) run last.
 *
 * A `{Type: 'Timer'}` event from any identity is refused with TIMER_ONLY and writes nothing, for
 * every function (notify and rating have timers; the others none) — checked before the rows, while
 * both residents are still residents.
 */
import type { Doc } from '../../local-cloud/db/store'
import { stations } from '../../database/seed/stations'
import { contract, FUNCTION_NAMES, type ActionName, type FunctionName } from '../../types/contract'
import { ERROR_CODES, OUT_OF_STATION_MESSAGE, type ErrorCode } from '../../types/errors'
import { idCheckCharacter } from '../../types/identity'
import type { Result } from '../../types/result'
import { TEMPLATES, type TemplateKey } from '../../types/templates'
import { APPLICANT, ok } from '../helpers/appointments'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'
import { onDutyAllDay } from '../helpers/roster'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

jest.setTimeout(60_000)

/* ---------- identities ---------- */

const WHO = [
  'resident',
  'otherResident',
  'officer',
  'officerElsewhere',
  'leader',
  'supervisor',
  'deactivated',
  'anonymous'
] as const
type Who = (typeof WHO)[number]

const STATION = 'st-yunxi-chengguan'
const OTHER_STATION = 'st-matrix-other'

const OPENID: Record<Who, string> = {
  resident: 'r-matrix-wang',
  otherResident: 'r-matrix-zhao',
  officer: 'demo-officer-li',
  officerElsewhere: 'officer-matrix-elsewhere',
  leader: 'demo-leader-zhou',
  supervisor: 'demo-supervisor-chen',
  deactivated: 'officer-matrix-gone',
  anonymous: ''
}

const EVERYONE: readonly Who[] = WHO
const IDENTIFIED: readonly Who[] = WHO.filter((w) => w !== 'anonymous')
const RESIDENT: readonly Who[] = ['resident']
const STATION_STAFF: readonly Who[] = ['officer', 'leader', 'supervisor']
const OFFICER_OR_LEADER: readonly Who[] = ['officer', 'leader']
const LEADERS: readonly Who[] = ['leader', 'supervisor']

/* ---------- the fixed instant and the fixtures ---------- */

const SERVICE = 'svc-cert-hukou'
const FRIDAY = '2026-09-11'
const MONDAY = '2026-09-14'
const TODAY = '2026-09-15' // Tuesday, a working day
const WEDNESDAY = '2026-09-16'
const THURSDAY = '2026-09-17'
const NOW = `${TODAY}T10:00:00`

const at = (shanghai: string) => cloud.clock.set(Date.parse(`${shanghai}+08:00`))
const iso = (shanghai: string) => new Date(Date.parse(`${shanghai}+08:00`)).toISOString()
const slot = (date: string, hhmm: string) => `${STATION}_${date}_${hhmm}_window`
/** One slot of Wednesday per identity for `appointment.book` (the window takes two a slot). */
const BOOK_SLOTS: Record<Who, string> = {
  resident: '0830',
  otherResident: '0900',
  officer: '0930',
  officerElsewhere: '1000',
  leader: '1030',
  supervisor: '1100',
  deactivated: '1130',
  anonymous: '0830'
}

/** Their own mobiles, as `staff.setMobile` sets them (the seed's where there is one). */
const STAFF_MOBILES: Record<Who, string> = {
  resident: '13800000001',
  otherResident: '13800000002',
  officer: '13900000101',
  officerElsewhere: '13900000105',
  leader: '13900000102',
  supervisor: '13900000104',
  deactivated: '13900000106',
  anonymous: '13800000003'
}

interface Fixtures {
  /** The resident's booking on Thursday (get, reschedule, cancel). */
  booking: string
  /** The resident's common applicant (removeApplicant). */
  savedApplicant: string
  /** A full slot on Thursday (joinWaitlist), and the resident's place on its waitlist (leaveWaitlist). */
  fullSlot: string
  waitlistEntry: string
  /** The resident's finished cases: A rated badly (its follow-up open), C not yet rated. */
  caseA: string
  caseC: string
  ratingA: string
  followUpA: string
  /** The resident's green-channel request (get; accepted by the officer). */
  request: string
  /** Other residents' requests, one per allowed cell that writes. */
  requestForLeader: string
  toDecline: string
  toDeclineByLeader: string
  acceptedByOfficer: string
  homeVisit: string
  /** Today's queue (other residents' bookings). */
  noShow: string
  started: string
  finished: string
  codes: Record<'officer' | 'leader' | 'supervisor', string>
  /** The resident's named feedback entries and questions. */
  feedback: string
  feedbackForSupervisor: string
  questionAsked: string
  questionOwned: string
  questionToTransfer: string
  invites: { resident: string; otherResident: string; spare: string; deactivatedOwn: string }
  spareStaffId: string
  /** Today's queue, line A: the resident's number, and called or waiting numbers per staff cell. */
  queue: {
    mine: string
    recall: string
    start: string[]
    finish: string[]
    skip: string[]
    transfer: string[]
  }
  /** 材料预审: the resident's pre-reviews and the station's submitted ones. */
  prereview: {
    /** A draft linked to the resident's booking: one photo on m1 (removePhoto), one upload not attached (attach). */
    draft: string
    attached: string
    upload: string
    appointmentId: string
    /** Every required item has a photo (submit). */
    ready: string
    toWithdraw: string
    /** Submitted by other residents: one per staff cell (open the first, review each). */
    submitted: string[]
  }
  /** 制证进度: walk-in cards of the station (receipt numbers; ids where a row names the card). */
  cards: {
    /** Followed by the resident (choose). */
    mine: string
    /** At 已到所可领取, one per staff cell (pickUp); the same, with post chosen (post; one more, address). */
    ready: string[]
    postal: string[]
    postalId: string
    /** Followed by the resident, for staff to clear the follower (unfollow). */
    unfollow: string
    /** At 已受理 (batch to 制证中). */
    batch: string
    /** Not followed yet: one per identity (follow). */
    follow: Record<Who, string>
  }
}
let F: Fixtures

/* ---------- calls ---------- */

async function call(
  fn: string,
  action: string,
  payload: unknown,
  /** One of the matrix's identities, or a raw OPENID. */
  who: string
): Promise<Result<unknown>> {
  const openid = (OPENID as Record<string, string>)[who] ?? who
  const res = await callFunction<Result<unknown>>(cloud, fn, { action, payload }, openid)
  if (res.status !== 200)
    throw new Error(
      `${fn}.${action} as ${openid || 'anonymous'}: HTTP ${res.status} ${JSON.stringify(res.body)}`
    )
  return res.body
}
const outcome = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code)

/** What changed between two snapshots, document by document. */
function changes(before: Record<string, Doc[]>, after: Record<string, Doc[]>): string[] {
  const out: string[] = []
  for (const coll of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = new Map((before[coll] ?? []).map((d) => [d._id, JSON.stringify(d)]))
    const is = new Map((after[coll] ?? []).map((d) => [d._id, JSON.stringify(d)]))
    for (const [id, text] of is)
      if (!was.has(id)) out.push(`${coll}/${id} added`)
      else if (was.get(id) !== text) out.push(`${coll}/${id} changed`)
    for (const id of was.keys()) if (!is.has(id)) out.push(`${coll}/${id} removed`)
  }
  return out
}

/* ---------- the table ---------- */

/**
 * `caller`: anyone signed in acts for themselves; `own`: a resident's record, "not found" to
 * anyone else (its existence is not disclosed); `staff`: staff roles, FORBIDDEN to everyone else.
 */
type Kind = 'public' | 'caller' | 'own' | 'staff'

interface Spec {
  kind: Kind
  /** The identities that may: each answers ok. */
  allow: readonly Who[]
  /** The code a refused identity gets when it is not the default of the kind. */
  refuse?: Partial<Record<Who, ErrorCode | readonly ErrorCode[]>>
  payload: (f: Fixtures, who: Who) => unknown
  /** More to hold of an allowed cell's reply; returns what is wrong. */
  check?: (data: unknown, who: Who) => string | undefined
  /** Runs after every other row, in this order (it changes who is staff). */
  last?: 1 | 2
  /**
   * The officer of another station has the role but not the station: refused by the one
   * station-scope rule — FORBIDDEN with OUT_OF_STATION_MESSAGE, like every other row so marked.
   */
  scoped?: true
}

type Matrix = { [F in FunctionName]: Record<ActionName<F>, Spec> }

/** The code a refused identity must get when its row does not say otherwise. */
function defaultRefusal(kind: Kind, who: Who): readonly ErrorCode[] {
  if (who === 'anonymous') return ['UNAUTHENTICATED']
  if (kind === 'own') return ['NOT_FOUND']
  // Stopped staff are staff no more: refused like anyone without the role, or told they were stopped.
  if (who === 'deactivated') return ['FORBIDDEN', 'STAFF_DEACTIVATED']
  return ['FORBIDDEN']
}

const period = { from: '2026-09-01', to: TODAY }
/** 材料预审: the booked service (four materials), and one with exactly two, both required. */
const PR_SERVICE = SERVICE
const PR_TWO_ITEMS = 'svc-idcard-temporary'
const RID = 'rq-matrix-0001'
const inboxHasNoStaffAlert = (data: unknown) => {
  const items = data as { template: TemplateKey }[]
  const alerts = items.filter((i) => TEMPLATES[i.template]?.audience === 'officer')
  return alerts.length
    ? `a deactivated officer's inbox shows ${alerts.length} staff alert(s) quoting residents`
    : undefined
}

const MATRIX: Matrix = {
  guide: {
    listStations: { kind: 'public', allow: EVERYONE, payload: () => ({}) },
    listServices: { kind: 'public', allow: EVERYONE, payload: () => ({ stationId: STATION }) },
    getService: { kind: 'public', allow: EVERYONE, payload: () => ({ serviceId: SERVICE }) },
    days: { kind: 'public', allow: EVERYONE, payload: () => ({ stationId: STATION }) }
  },
  appointment: {
    options: { kind: 'caller', allow: IDENTIFIED, payload: () => ({ serviceId: SERVICE }) },
    slots: { kind: 'caller', allow: IDENTIFIED, payload: () => ({ serviceId: SERVICE, date: WEDNESDAY }) },
    // Staff are residents too when they book for themselves; a stopped officer as well.
    book: {
      kind: 'caller',
      allow: IDENTIFIED,
      payload: (_f, who) => ({
        requestId: RID,
        serviceId: SERVICE,
        slotId: slot(WEDNESDAY, BOOK_SLOTS[who]),
        applicant: APPLICANT,
        consent: true
      })
    },
    check: {
      kind: 'caller',
      allow: IDENTIFIED,
      payload: () => ({ serviceId: SERVICE, date: THURSDAY, applicant: { name: APPLICANT.name } })
    },
    mine: { kind: 'caller', allow: IDENTIFIED, payload: () => ({}) },
    applicants: { kind: 'caller', allow: IDENTIFIED, payload: () => ({}) },
    saveApplicant: {
      kind: 'caller',
      allow: IDENTIFIED,
      payload: () => ({ applicant: { ...APPLICANT, name: '王秀英' }, consent: true })
    },
    // Someone else's common applicant is "not found": it is neither removed nor disclosed.
    removeApplicant: { kind: 'own', allow: RESIDENT, payload: (f) => ({ applicantId: f.savedApplicant }) },
    get: { kind: 'own', allow: RESIDENT, payload: (f) => ({ appointmentId: f.booking }) },
    reschedule: {
      kind: 'own',
      allow: RESIDENT,
      payload: (f) => ({
        appointmentId: f.booking,
        slotId: slot(THURSDAY, '1030'),
        requestId: 'rq-matrix-move'
      })
    },
    cancel: { kind: 'own', allow: RESIDENT, payload: (f) => ({ appointmentId: f.booking }) },
    joinWaitlist: {
      kind: 'caller',
      allow: IDENTIFIED,
      payload: (f) => ({
        serviceId: 'svc-idcard-renew',
        slotId: f.fullSlot,
        applicant: { ...APPLICANT, name: '王秀英' },
        consent: true
      })
    },
    // Someone else's waitlist entry is "not found": it is neither left nor disclosed.
    leaveWaitlist: { kind: 'own', allow: RESIDENT, payload: (f) => ({ entryId: f.waitlistEntry }) },
    myWaitlist: { kind: 'caller', allow: IDENTIFIED, payload: () => ({}) }
  },
  notify: {
    inbox: {
      kind: 'caller',
      allow: IDENTIFIED,
      payload: () => ({}),
      check: (data, who) => (who === 'deactivated' ? inboxHasNoStaffAlert(data) : undefined)
    },
    recordSubscribe: {
      kind: 'caller',
      allow: IDENTIFIED,
      payload: () => ({ results: { bookingConfirmed: 'accept' } })
    },
    grants: { kind: 'caller', allow: IDENTIFIED, payload: () => ({}) }
  },
  station: {
    // The holiday table is no one's personal data: every active member of staff may read it.
    calendars: {
      kind: 'staff',
      allow: ['officer', 'officerElsewhere', 'leader', 'supervisor'],
      payload: () => ({})
    },
    saveCalendarYear: {
      kind: 'staff',
      allow: ['supervisor'],
      payload: () => ({
        year: 2027,
        days: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }],
        source: '国务院办公厅通知（测试）'
      })
    },
    confirmCalendarYear: { kind: 'staff', allow: ['supervisor'], payload: () => ({ year: 2026 }) },
    closures: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: () => ({ stationId: STATION, from: MONDAY, to: '2026-09-30' })
    },
    addClosure: {
      kind: 'staff',
      allow: LEADERS,
      payload: () => ({
        requestId: RID,
        stationId: STATION,
        date: '2026-09-24',
        start: '16:00',
        end: '17:00',
        reason: '系统升级'
      })
    }
  },
  requests: {
    submit: {
      kind: 'caller',
      allow: IDENTIFIED,
      payload: () => ({
        requestId: RID,
        kind: 'after_hours',
        category: 'certificate',
        description: '白天上班，想傍晚开户籍证明',
        contactName: '王芳',
        mobile: '13812345678',
        stationId: STATION
      })
    },
    mine: { kind: 'caller', allow: IDENTIFIED, payload: () => ({}) },
    get: { kind: 'own', allow: RESIDENT, payload: (f) => ({ id: f.request }) },
    open: { kind: 'staff', scoped: true, allow: STATION_STAFF, payload: () => ({ stationId: STATION }) },
    history: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: () => ({ stationId: STATION, period: 'week' })
    },
    accept: {
      kind: 'staff',
      scoped: true,
      allow: OFFICER_OR_LEADER,
      payload: (f, who) => ({
        id: who === 'leader' ? f.requestForLeader : f.request,
        agreedAt: iso(`${TODAY}T15:00:00`),
        place: '户政窗口'
      })
    },
    decline: {
      kind: 'staff',
      scoped: true,
      allow: OFFICER_OR_LEADER,
      payload: (f, who) => ({
        id: who === 'leader' ? f.toDeclineByLeader : f.toDecline,
        reason: '傍晚窗口已约满',
        alternative: '请预约明天中午的延时服务'
      })
    },
    // The officer who accepted it finishes it; the leader's call is then a retry of a finished one.
    done: {
      kind: 'staff',
      scoped: true,
      allow: OFFICER_OR_LEADER,
      payload: (f) => ({ id: f.acceptedByOfficer, note: '已办结' })
    },
    assign: {
      kind: 'staff',
      allow: ['leader'],
      payload: (f) => ({
        id: f.homeVisit,
        officerStaffId: 'staff-officer-li',
        visitAt: iso(`${WEDNESDAY}T10:00:00`)
      })
    }
  },
  staff: {
    me: {
      kind: 'caller',
      allow: IDENTIFIED,
      payload: () => ({}),
      check: (data, who) =>
        who === 'deactivated' && (data as { role: string }).role !== 'resident'
          ? `a deactivated officer is still ${(data as { role: string }).role}`
          : undefined
    },
    createInvite: { kind: 'staff', allow: LEADERS, payload: () => ({ role: 'officer' }) },
    // Residents bind their own new invite; staff already are; a stopped officer's own used invite
    // does not bring them back (a new one would).
    bindInvite: {
      kind: 'caller',
      allow: ['resident', 'otherResident'],
      refuse: {
        officer: 'ALREADY_STAFF',
        officerElsewhere: 'ALREADY_STAFF',
        leader: 'ALREADY_STAFF',
        supervisor: 'ALREADY_STAFF',
        deactivated: 'STAFF_DEACTIVATED'
      },
      payload: (f, who) => ({
        code:
          who === 'resident'
            ? f.invites.resident
            : who === 'otherResident'
              ? f.invites.otherResident
              : who === 'deactivated'
                ? f.invites.deactivatedOwn
                : f.invites.spare,
        name: '新同事',
        mobile: '13900000188'
      }),
      check: (data) =>
        (data as { role: string }).role === 'officer'
          ? undefined
          : `bound as ${(data as { role: string }).role}`,
      last: 2
    },
    // Any active member of staff, their own record only (there is no staff id to name).
    setMobile: {
      kind: 'staff',
      allow: ['officer', 'officerElsewhere', 'leader', 'supervisor'],
      payload: (_f, who) => ({ mobile: STAFF_MOBILES[who] })
    },
    roster: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: () => ({ stationId: STATION, from: MONDAY, to: '2026-09-20' })
    },
    setRosterDay: {
      kind: 'staff',
      allow: LEADERS,
      payload: () => ({
        stationId: STATION,
        date: '2026-09-22',
        shifts: [{ start: '08:00', end: '20:00', staffIds: ['staff-officer-li'] }]
      })
    },
    setRosterWeek: {
      kind: 'staff',
      allow: LEADERS,
      payload: () => ({ stationId: STATION, week: '2026-09-28', days: [[], [], [], [], [], [], []] })
    },
    copyRosterWeek: {
      kind: 'staff',
      allow: LEADERS,
      payload: () => ({ stationId: STATION, from: '2026-09-21', week: '2026-10-05' })
    },
    onDuty: { kind: 'staff', scoped: true, allow: STATION_STAFF, payload: () => ({ stationId: STATION }) },
    workbench: { kind: 'staff', scoped: true, allow: STATION_STAFF, payload: () => ({ stationId: STATION }) },
    today: { kind: 'staff', scoped: true, allow: STATION_STAFF, payload: () => ({ stationId: STATION }) },
    // Another station's booking code is as unknown as a mistyped one.
    checkIn: {
      kind: 'staff',
      allow: STATION_STAFF,
      refuse: { officerElsewhere: 'CODE_UNKNOWN' },
      payload: (f, who) => ({
        code: who === 'leader' ? f.codes.leader : who === 'supervisor' ? f.codes.supervisor : f.codes.officer
      })
    },
    start: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (f) => ({ appointmentId: f.started })
    },
    finish: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (f) => ({ appointmentId: f.finished, note: '已出具证明' })
    },
    noShow: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (f) => ({ appointmentId: f.noShow })
    },
    audit: {
      kind: 'staff',
      allow: LEADERS,
      payload: () => ({ stationId: STATION, from: MONDAY, to: TODAY })
    },
    deactivate: {
      kind: 'staff',
      allow: LEADERS,
      payload: (f) => ({ staffId: f.spareStaffId, reason: '调离本所' }),
      last: 1
    }
  },
  rating: {
    case: { kind: 'own', allow: RESIDENT, payload: (f) => ({ caseKind: 'appointment', caseId: f.caseA }) },
    rate: {
      kind: 'own',
      allow: RESIDENT,
      payload: (f) => ({ requestId: RID, caseKind: 'appointment', caseId: f.caseC, level: 'satisfied' })
    },
    pending: { kind: 'caller', allow: IDENTIFIED, payload: () => ({}) },
    mine: { kind: 'caller', allow: IDENTIFIED, payload: () => ({}) },
    list: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: () => ({ ...period, stationId: STATION })
    },
    followUps: { kind: 'staff', allow: LEADERS, payload: () => ({ stationId: STATION }) },
    // A second identical call is a retry: the same answer.
    callBack: {
      kind: 'staff',
      allow: LEADERS,
      payload: (f) => ({ followUpId: f.followUpA, note: '已电话回访，居民说明了等候情况' })
    },
    reply: {
      kind: 'staff',
      allow: LEADERS,
      payload: (f) => ({
        followUpId: f.followUpA,
        finding: 'partly',
        rectification: '高峰时段增开一个窗口',
        reply: '感谢您的意见，高峰时段已增开窗口'
      })
    },
    rateRectification: {
      kind: 'own',
      allow: RESIDENT,
      payload: (f) => ({ followUpId: f.followUpA, level: 'satisfied' })
    },
    exclude: {
      kind: 'staff',
      allow: LEADERS,
      payload: (f) => ({ ratingId: f.ratingA, reason: '居民来电说明评价时选错了等级' })
    },
    dashboard: { kind: 'staff', allow: LEADERS, payload: () => ({ ...period, stationId: STATION }) },
    export: { kind: 'staff', allow: LEADERS, payload: () => ({ ...period, stationId: STATION }) },
    rollup: {
      kind: 'staff',
      allow: ['supervisor'],
      payload: () => ({ from: MONDAY, to: TODAY, stationId: STATION })
    }
  },
  feedback: {
    submit: {
      kind: 'caller',
      allow: IDENTIFIED,
      payload: () => ({
        requestId: RID,
        stationId: STATION,
        kind: 'suggestion',
        content: '建议周六上午也开放办理身份证',
        anonymous: true
      })
    },
    mine: { kind: 'caller', allow: IDENTIFIED, payload: () => ({}) },
    list: { kind: 'staff', allow: LEADERS, payload: () => ({ stationId: STATION }) },
    reply: {
      kind: 'staff',
      allow: LEADERS,
      payload: (f, who) => ({
        id: who === 'supervisor' ? f.feedbackForSupervisor : f.feedback,
        reply: '感谢您的建议，已作安排'
      })
    },
    ask: {
      kind: 'caller',
      allow: IDENTIFIED,
      payload: () => ({ requestId: RID, stationId: STATION, question: '身份证丢了怎么补办？' })
    },
    myQuestions: { kind: 'caller', allow: IDENTIFIED, payload: () => ({}) },
    questions: { kind: 'staff', scoped: true, allow: STATION_STAFF, payload: () => ({ stationId: STATION }) },
    openQuestion: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (f) => ({ id: f.questionAsked })
    },
    // 首问责任: only the officer who opened it answers.
    answer: {
      kind: 'staff',
      allow: ['officer'],
      refuse: { leader: 'NOT_OWNER', supervisor: 'NOT_OWNER' },
      payload: (f) => ({ id: f.questionOwned, answer: '请携带户口簿到窗口办理，当场受理' })
    },
    // The owner hands it on; the leader hands it back.
    transfer: {
      kind: 'staff',
      allow: OFFICER_OR_LEADER,
      payload: (f, who) =>
        who === 'leader'
          ? { id: f.questionToTransfer, toStaffId: 'staff-officer-li', reason: '李警官熟悉此类业务' }
          : { id: f.questionToTransfer, toStaffId: 'staff-officer-zhao', reason: '赵警官负责户口迁移' }
    }
  },
  queue: {
    lines: { kind: 'public', allow: EVERYONE, payload: () => ({ stationId: STATION }) },
    screen: { kind: 'public', allow: EVERYONE, payload: () => ({ stationId: STATION }) },
    // Line B: the resident holds a number in line A already (one per line while holding one).
    take: {
      kind: 'caller',
      allow: IDENTIFIED,
      payload: () => ({ requestId: RID, stationId: STATION, line: 'B' })
    },
    mine: { kind: 'caller', allow: IDENTIFIED, payload: () => ({}) },
    status: { kind: 'own', allow: RESIDENT, payload: (f) => ({ ticketId: f.queue.mine }) },
    board: { kind: 'staff', scoped: true, allow: STATION_STAFF, payload: () => ({ stationId: STATION }) },
    recall: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (f) => ({ stationId: STATION, ticketId: f.queue.recall })
    },
    start: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (f, who) => ({ stationId: STATION, ticketId: f.queue.start[queueCell(who)] })
    },
    finish: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (f, who) => ({ stationId: STATION, ticketId: f.queue.finish[queueCell(who)] })
    },
    skip: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (f, who) => ({ stationId: STATION, ticketId: f.queue.skip[queueCell(who)] })
    },
    transfer: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (f, who) => ({ stationId: STATION, ticketId: f.queue.transfer[queueCell(who)], line: 'B' })
    },
    // After transfer: the waiting numbers left in line A are the resident's and two more.
    callNext: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (_f, who) => ({ stationId: STATION, line: 'A', window: queueCell(who) + 1 })
    }
  },
  prereview: {
    start: { kind: 'caller', allow: IDENTIFIED, payload: () => ({ serviceId: PR_SERVICE }) },
    get: { kind: 'own', allow: RESIDENT, payload: (f) => ({ id: f.prereview.draft }) },
    mine: { kind: 'caller', allow: IDENTIFIED, payload: () => ({}) },
    // Linked already to that booking (since cancelled by the appointment rows): answered as it is.
    link: {
      kind: 'own',
      allow: RESIDENT,
      payload: (f) => ({ id: f.prereview.draft, appointmentId: f.prereview.appointmentId })
    },
    attach: {
      kind: 'own',
      allow: RESIDENT,
      payload: (f) => ({ id: f.prereview.draft, itemKey: 'm0', fileID: f.prereview.upload })
    },
    removePhoto: {
      kind: 'own',
      allow: RESIDENT,
      payload: (f) => ({ id: f.prereview.draft, itemKey: 'm1', fileID: f.prereview.attached })
    },
    submit: { kind: 'own', allow: RESIDENT, payload: (f) => ({ id: f.prereview.ready }) },
    withdraw: { kind: 'own', allow: RESIDENT, payload: (f) => ({ id: f.prereview.toWithdraw }) },
    queue: { kind: 'staff', scoped: true, allow: STATION_STAFF, payload: () => ({ stationId: STATION }) },
    open: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (f) => ({ stationId: STATION, id: f.prereview.submitted[0] })
    },
    review: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (f, who) => ({
        stationId: STATION,
        id: f.prereview.submitted[queueCell(who)],
        round: 1,
        verdicts: [
          { itemKey: 'm0', verdict: 'ok' },
          { itemKey: 'm1', verdict: 'ok' }
        ]
      })
    }
  },
  cards: {
    mine: { kind: 'caller', allow: IDENTIFIED, payload: () => ({}) },
    // Each identity follows a card of its own (a card has one follower).
    follow: {
      kind: 'caller',
      allow: IDENTIFIED,
      payload: (f, who) => ({ receipt: f.cards.follow[who], idNumber: CARD_HOLDER_ID })
    },
    // Someone else's card is "not found": its delivery is neither changed nor disclosed.
    choose: { kind: 'own', allow: RESIDENT, payload: (f) => ({ cardId: f.cards.mine, delivery: 'pickup' }) },
    accept: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (_f, who) => ({
        stationId: STATION,
        receipt: `MXACCEPT${WHO.indexOf(who)}`,
        holder: { name: '赵丽华', idNumber: CARD_HOLDER_ID }
      })
    },
    // The first allowed cell moves it; the next are told it is already there (still ok).
    batch: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (f) => ({ stationId: STATION, stage: 'making', receipts: [f.cards.batch] })
    },
    pickUp: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (f, who) => ({ stationId: STATION, receipt: f.cards.ready[queueCell(who)] })
    },
    post: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (f, who) => ({
        stationId: STATION,
        receipt: f.cards.postal[queueCell(who)],
        tracking: 'SF1234567890'
      })
    },
    list: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: () => ({ stationId: STATION, stage: 'ready' })
    },
    address: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (f) => ({ stationId: STATION, cardId: f.cards.postalId })
    },
    // The first allowed cell clears the follower; the next find none to clear (still ok).
    unfollow: {
      kind: 'staff',
      scoped: true,
      allow: STATION_STAFF,
      payload: (f) => ({ stationId: STATION, cardId: f.cards.unfollow })
    }
  }
}

/** The holder of the matrix's ID cards (a valid number: its check character computed). */
const CARD_HOLDER_ID = ((first17: string) => `${first17}${idCheckCharacter(first17)}`)('42032219920101456')

/** Which of a queue row's fixtures a staff cell uses (one each, as each call changes its number). */
function queueCell(who: Who): number {
  return Math.max(0, (['officer', 'leader', 'supervisor'] as Who[]).indexOf(who))
}

interface Row extends Spec {
  fn: FunctionName
  action: string
}

const ROWS: Row[] = (() => {
  const all = FUNCTION_NAMES.flatMap((fn) =>
    Object.entries(MATRIX[fn] as Record<string, Spec>).map(([action, spec]) => ({ fn, action, ...spec }))
  )
  return [
    ...all.filter((r) => !r.last),
    ...all.filter((r) => r.last === 1),
    ...all.filter((r) => r.last === 2)
  ]
})()

/* ---------- running a row ---------- */

async function runRow(row: Row): Promise<string[]> {
  const problems: string[] = []
  const cell = (who: Who) => `${row.fn}.${row.action} as ${who}`
  const refused = WHO.filter((w) => !row.allow.includes(w))

  // The refusals, at once: none may write anything, the audit log included.
  const before = snapshot(cloud)
  const answers = await Promise.all(refused.map((who) => call(row.fn, row.action, row.payload(F, who), who)))
  const written = changes(before, snapshot(cloud))
  refused.forEach((who, i) => {
    const res = answers[i] as Result<unknown>
    const given = row.refuse?.[who]
    const expected =
      given === undefined ? defaultRefusal(row.kind, who) : typeof given === 'string' ? [given] : given
    if (!expected.includes(outcome(res) as ErrorCode))
      problems.push(
        `${cell(who)}: expected ${expected.join('|')}, got ${outcome(res)}${res.ok ? ` ${JSON.stringify(res.data).slice(0, 160)}` : ''}`
      )
    else if (
      row.scoped &&
      who === 'officerElsewhere' &&
      !res.ok &&
      res.error.message !== OUT_OF_STATION_MESSAGE
    )
      problems.push(`${cell(who)}: the station-scope refusal said "${res.error.message}"`)
  })
  if (written.length)
    problems.push(
      `${row.fn}.${row.action}: refused calls (${refused.join(', ')}) wrote ${written.slice(0, 10).join(', ')}${written.length > 10 ? ` and ${written.length - 10} more` : ''}`
    )

  // The allowed cells, one after another (some write, each on its own fixture).
  for (const who of row.allow) {
    const res = await call(row.fn, row.action, row.payload(F, who), who)
    if (!res.ok) problems.push(`${cell(who)}: expected ok, got ${res.error.code} (${res.error.message})`)
    else {
      const wrong = row.check?.(res.data, who)
      if (wrong) problems.push(`${cell(who)}: ${wrong}`)
    }
  }
  return problems
}

/* ---------- fixtures, through the functions ---------- */

async function book(openid: string, date: string, hhmm: string) {
  const res = await call(
    'appointment',
    'book',
    {
      requestId: `rq-matrix-${openid}-${date}`.slice(0, 64),
      serviceId: SERVICE,
      slotId: slot(date, hhmm),
      applicant: APPLICANT,
      consent: true
    },
    openid
  )
  return ok(res) as { _id: string; code: string }
}

async function serve(a: { _id: string; code: string }) {
  ok(await call('staff', 'checkIn', { code: a.code }, 'officer'))
  ok(await call('staff', 'finish', { appointmentId: a._id }, 'officer'))
}

async function submitRequest(openid: string, extra: Record<string, unknown>) {
  const base = {
    requestId: `rq-matrix-${openid}`,
    kind: 'emergency',
    category: 'temp_id_travel',
    description: '明早出差急需临时身份证',
    contactName: '赵丽华',
    mobile: '13955554444',
    stationId: STATION
  }
  return (ok(await call('requests', 'submit', { ...base, ...extra }, openid)) as { _id: string })._id
}

async function invite() {
  return (ok(await call('staff', 'createInvite', { role: 'officer' }, 'leader')) as { code: string }).code
}

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.store.commit([
    {
      coll: 'stations',
      id: OTHER_STATION,
      doc: {
        ...(structuredClone(stations[0]) as unknown as Doc),
        _id: OTHER_STATION,
        name: '云溪县公安局河西派出所户政窗口',
        shortName: '河西派出所户政窗口'
      }
    },
    {
      coll: 'staff',
      id: 'staff-matrix-elsewhere',
      doc: {
        _id: 'staff-matrix-elsewhere',
        openid: OPENID.officerElsewhere,
        name: '外所民警',
        role: 'officer',
        stationId: OTHER_STATION,
        active: true
      }
    },
    {
      coll: 'staff',
      id: 'staff-matrix-spare',
      doc: {
        _id: 'staff-matrix-spare',
        openid: 'officer-matrix-spare',
        name: '钱警官',
        role: 'officer',
        stationId: STATION,
        active: true
      }
    }
  ])
  const R = OPENID.resident

  // Friday: case C, finished, not yet rated.
  at(`${FRIDAY}T09:00:00`)
  const caseC = await book(R, FRIDAY, '1430')
  at(`${FRIDAY}T14:30:00`)
  await serve(caseC)

  // Monday morning: invites; an officer who joins (and later leaves) is on duty when the
  // resident's emergency comes in, so an alert quoting the resident reaches their inbox.
  at(`${MONDAY}T08:30:00`)
  const [deactivatedOwn, inviteResident, inviteOther, spare] = [
    await invite(),
    await invite(),
    await invite(),
    await invite()
  ]
  const gone = ok(
    await call(
      'staff',
      'bindInvite',
      { code: deactivatedOwn, name: '孙警官', mobile: STAFF_MOBILES.deactivated },
      'deactivated'
    )
  ) as { staffId: string }
  onDutyAllDay(cloud, STATION, [gone.staffId, 'staff-officer-li'], cloud.clock.now())

  const caseA = await book(R, MONDAY, '1430')
  const booking = await book(R, THURSDAY, '1000')
  // Today's queue, other residents' bookings (one a day each).
  const noShow = await book('r-matrix-q1', TODAY, '0900')
  const started = await book('r-matrix-q2', TODAY, '0930')
  const finished = await book('r-matrix-q3', TODAY, '0930')
  const ci = [
    await book('r-matrix-q4', TODAY, '1000'),
    await book('r-matrix-q5', TODAY, '1000'),
    await book('r-matrix-q6', TODAY, '1030')
  ]

  const request = await submitRequest(R, {
    category: 'death_cremation',
    description: '家中老人今天去世，明早火化需要死亡证明',
    contactName: '王芳',
    mobile: '13812345678'
  })
  const requestForLeader = await submitRequest('r-matrix-q7', {})
  const toDecline = await submitRequest('r-matrix-q8', {
    kind: 'after_hours',
    category: 'certificate',
    description: '想晚上开户籍证明'
  })
  const toDeclineByLeader = await submitRequest('r-matrix-q9', {
    kind: 'after_hours',
    category: 'certificate',
    description: '想周末开户籍证明'
  })
  const acceptedByOfficer = await submitRequest('r-matrix-q10', {})
  const homeVisit = await submitRequest('r-matrix-q11', {
    kind: 'home_visit',
    category: 'id_card',
    description: '母亲92岁卧床，身份证到期需换领',
    address: '云溪县城关镇幸福路8号3单元'
  })
  ok(
    await call(
      'requests',
      'accept',
      { id: acceptedByOfficer, agreedAt: iso(`${TODAY}T15:00:00`), place: '户政窗口' },
      'officer'
    )
  )

  const entry = {
    stationId: STATION,
    kind: 'complaint',
    content: '窗口午休时间太长，排队的人没人管',
    anonymous: false,
    contactName: '王芳',
    mobile: '13812345678'
  }
  const feedback = (
    ok(await call('feedback', 'submit', { ...entry, requestId: 'rq-matrix-fb1' }, R)) as { _id: string }
  )._id
  const feedbackForSupervisor = (
    ok(await call('feedback', 'submit', { ...entry, requestId: 'rq-matrix-fb2' }, R)) as { _id: string }
  )._id
  const ask = async (n: number) =>
    (
      ok(
        await call(
          'feedback',
          'ask',
          { requestId: `rq-matrix-qs${n}`, stationId: STATION, question: `户口迁移需要哪些材料？（${n}）` },
          R
        )
      ) as { _id: string }
    )._id
  const [questionAsked, questionOwned, questionToTransfer] = [await ask(1), await ask(2), await ask(3)]
  ok(await call('feedback', 'openQuestion', { id: questionOwned }, 'officer'))
  ok(await call('feedback', 'openQuestion', { id: questionToTransfer }, 'officer'))

  // Monday afternoon: case A is served and rated badly (a follow-up opens); the officer leaves.
  at(`${MONDAY}T14:30:00`)
  await serve(caseA)
  at(`${MONDAY}T16:00:00`)
  const ratingA = (
    ok(
      await call(
        'rating',
        'rate',
        {
          requestId: 'rq-matrix-rate-a',
          caseKind: 'appointment',
          caseId: caseA._id,
          level: 'unsatisfied',
          comment: '排队太久'
        },
        R
      )
    ) as { _id: string }
  )._id
  const followUpA = cloud.store.docs('followUps').find((d) => d.ratingId === ratingA)?._id
  if (!followUpA) throw new Error('the bad review opened no follow-up')
  ok(await call('staff', 'deactivate', { staffId: gone.staffId, reason: '调离本所' }, 'leader'))

  // Tuesday: two of today's residents are checked in; then the fixed instant, the day officer on duty.
  at(`${TODAY}T09:30:00`)
  ok(await call('staff', 'checkIn', { code: started.code }, 'officer'))
  ok(await call('staff', 'checkIn', { code: finished.code }, 'officer'))
  at(NOW)
  onDutyAllDay(cloud, STATION, ['staff-officer-li'], cloud.clock.now())

  const saved = ok(
    await call(
      'appointment',
      'saveApplicant',
      { applicant: { ...APPLICANT, name: '王建国' }, consent: true },
      R
    )
  ) as { _id: string }

  // Thursday 09:00 in the capture room (one place) is taken; the resident waits for it.
  const fullSlot = `${STATION}_${THURSDAY}_0900_capture`
  const idCard = { serviceId: 'svc-idcard-renew', slotId: fullSlot, consent: true }
  ok(
    await call(
      'appointment',
      'book',
      { ...idCard, requestId: 'rq-matrix-full', applicant: APPLICANT },
      'r-matrix-full'
    )
  )
  const waitlistEntry = (
    ok(
      await call('appointment', 'joinWaitlist', { ...idCard, applicant: { ...APPLICANT, name: '王建国' } }, R)
    ) as {
      _id: string
    }
  )._id

  // Today's queue, line A: ten numbers called (to start, finish, skip after three calls, recall),
  // then the resident's, three to move to line B and two more waiting for callNext.
  const taken: string[] = []
  const takeA = async (openid: string) =>
    taken.push(
      (
        ok(
          await call(
            'queue',
            'take',
            { requestId: `rq-matrix-q-${openid}`, stationId: STATION, line: 'A' },
            openid
          )
        ) as { ticketId: string }
      ).ticketId
    )
  for (let i = 1; i <= 10; i++) await takeA(`r-matrix-line-${i}`)
  for (let i = 1; i <= 10; i++)
    ok(await call('queue', 'callNext', { stationId: STATION, line: 'A', window: 1 }, 'officer'))
  for (const id of taken.slice(6, 9))
    for (let i = 0; i < 2; i++)
      ok(await call('queue', 'recall', { stationId: STATION, ticketId: id }, 'officer'))
  await takeA(R)
  for (let i = 11; i <= 15; i++) await takeA(`r-matrix-line-${i}`)

  // 制证进度: walk-in cards accepted by the officer; the resident follows some and chooses post.
  const cardReceipts = {
    mine: 'MXMINE0001',
    ready: ['MXREADY001', 'MXREADY002', 'MXREADY003'],
    postal: ['MXPOST0001', 'MXPOST0002', 'MXPOST0003', 'MXPOST0004'],
    unfollow: 'MXUNFOLLOW1',
    batch: 'MXBATCH001',
    follow: Object.fromEntries(WHO.map((w, i) => [w, `MXFOLLOW0${i}`])) as Record<Who, string>
  }
  const cardIds: Record<string, string> = {}
  for (const receipt of [
    cardReceipts.mine,
    ...cardReceipts.ready,
    ...cardReceipts.postal,
    cardReceipts.batch,
    cardReceipts.unfollow,
    ...Object.values(cardReceipts.follow)
  ])
    cardIds[receipt] = (
      ok(
        await call(
          'cards',
          'accept',
          { stationId: STATION, receipt, holder: { name: '赵丽华', idNumber: CARD_HOLDER_ID } },
          'officer'
        )
      ) as { cardId: string }
    ).cardId
  for (const receipt of [cardReceipts.mine, ...cardReceipts.postal, cardReceipts.unfollow])
    ok(await call('cards', 'follow', { receipt, idNumber: CARD_HOLDER_ID }, R))
  const address = {
    recipient: '王芳',
    mobile: '13812345678',
    region: '湖北省十堰市郧西县',
    street: '城关镇人民路88号'
  }
  for (const receipt of cardReceipts.postal)
    ok(await call('cards', 'choose', { cardId: cardIds[receipt], delivery: 'post', address }, R))
  const toReady = [...cardReceipts.ready, ...cardReceipts.postal]
  ok(await call('cards', 'batch', { stationId: STATION, stage: 'making', receipts: toReady }, 'officer'))
  ok(await call('cards', 'batch', { stationId: STATION, stage: 'ready', receipts: toReady }, 'officer'))

  // 材料预审: photos uploaded as the app does, into the folder each pre-review was given.
  const uploadTo = async (openid: string, folder: string, name: string) => {
    const jpeg = Buffer.alloc(4000, 0x5a)
    jpeg.set([0xff, 0xd8, 0xff, 0xe0], 0)
    const res = await fetch(
      `${cloud.url}/api/storage/upload?cloudPath=${encodeURIComponent(`${folder}${name}.jpg`)}`,
      { method: 'POST', headers: { 'x-local-openid': openid }, body: jpeg }
    )
    return ((await res.json()) as { fileID: string }).fileID
  }
  type PrView = { _id: string; uploadFolder: string }
  const prStart = async (openid: string, serviceId: string, appointmentId?: string) =>
    ok(
      await call('prereview', 'start', { serviceId, ...(appointmentId ? { appointmentId } : {}) }, openid)
    ) as PrView
  const prAttach = async (openid: string, v: PrView, itemKey: string) => {
    const fileID = await uploadTo(openid, v.uploadFolder, `${itemKey}-fixture`)
    ok(await call('prereview', 'attach', { id: v._id, itemKey, fileID }, openid))
    return fileID
  }
  const prDraft = await prStart(R, PR_SERVICE, booking._id)
  const prAttached = await prAttach(R, prDraft, 'm1')
  const prUpload = await uploadTo(R, prDraft.uploadFolder, 'm0-spare')
  const prReady = await prStart(R, PR_TWO_ITEMS)
  for (const key of ['m0', 'm1']) await prAttach(R, prReady, key)
  const prWithdraw = await prStart(R, 'svc-reg-move-out')
  const prSubmitted: string[] = []
  for (const n of [1, 2, 3]) {
    const openid = `r-matrix-pr-${n}`
    const v = await prStart(openid, PR_TWO_ITEMS)
    for (const key of ['m0', 'm1']) await prAttach(openid, v, key)
    ok(await call('prereview', 'submit', { id: v._id }, openid))
    prSubmitted.push(v._id)
  }

  F = {
    prereview: {
      draft: prDraft._id,
      attached: prAttached,
      upload: prUpload,
      appointmentId: booking._id,
      ready: prReady._id,
      toWithdraw: prWithdraw._id,
      submitted: prSubmitted
    },
    cards: {
      ...cardReceipts,
      mine: cardIds[cardReceipts.mine] as string,
      // Not posted by the post row: reading an address is for a card still to be posted.
      postalId: cardIds['MXPOST0004'] as string,
      unfollow: cardIds[cardReceipts.unfollow] as string
    },
    queue: {
      start: taken.slice(0, 3),
      finish: taken.slice(3, 6),
      skip: taken.slice(6, 9),
      recall: taken[9] as string,
      mine: taken[10] as string,
      transfer: taken.slice(11, 14)
    },
    booking: booking._id,
    savedApplicant: saved._id,
    fullSlot,
    waitlistEntry,
    caseA: caseA._id,
    caseC: caseC._id,
    ratingA,
    followUpA,
    request,
    requestForLeader,
    toDecline,
    toDeclineByLeader,
    acceptedByOfficer,
    homeVisit,
    noShow: noShow._id,
    started: started._id,
    finished: finished._id,
    codes: {
      officer: (ci[0] as { code: string }).code,
      leader: (ci[1] as { code: string }).code,
      supervisor: (ci[2] as { code: string }).code
    },
    feedback,
    feedbackForSupervisor,
    questionAsked,
    questionOwned,
    questionToTransfer,
    invites: { resident: inviteResident, otherResident: inviteOther, spare, deactivatedOwn },
    spareStaffId: 'staff-matrix-spare'
  }
}, 120_000)

afterAll(async () => {
  await cloud?.close()
})

/* ---------- the tests ---------- */

describe('the table', () => {
  test('has one row for every function and action of the contract, and nothing else', () => {
    const inContract = FUNCTION_NAMES.flatMap((fn) =>
      Object.keys(contract[fn]).map((a) => `${fn}.${a}`)
    ).sort()
    const inTable = ROWS.map((r) => `${r.fn}.${r.action}`)
    expect([...inTable].sort()).toEqual(inContract)
    expect(new Set(inTable).size).toBe(inTable.length)
  })

  test('every expected refusal is a coded refusal: never INTERNAL, INVALID_INPUT or UNKNOWN_ACTION', () => {
    for (const row of ROWS) {
      for (const who of WHO.filter((w) => !row.allow.includes(w))) {
        const given = row.refuse?.[who]
        const codes =
          given === undefined ? defaultRefusal(row.kind, who) : typeof given === 'string' ? [given] : given
        for (const c of codes) {
          expect(ERROR_CODES).toContain(c)
          expect(['INTERNAL', 'INVALID_INPUT', 'UNKNOWN_ACTION', 'BUSY', 'NETWORK']).not.toContain(c)
        }
      }
    }
  })

  test('the fixtures are what the rows assume', () => {
    // The deactivated officer was alerted about the resident's emergency before they left.
    expect(
      cloud.store.docs('outbox').some((m) => m.touser === OPENID.deactivated && m.template === 'officerAlert')
    ).toBe(true)
    expect(cloud.store.docs('staff').find((s) => s.openid === OPENID.deactivated)).toMatchObject({
      active: false
    })
    expect(cloud.store.get('followUps', F.followUpA)).toMatchObject({ status: 'open' })
  })
})

describe('a timer-shaped event from the app is refused with TIMER_ONLY and writes nothing', () => {
  const TRIGGERS: Partial<Record<FunctionName, string>> = { notify: 'everyMinute', rating: 'hourlyRollup' }
  test.each(FUNCTION_NAMES.map((fn) => [fn]))('%s, from every identity', async (fn) => {
    const trigger = TRIGGERS[fn]
    const event = trigger
      ? { Type: 'Timer', TriggerName: trigger, Time: new Date(cloud.clock.now()).toISOString(), Message: '' }
      : { Type: 'Timer' }
    const before = snapshot(cloud)
    const answers = await Promise.all(
      WHO.map(
        async (who) => [who, await callFunction<Result<unknown>>(cloud, fn, event, OPENID[who])] as const
      )
    )
    expect(
      answers.map(([who, res]) => `${who}: ${res.status} ${res.status === 200 ? outcome(res.body) : ''}`)
    ).toEqual(WHO.map((who) => `${who}: 200 TIMER_ONLY`))
    expect(changes(before, snapshot(cloud))).toEqual([])
  })
})

describe('every function × action × identity', () => {
  test.each(ROWS.map((r) => [`${r.fn}.${r.action}`, r] as const))('%s', async (_name, row) => {
    expect(await runRow(row)).toEqual([])
  })
})
