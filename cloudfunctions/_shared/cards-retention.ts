/**
 * Retention of 制证进度 (docs/materials-and-cards.md, docs/privacy-and-access.md): once a card's
 * case has ended — picked up at the window, or posted — and CARD_RETENTION_DAYS have passed, the
 * holder's name and ID number (protected and masked), the key that matched their ID number and
 * the postal address are erased in place. The card stays, with its receipt number, stages and
 * tracking number, for the station's figures; `purgedAt` marks it so it is erased once. One
 * conditional update per run, called by the daily purge (`retention.ts`).
 */
import { collection, db } from './db'

/**
 * 90 days after pickup or posting: long enough for a lost parcel to be traced or a resident to
 * ask about a card they collected; nothing else needs the name or the address after that.
 */
export const CARD_RETENTION_DAYS = 90

/** What an erased holder's name reads as. */
const ERASED_NAME = '（已清除）'

/** Erases what the ended cards past retention still hold of their holder; returns how many. */
export async function purgeEndedCards(now: Date): Promise<number> {
  const _ = db().command
  const cutoff = new Date(now.getTime() - CARD_RETENTION_DAYS * 86_400_000)
  const res = await collection('idCards')
    .where({ endedAt: _.lt(cutoff), purgedAt: _.exists(false) })
    .update({
      data: {
        'holder.nameProtected': _.remove(),
        'holder.nameMasked': ERASED_NAME,
        'holder.idProtected': _.remove(),
        'holder.idMasked': _.remove(),
        holderKey: _.remove(),
        addressProtected: _.remove(),
        addressMasked: _.remove(),
        purgedAt: now
      }
    })
  return res.stats.updated
}
