/** What the feedback box and the online questions share: ids, the station, messages to send. */
import { pageUrl } from '../../types/routes'
import type { Station } from '../../types/guide'
import { clipThing } from '../../types/templates'
import { localDateTime } from '../../types/time'
import { getCloud } from '../_shared/cloud'
import { idempotentId, repo } from '../_shared/db'
import { AppError } from '../_shared/handler'
import { enqueueWithId, sendNow, type NewMessage } from '../_shared/outbox'

/** How many entries a staff list shows. */
export const LIST_LIMIT = 200

/** Ids derive from the caller and the client request id: a retry finds its document. */
export const docId = (prefix: 'fb' | 'qs', openid: string, requestId: string) =>
  idempotentId(prefix, openid, requestId, `${prefix}:`)

export const iso = (d: Date | string) => new Date(d).toISOString()
export const time = (d: Date | string) => new Date(d).getTime()

/** Sends queued messages right away; a failure stays on the record for the notify timer or the inbox. */
export const sendNowFrom = (ids: (string | null)[], now: Date) =>
  sendNow(ids, now, getCloud().getWXContext().ENV, 'feedback')

export async function enqueueAll(messages: NewMessage[], now: Date): Promise<(string | null)[]> {
  const ids: (string | null)[] = []
  for (const m of messages) ids.push(await enqueueWithId(m, now))
  return ids
}

/** The resident's notice of a reply (one per entry or question: the dedupe key). */
export function replyNotice(
  kind: 'feedback' | 'question',
  id: string,
  touser: string,
  subject: string,
  text: string,
  at: Date | string
): NewMessage {
  return {
    dedupeKey: `reply:${kind}:${id}`,
    template: 'replyNotice',
    touser,
    page: pageUrl('pages/my-voice/index', { id }), // their feedback and questions with the replies
    values: { subject, status: '已回复', time: localDateTime(at), note: clipThing(text) },
    ref: { kind, id }
  }
}

export async function stationOf(stationId: string): Promise<Station> {
  const st = await repo<Station>('stations').byId(stationId)
  if (!st) throw new AppError('NOT_FOUND', '没有找到这个派出所窗口')
  return st
}
