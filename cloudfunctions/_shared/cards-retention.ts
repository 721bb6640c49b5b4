/**
 * Retention of 制证进度 (docs/materials-and-cards.md, docs/privacy-and-access.md): once a card's
 * case has ended — picked up at the window, or posted — and CARD_RETENTION_DAYS have passed, or
 * a card was never collected CARD_OPEN_RETENTION_DAYS after its acceptance, the holder's name and
 * ID number (protected and masked), the key that matched their ID number, the follower and the
 * postal address are erased in place. The card stays, with its receipt number, stages and
 * tracking number, for the station's figures (and a late pickup by receipt number); `purgedAt`
 * marks it so it is erased once. The daily follow-attempt counts go after two days. Called by the
 * daily purge (`retention.ts`).
 */
import { collection, db } from './db'

/**
 * 90 days after pickup or posting: long enough for a lost parcel to be traced or a resident to
 * ask about a card they collected; nothing else needs the name or the address after that.
 */
export const CARD_RETENTION_DAYS = 90

/**
 * A card never collected or posted: a year after its acceptance. A card waits at the station far
 * shorter than that in practice; the physical card still bears the name if its holder comes later.
 */
export const CARD_OPEN_RETENTION_DAYS = 365

/** A follow-attempt count is for one day: kept two, then deleted. */
const QUOTA_KEEP_DAYS = 2

/** What an erased holder's name reads as. */
const ERASED_NAME = '（已清除）'

/** Erases what the cards past retention still hold of their holder; returns how many. */
export async function purgeEndedCards(now: Date): Promise<number> {
  const _ = db().command
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000)
  const erase = {
    data: {
      'holder.nameProtected': _.remove(),
      'holder.nameMasked': ERASED_NAME,
      'holder.idProtected': _.remove(),
      'holder.idMasked': _.remove(),
      holderKey: _.remove(),
      openid: _.remove(),
      addressProtected: _.remove(),
      addressMasked: _.remove(),
      addressLockedAt: _.remove(),
      purgedAt: now
    }
  }
  const cards = collection('idCards')
  const [ended, neverCollected] = await Promise.all([
    cards.where({ endedAt: _.lt(daysAgo(CARD_RETENTION_DAYS)), purgedAt: _.exists(false) }).update(erase),
    cards
      .where({
        createdAt: _.lt(daysAgo(CARD_OPEN_RETENTION_DAYS)),
        endedAt: _.exists(false),
        purgedAt: _.exists(false)
      })
      .update(erase),
    collection('cardFollowQuotas')
      .where({ updatedAt: _.lt(daysAgo(QUOTA_KEEP_DAYS)) })
      .remove()
  ])
  return ended.stats.updated + neverCollected.stats.updated
}
