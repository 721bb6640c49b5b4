/**
 * requests — 急事求助 (绿色通道), 延时服务 and 上门服务.
 * Residents: `submit` (idempotent by the client's request id), `mine`, `get`.
 * Staff of the request's station (role from the staff collection): `open`, `accept` (exactly one
 * of concurrent accepts wins: a conditional update on status), `decline`, `done`; leaders
 * `assign` a home visit to an officer and a time. Every step tells the resident through the
 * outbox (`requestProgress`); a new request alerts the on-duty officer(s) at once (`officerAlert`,
 * enqueued, then sent right away from here rather than at the next timer tick). Escalation when
 * nobody takes it runs on the notify timer (cloudfunctions/_shared/escalation.ts).
 */
import { pageUrl } from '../../types/routes'
import { maskMobile } from '../../types/identity'
import {
  requestsInputs,
  CATEGORIES_BY_KIND,
  KIND_LABELS,
  MAX_OPEN_REQUESTS,
  MAX_REQUESTS_PER_DAY,
  HISTORY_LIMIT,
  REQUEST_CATEGORIES,
  REQUEST_STATUS_LABELS,
  type HandledRequest,
  type RequestBase,
  type RequestView,
  type StaffRequestView
} from '../../types/requests'
import type { Staff } from '../../types/staff'
import { clipThing } from '../../types/templates'
import { addDays, instantAt, isoWeekday, localDate, localDateTime } from '../../types/time'
import { disclose, discloseOne, personal, type Sealed } from '../_shared/audit'
import { requireStation } from '../_shared/access'
import { getCloud } from '../_shared/cloud'
import {
  collection,
  db,
  idempotentId,
  insertOrGetRaced,
  repo,
  txGet,
  updateIfStatus,
  withTransaction
} from '../_shared/db'
import { iso, optional } from '../_shared/fields'
import { reachOf } from '../_shared/domain/reach'
import {
  acceptMinutes,
  enqueueAlerts,
  firstRecipients,
  stationStaff,
  type RequestDoc
} from '../_shared/escalation'
import type { StationDoc } from '../_shared/documents'
import { AppError, defineFunction } from '../_shared/handler'
import { enqueueWithId, sendNow, type NewMessage, type OutboxRecord } from '../_shared/outbox'
import { ratingInviteMessage } from '../_shared/booking-messages'

const requests = () => collection('requests')
const byId = (id: string) => repo('requests').byId(id)

/** Request ids derive from the caller and the client request id: a retry finds its request. */
const docId = (openid: string, requestId: string) => idempotentId('rq', openid, requestId)

function base(doc: RequestDoc): RequestBase {
  const officer = doc.assignedTo ?? doc.acceptedBy
  const v: RequestBase = {
    _id: doc._id,
    kind: doc.kind,
    kindLabel: KIND_LABELS[doc.kind],
    category: doc.category,
    categoryLabel: REQUEST_CATEGORIES[doc.category],
    description: doc.description,
    contactName: doc.contactName,
    mobileMasked: maskMobile(doc.mobile),
    stationId: doc.stationId,
    status: doc.status,
    statusLabel: REQUEST_STATUS_LABELS[doc.status],
    createdAt: new Date(doc.createdAt).toISOString()
  }
  if (doc.wantedAt) v.wantedAt = iso(doc.wantedAt)
  if (doc.address) v.address = doc.address
  if (doc.agreedAt) v.agreedAt = iso(doc.agreedAt)
  if (doc.place) v.place = doc.place
  if (officer) v.officerName = officer.name
  if (doc.acceptedAt) v.acceptedAt = iso(doc.acceptedAt)
  if (doc.declineReason) v.declineReason = doc.declineReason
  if (doc.alternative) v.alternative = doc.alternative
  if (doc.doneAt) v.doneAt = iso(doc.doneAt)
  if (doc.doneNote) v.doneNote = doc.doneNote
  return v
}

const stationById = (id: string) => repo('stations').byId(id)

/**
 * The resident's views, with `reach` from the alerts' outcomes (one query for all the requests
 * still waiting) and the station's duty phone.
 */
async function views(docs: readonly RequestDoc[], now: Date, known?: StationDoc): Promise<RequestView[]> {
  const waiting = docs.filter((d) => d.status === 'submitted' && !d.seenAt).map((d) => d._id)
  const _ = db().command
  const [alerts, stations] = await Promise.all([
    waiting.length
      ? db()
          .collection<OutboxRecord>('outbox')
          .where({ 'ref.id': _.in(waiting), template: 'officerAlert' })
          .field({ ref: true, status: true, sms: true, smsStatus: true, smsAt: true })
          .limit(1000)
          .get()
          .then((r) => r.data)
      : Promise.resolve([] as OutboxRecord[]),
    Promise.all(
      [...new Set(docs.map((d) => d.stationId))].map(async (id) =>
        known?._id === id ? known : await stationById(id)
      )
    )
  ])
  const phones = new Map(
    stations.filter((s): s is StationDoc => s !== null).map((s) => [s._id, s.dutyPhone ?? s.consultPhone])
  )
  return docs.map((doc) => ({
    ...base(doc),
    reach: reachOf(
      doc,
      alerts
        .filter((a) => a.ref.id === doc._id)
        .map((a) => ({
          status: a.status,
          hasSms: a.sms !== undefined,
          smsStatus: a.smsStatus,
          smsAt: a.smsAt
        })),
      now
    ),
    dutyPhone: phones.get(doc.stationId) ?? '',
    asOf: now.toISOString()
  }))
}

async function view(doc: RequestDoc, now: Date, known?: StationDoc): Promise<RequestView> {
  return (await views([doc], now, known))[0] as RequestView
}

/**
 * What staff see of a request (contact, full mobile, description, address): sealed until audited.
 * With the station's accept minutes, a request still waiting says by when it should be taken.
 */
function staffView(doc: RequestDoc, minutes?: number): Sealed<StaffRequestView> {
  return personal('requests', doc, {
    ...base(doc),
    mobile: doc.mobile,
    ...optional({ acceptedByStaffId: doc.acceptedBy?.staffId, assignedStaffId: doc.assignedTo?.staffId }),
    escalations: (doc.escalations ?? [])
      .filter((e) => e.round > 0)
      .map((e) => ({ round: e.round, at: new Date(e.at).toISOString(), names: e.names })),
    ...optional({
      nextEscalationAt: doc.status === 'submitted' && iso(doc.nextEscalationAt),
      acceptBy:
        doc.status === 'submitted' &&
        minutes !== undefined &&
        new Date(new Date(doc.createdAt).getTime() + minutes * 60_000).toISOString()
    })
  })
}

/** A closed request for the history: no contact, mobile, address or description (no audit needed). */
function handled(doc: RequestDoc): HandledRequest {
  const done = doc.status === 'done'
  const officer = doc.assignedTo ?? doc.acceptedBy
  return {
    _id: doc._id,
    kind: doc.kind,
    kindLabel: KIND_LABELS[doc.kind],
    categoryLabel: REQUEST_CATEGORIES[doc.category],
    status: done ? 'done' : 'declined',
    statusLabel: REQUEST_STATUS_LABELS[doc.status],
    outcome: done
      ? (doc.doneNote ?? '已办结')
      : [doc.declineReason, doc.alternative].filter(Boolean).join('。'),
    createdAt: new Date(doc.createdAt).toISOString(),
    // A closed request changes no more: its last update is when it was done or declined.
    closedAt: new Date(doc.updatedAt).toISOString(),
    ...optional({
      acceptedAt: iso(doc.acceptedAt),
      officerName: officer?.name,
      closedBy: (done ? doc.doneBy : doc.declinedBy)?.name
    }),
    escalations: (doc.escalations ?? []).filter((e) => e.round > 0).length
  }
}

/** The first day of a history period (Shanghai): today, or this week's Monday. */
function periodStart(period: 'today' | 'week', now: Date): string {
  const today = localDate(now)
  return period === 'today' ? today : addDays(today, 1 - isoWeekday(today))
}

/** The agreed time in a message's note: "12-01 21:00" (the note holds 20 characters). */
const agreedText = (at: Date) => localDateTime(at).slice(5)

/**
 * The resident's progress notice. `updatedAt` is when the request changed (the template's 更新时间);
 * an agreed future time goes in the note, never in that field.
 */
function progressMessage(
  doc: RequestDoc,
  key: string,
  status: string,
  updatedAt: Date,
  note: string
): NewMessage {
  return {
    dedupeKey: `progress:${doc._id}:${key}`,
    template: 'requestProgress',
    touser: doc.openid,
    page: pageUrl('pages/my-requests/index', { id: doc._id }),
    values: {
      service: clipThing(REQUEST_CATEGORIES[doc.category]),
      status,
      time: localDateTime(updatedAt),
      note: clipThing(note)
    },
    ref: { kind: 'request', id: doc._id }
  }
}

const sendNowFrom = (ids: (string | null)[], now: Date) =>
  sendNow(ids, now, getCloud().getWXContext().ENV, 'requests')

/** A request in the caller's station scope (FORBIDDEN outside it); NOT_FOUND when there is none. */
async function staffRequest(staff: Staff, id: string): Promise<RequestDoc> {
  const doc = await byId(id)
  if (!doc) throw new AppError('NOT_FOUND', '没有找到这条申请')
  requireStation(staff, doc.stationId)
  return doc
}

const who = (s: Staff) => ({ staffId: s._id, name: s.name })

function refuseChange(doc: RequestDoc): never {
  if (doc.status === 'accepted')
    throw new AppError(
      'REQUEST_TAKEN',
      doc.assignedTo
        ? `这条申请已指派给${doc.assignedTo.name}`
        : `这条申请已由${doc.acceptedBy?.name ?? '其他民警'}受理`
    )
  throw new AppError('REQUEST_CLOSED')
}

function parseInstant(value: string, now: Date, label: string): Date {
  const at = new Date(value)
  // A little slack for clocks; a time already past by more is a mistake.
  if (at.getTime() < now.getTime() - 10 * 60_000)
    throw new AppError('INVALID_INPUT', `${label}已经过去了，请重新选择`)
  if (at.getTime() > now.getTime() + 60 * 86_400_000)
    throw new AppError('INVALID_INPUT', `${label}太远了，请选择60天以内的时间`)
  return at
}

export const main = defineFunction('requests', requestsInputs, {
  submit: {
    access: 'resident',
    async handler(input, ctx) {
      const { openid } = ctx
      const id = docId(openid, input.requestId)
      const existing = await byId(id)
      if (existing) {
        // A retry: make sure the first alerts exist (a crash may have cut in after the save).
        if (existing.escalationRound === 0)
          await enqueueAlerts(existing, await firstRecipientsFrom(existing), 0, ctx.now)
        return view(existing, ctx.now)
      }
      if (!CATEGORIES_BY_KIND[input.kind].includes(input.category))
        throw new AppError('INVALID_INPUT', '请重新选择办理事项')
      if (input.kind === 'home_visit' && !input.address)
        throw new AppError('INVALID_INPUT', '上门服务请填写上门地址')
      const st = await stationById(input.stationId)
      if (!st) throw new AppError('NOT_FOUND', '没有找到这个派出所窗口')
      const wantedAt = input.wantedAt ? parseInstant(input.wantedAt, ctx.now, '希望办理的时间') : undefined

      const recipients = await firstRecipients(st._id, ctx.now)
      const doc: RequestDoc = {
        _id: id,
        openid,
        requestId: input.requestId,
        stationId: st._id,
        kind: input.kind,
        category: input.category,
        description: input.description,
        contactName: input.contactName,
        mobile: input.mobile,
        ...optional({ wantedAt, address: input.kind === 'home_visit' && input.address }),
        status: 'submitted',
        createdAt: ctx.now,
        updatedAt: ctx.now,
        alertedStaffIds: recipients.map((s) => s._id),
        escalations: [
          {
            round: 0,
            at: ctx.now,
            staffIds: recipients.map((s) => s._id),
            names: recipients.map((s) => s.name)
          }
        ],
        escalationRound: 0,
        nextEscalationAt: new Date(ctx.now.getTime() + acceptMinutes(st) * 60_000)
      }
      // add (not set): a second submit racing with the same id is refused as a duplicate key.
      const saved = await insertOrGetRaced('requests', doc, () => saveWithinLimits(doc, st, ctx.now))
      if (!saved.inserted) return view(saved.doc, ctx.now, st)
      const ids = await enqueueAlerts(doc, recipients, 0, ctx.now)
      await sendNowFrom(ids, ctx.now)
      return view(doc, ctx.now, st)
    }
  },

  mine: {
    access: 'resident',
    async handler(_input, ctx) {
      const { openid } = ctx
      const docs = (await requests().where({ openid }).orderBy('createdAt', 'desc').limit(50).get()).data
      return views(docs, ctx.now)
    }
  },

  get: {
    access: 'resident',
    async handler({ id }, ctx) {
      const { openid } = ctx
      const doc = await byId(id)
      // Someone else's request is "not found" to this caller: its existence is not disclosed.
      if (!doc || doc.openid !== openid) throw new AppError('NOT_FOUND', '没有找到这条申请')
      return view(doc, ctx.now)
    }
  },

  open: {
    access: 'staff',
    roles: ['officer', 'leader', 'supervisor'],
    station: 'own',
    async handler({ stationId }, ctx) {
      const { staff } = ctx
      const station = stationId ?? staff.stationId
      if (!station) throw new AppError('INVALID_INPUT', '请选择派出所')
      const _ = db().command
      const docs = (
        await requests()
          .where({ stationId: station, status: _.in(['submitted', 'accepted']) })
          .orderBy('createdAt', 'desc')
          .limit(200)
          .get()
      ).data
      const rank = (d: RequestDoc) => (d.kind === 'emergency' ? 0 : 2) + (d.status === 'submitted' ? 0 : 1)
      docs.sort(
        (a, b) => rank(a) - rank(b) || new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime()
      )
      const [people, st] = await Promise.all([stationStaff(station), stationById(station)])
      const officers = people
        .filter((s) => s.role === 'officer' || s.role === 'leader')
        .map((s) => ({ staffId: s._id, name: s.name }))
      const minutes = st ? acceptMinutes(st) : undefined
      // A member of staff now has these requests in front of them: their residents have been reached.
      const unseen = docs.filter((d) => d.status === 'submitted' && !d.seenAt).map((d) => d._id)
      if (unseen.length)
        await requests()
          .where({ _id: _.in(unseen), seenAt: _.exists(false) })
          .update({ data: { seenAt: ctx.now } })
      const shown = await disclose(
        { staff, action: 'requests.open', ctx, stationId: station },
        docs.map((d) => staffView(d, minutes))
      )
      return {
        stationId: station,
        at: ctx.now.toISOString(),
        me: { staffId: staff._id, role: staff.role },
        requests: shown,
        officers
      }
    }
  },

  history: {
    access: 'staff',
    roles: ['officer', 'leader', 'supervisor'],
    station: 'own',
    async handler({ stationId, period }, ctx) {
      const station = stationId ?? ctx.staff.stationId
      if (!station) throw new AppError('INVALID_INPUT', '请选择派出所')
      const from = periodStart(period, ctx.now)
      const _ = db().command
      const docs = (
        await requests()
          .where({
            stationId: station,
            status: _.in(['done', 'declined']),
            updatedAt: _.gte(instantAt(from, '00:00'))
          })
          .orderBy('updatedAt', 'desc')
          .limit(HISTORY_LIMIT + 1)
          .get()
      ).data
      return {
        stationId: station,
        period,
        from,
        requests: docs
          .slice(0, HISTORY_LIMIT)
          .map(handled)
          .sort((a, b) => Date.parse(b.closedAt) - Date.parse(a.closedAt)),
        truncated: docs.length > HISTORY_LIMIT
      }
    }
  },

  accept: {
    access: 'staff',
    roles: ['officer', 'leader'],
    station: 'any',
    async handler({ id, agreedAt, place }, ctx) {
      const { staff } = ctx
      const reply = (d: RequestDoc) => discloseOne({ staff, action: 'requests.accept', ctx }, staffView(d))
      const doc = await staffRequest(staff, id)
      if (doc.status === 'accepted' && doc.acceptedBy?.staffId === staff._id) return reply(doc) // a retried accept
      if (doc.status !== 'submitted') refuseChange(doc)
      if (doc.kind === 'home_visit') throw new AppError('INVALID_INPUT', '上门服务由所领导指派民警和上门时间')
      const at = parseInstant(agreedAt, ctx.now, '约定时间')
      const patch = {
        status: 'accepted' as const,
        acceptedBy: who(staff),
        acceptedAt: ctx.now,
        agreedAt: at,
        place,
        nextEscalationAt: null,
        updatedAt: ctx.now
      }
      if (!(await updateIfStatus('requests', id, 'submitted', patch))) {
        const now = await staffRequest(staff, id)
        if (now.status === 'accepted' && now.acceptedBy?.staffId === staff._id) return reply(now)
        refuseChange(now)
      }
      const accepted: RequestDoc = { ...doc, ...patch }
      const msg = await enqueueWithId(
        progressMessage(accepted, 'accepted', '已受理', ctx.now, `约${agreedText(at)}，${place}`),
        ctx.now
      )
      await sendNowFrom([msg], ctx.now)
      return reply(accepted)
    }
  },

  decline: {
    access: 'staff',
    roles: ['officer', 'leader'],
    station: 'any',
    async handler({ id, reason, alternative }, ctx) {
      const { staff } = ctx
      const reply = (d: RequestDoc) => discloseOne({ staff, action: 'requests.decline', ctx }, staffView(d))
      const doc = await staffRequest(staff, id)
      if (doc.status === 'declined' && doc.declinedBy?.staffId === staff._id) return reply(doc)
      if (doc.status !== 'submitted') refuseChange(doc)
      const patch = {
        status: 'declined' as const,
        declinedBy: who(staff),
        declineReason: reason,
        alternative,
        nextEscalationAt: null,
        updatedAt: ctx.now
      }
      if (!(await updateIfStatus('requests', id, 'submitted', patch))) {
        const now = await staffRequest(staff, id)
        if (now.status === 'declined' && now.declinedBy?.staffId === staff._id) return reply(now)
        refuseChange(now)
      }
      const declined: RequestDoc = { ...doc, ...patch }
      const msg = await enqueueWithId(
        progressMessage(declined, 'declined', '未能受理', ctx.now, `${reason}。${alternative}`),
        ctx.now
      )
      await sendNowFrom([msg], ctx.now)
      return reply(declined)
    }
  },

  done: {
    access: 'staff',
    roles: ['officer', 'leader'],
    station: 'any',
    async handler({ id, note }, ctx) {
      const { staff } = ctx
      const reply = (d: RequestDoc) => discloseOne({ staff, action: 'requests.done', ctx }, staffView(d))
      const doc = await staffRequest(staff, id)
      if (doc.status === 'done') return reply(doc) // a retried done
      if (doc.status !== 'accepted')
        throw new AppError(
          doc.status === 'declined' ? 'REQUEST_CLOSED' : 'INVALID_INPUT',
          doc.status === 'submitted' ? '请先受理这条申请' : undefined
        )
      const handler = doc.assignedTo ?? doc.acceptedBy
      if (staff.role !== 'leader' && handler?.staffId !== staff._id)
        throw new AppError('FORBIDDEN', '这条申请由其他民警负责，只有负责的民警或所领导可以办结')
      const patch = {
        status: 'done' as const,
        doneBy: who(staff),
        doneAt: ctx.now,
        ...optional({ doneNote: note }),
        updatedAt: ctx.now
      }
      if (!(await updateIfStatus('requests', id, 'accepted', patch))) {
        const now = await staffRequest(staff, id)
        if (now.status === 'done') return reply(now)
        refuseChange(now)
      }
      const finished: RequestDoc = { ...doc, ...patch }
      const msg = await enqueueWithId(
        progressMessage(finished, 'done', '已办结', ctx.now, note ?? '感谢您的耐心等待'),
        ctx.now
      )
      await sendNowFrom([msg], ctx.now)
      // The case is finished: invite its resident to rate it (sent by the notify timer).
      await enqueueWithId(
        ratingInviteMessage('request', doc._id, doc.openid, REQUEST_CATEGORIES[doc.category], ctx.now),
        ctx.now
      )
      return reply(finished)
    }
  },

  assign: {
    access: 'staff',
    roles: ['leader'],
    station: 'any',
    async handler({ id, officerStaffId, visitAt }, ctx) {
      const { staff } = ctx
      const reply = (d: RequestDoc) => discloseOne({ staff, action: 'requests.assign', ctx }, staffView(d))
      const doc = await staffRequest(staff, id)
      if (doc.kind !== 'home_visit') throw new AppError('INVALID_INPUT', '只有上门服务需要指派')
      const at = new Date(visitAt)
      if (
        doc.status === 'accepted' &&
        doc.assignedTo?.staffId === officerStaffId &&
        doc.agreedAt &&
        new Date(doc.agreedAt).getTime() === at.getTime()
      )
        return reply(doc)
      if (doc.status !== 'submitted' && doc.status !== 'accepted') refuseChange(doc)
      parseInstant(visitAt, ctx.now, '上门时间')
      const officer = (await stationStaff(doc.stationId)).find(
        (s) => s._id === officerStaffId && (s.role === 'officer' || s.role === 'leader')
      )
      if (!officer) throw new AppError('INVALID_INPUT', '请选择本所的民警')
      const patch = {
        status: 'accepted' as const,
        assignedTo: who(officer),
        acceptedBy: who(staff),
        acceptedAt: doc.acceptedAt ?? ctx.now,
        agreedAt: at,
        place: doc.address ?? '',
        nextEscalationAt: null,
        updatedAt: ctx.now
      }
      if (!(await updateIfStatus('requests', id, ['submitted', 'accepted'], patch)))
        refuseChange((await byId(id)) ?? doc)
      const assigned: RequestDoc = { ...doc, ...patch }
      const key = `assigned:${officer._id}:${at.getTime()}`
      const toResident = await enqueueWithId(
        progressMessage(assigned, key, '已安排上门', ctx.now, `${officer.name}约${agreedText(at)}上门`),
        ctx.now
      )
      const toOfficer = await enqueueWithId(
        {
          dedupeKey: `assign:${doc._id}:${key}`,
          template: 'officerAlert',
          touser: officer.openid,
          page: pageUrl('officer/requests/index', { id: doc._id }),
          values: {
            kind: KIND_LABELS.home_visit,
            service: clipThing(REQUEST_CATEGORIES[doc.category]),
            time: localDateTime(at),
            note: clipThing(`所领导指派：${doc.address ?? ''}`)
          },
          ref: { kind: 'request', id: doc._id }
        },
        ctx.now
      )
      await sendNowFrom([toResident, toOfficer], ctx.now)
      return reply(assigned)
    }
  }
})

/**
 * Saves a new request within the abuse limits (at most MAX_OPEN_REQUESTS open, MAX_REQUESTS_PER_DAY
 * a Shanghai day), in one transaction that also writes the resident's quota document: two
 * submits of one resident at once conflict on it, and the retry counts the first. The open
 * requests are counted by a query inside the transaction's callback: a request committed before
 * this transaction began is seen by it, and one committed after conflicts on the quota document.
 */
async function saveWithinLimits(doc: RequestDoc, st: StationDoc, now: Date): Promise<void> {
  const phone = st.dutyPhone ?? st.consultPhone
  const quotaId = idempotentId('quota', doc.openid, 'requests')
  const today = localDate(now)
  const _ = db().command
  await withTransaction(async (tx) => {
    const quota = await txGet(tx, 'requestQuotas', quotaId)
    const usedToday = quota?.day === today ? quota.count : 0
    if (usedToday >= MAX_REQUESTS_PER_DAY) {
      throw new AppError(
        'TOO_MANY_REQUESTS_TODAY',
        `您今天已提交${MAX_REQUESTS_PER_DAY}条申请，明天可再提交；情况紧急请直接拨打值班电话 ${phone}`
      )
    }
    const open = (
      await requests()
        .where({ openid: doc.openid, status: _.in(['submitted', 'accepted']) })
        .count()
    ).total
    if (open >= MAX_OPEN_REQUESTS) {
      throw new AppError(
        'TOO_MANY_OPEN_REQUESTS',
        `您已有${open}条申请正在处理，请等待民警联系，可在“我的求助”查看；情况紧急请直接拨打值班电话 ${phone}`
      )
    }
    await tx
      .collection('requestQuotas')
      .doc(quotaId)
      .set({ data: { day: today, count: usedToday + 1, updatedAt: now } })
    await tx.collection('requests').add({ data: { ...doc } })
  })
}

/** The staff a retried submit's first alerts went to (recorded on the request as round 0). */
async function firstRecipientsFrom(doc: RequestDoc): Promise<Staff[]> {
  const ids = new Set(doc.escalations?.find((e) => e.round === 0)?.staffIds ?? [])
  return (await stationStaff(doc.stationId)).filter((s) => ids.has(s._id))
}
