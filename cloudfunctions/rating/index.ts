/**
 * rating — 政务服务“好差评” (types/ratings.ts is the contract; read its header first). This file
 * only wires the actions to the function; each concern has its own file:
 *   rate.ts        residents: `case`, `rate`, `pending`, `mine`
 *   follow-ups.ts  the follow-up of a bad review: `followUps`, `callBack`, `reply`,
 *                  `rateRectification` (the resident), `exclude` — its rules are the pure
 *                  _shared/domain/follow-ups.ts
 *   records.ts     staff reading ratings: `list`, `export` (CSV, mobiles masked)
 *   dashboard.ts   the dashboard read model: `dashboard`
 *   rollups.ts     the daily rollups it reads: `rollup` (supervisor: recompute a period)
 *   timer.ts       the hourly timer: repair, recount deadlines, roll up, escalate overdue follow-ups
 *   store.ts, cases.ts, views.ts, scope.ts  documents and shared reads, the cases rated, the views,
 *                  which stations and days a read covers
 * docs/ratings-and-feedback.md describes the workflow.
 */
import { ratingInputs } from '../../types/ratings'
import { defineFunction } from '../_shared/handler'
import { dashboardActions } from './dashboard'
import { followUpActions } from './follow-ups'
import { residentActions } from './rate'
import { recordActions } from './records'
import { rollupActions } from './rollups'
import { hourly } from './timer'

export const main = defineFunction(
  'rating',
  ratingInputs,
  { ...residentActions, ...followUpActions, ...recordActions, ...dashboardActions, ...rollupActions },
  { timer: hourly }
)
