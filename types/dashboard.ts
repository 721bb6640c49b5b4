/**
 * 服务评价与业务量 — what `rating.dashboard` returns to supervisors (every station) and leaders
 * (their own): satisfaction, the weekly trend, volumes by business type against the same days
 * a year before, a row per officer, emergency accept times, follow-ups and online questions.
 * How each figure is counted: docs/ratings-and-feedback.md ("The dashboard").
 */
import type { Breakdown, BusinessType, FollowUpStaffView, Satisfaction } from './ratings'
import type { LocalDate } from './time'

/**
 * The five volumes a window reports each year (and 其他 for what fits none), in short words that
 * fit a phone's table. The services' categories (types/guide.ts SERVICE_CATEGORIES) and the
 * requests' categories map onto these in the rating function (_shared/domain/ratings.ts).
 */
export const VOLUME_LABELS: Record<BusinessType, string> = {
  id_card: '身份证',
  certificate: '证明',
  registration: '户口登记',
  correction: '更正',
  consultation: '咨询',
  other: '其他'
}

/** What one officer finished in a day (stored in the daily rollup) or a period (summed). */
export interface OfficerWork {
  /** The officer's staff id. */
  key: string
  label: string
  /** Appointments they finished and requests they marked done. */
  finished: number
  /** Of those, the ones with a start before the finish (the others have no handling time). */
  timed: number
  /** Start-to-finish minutes of the timed ones, summed (one decimal). */
  handlingMinutes: number
}

/** A row of the per-officer table for the period. */
export interface OfficerRow {
  staffId: string
  name: string
  finished: number
  /** Mean start-to-finish minutes of their timed cases (one decimal); null when none was timed. */
  averageHandlingMinutes: number | null
  /** Valid ratings of their cases (excluded ones left out). */
  ratings: number
  /** Mean score 1–5 (two decimals); null when not rated. */
  averageScore: number | null
  /** 不满意 + 非常不满意 among their valid ratings. */
  badCount: number
}

/** Finished cases of one business type, this period and the same days a year before. */
export interface VolumeRow {
  type: BusinessType
  label: string
  count: number
  lastYear: number
  /** Change against last year in percent (one decimal); null when last year had none. */
  change: number | null
}

/** One service line's numbers in the period (取号等候). */
export interface QueueLineFigures {
  /** The line's letter (A, B …) and its name. */
  line: string
  label: string
  /** Numbers of this line in the period (a number moved in from another line counts here too). */
  taken: number
  /** Finished at the window (办结). */
  served: number
  /** Skipped after three calls (过号). */
  noShows: number
  /** Numbers with a wait: called, being served or finished (skipped and moved ones left out). */
  waited: number
  /** Minutes from taking the number to its (last) call, one decimal; null when none waited. */
  averageWaitMinutes: number | null
  medianWaitMinutes: number | null
}

export interface DashboardView {
  from: LocalDate
  to: LocalDate
  stationId?: string
  overall: Satisfaction
  byStation: Breakdown[]
  byOfficer: Breakdown[]
  byService: Breakdown[]
  /**
   * One point per day of the period up to today: ratings (with their satisfaction) and cases
   * finished that day. The page groups them by week or month.
   */
  trend: { date: LocalDate; total: number; satisfactionRate: number | null; finished: number }[]
  /** The period's officers: cases finished and their ratings, most cases first. */
  officers: OfficerRow[]
  followUps: {
    open: number
    overdue: number
    closed: number
    excluded: number
    rectificationSatisfied: number
    rectificationRated: number
    items: FollowUpStaffView[]
  }
  /** Emergency (绿色通道) requests accepted in the period: minutes from submit to accept. */
  emergencyAccept: {
    count: number
    averageMinutes: number | null
    medianMinutes: number | null
    maxMinutes: number | null
    withinLimit: number
  }
  /** Finished cases by business type against the same days last year, and visitors a working day. */
  volumes: {
    byType: VolumeRow[]
    total: number
    workingDays: number
    averagePerWorkingDay: number | null
    /** The same calendar days a year before (29 February falls back to the 28th). */
    lastYear: { from: LocalDate; to: LocalDate; total: number; change: number | null }
  }
  /** First-ask responsibility: online questions and how fast they were taken and answered. */
  questions: {
    asked: number
    answered: number
    open: number
    averageFirstResponseMinutes: number | null
    averageAnswerMinutes: number | null
  }
  /**
   * 材料预审 first submitted in the period (docs/materials-and-cards.md, "Figures"): how many, how
   * many were reviewed and passed at the first review (and that share in percent, one decimal),
   * and the trips saved — sent back at least once, then passed.
   */
  prereviews: {
    submitted: number
    reviewed: number
    passedFirst: number
    firstPassRate: number | null
    tripsSaved: number
  }
  /** Queue numbers of the period, per line, and the average wait of each day that had numbers. */
  queue: {
    lines: QueueLineFigures[]
    days: { date: LocalDate; taken: number; averageWaitMinutes: number | null }[]
  }
  exclusions: {
    ratingId: string
    levelText: string
    serviceName: string
    reason: string
    by: string
    atLocal: string
  }[]
  /** Rollups read for the period's past days; today is computed live. */
  generatedAt: string
}
