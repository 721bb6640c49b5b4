/**
 * The contract: for every cloud function, its actions, each action's input schema and output type.
 * The mini-program's API client and the functions' dispatchers are both typed from this file.
 *
 * Wire format of an event (what `callFunction({name, data})` sends and the function receives):
 *   { action: '<action>', payload: { ...input } }
 */
import type * as z from 'zod/mini'
import { appointmentInputs, type AppointmentOutputs } from './appointment'
import { guideInputs, type GuideOutputs } from './guide'
import { notifyInputs, type NotifyOutputs } from './notify'
import { stationInputs, type StationOutputs } from './station-admin'
import { requestsInputs, type RequestsOutputs } from './requests'
import { staffInputs, type StaffOutputs } from './staff-admin'
import { ratingInputs, type RatingOutputs } from './ratings'
import { feedbackInputs, type FeedbackOutputs } from './feedback'
import { queueInputs, type QueueOutputs } from './queue'
import { prereviewInputs, type PrereviewOutputs } from './prereview'
import { cardsInputs, type CardsOutputs } from './cards'

export const contract = {
  guide: guideInputs,
  appointment: appointmentInputs,
  notify: notifyInputs,
  station: stationInputs,
  requests: requestsInputs,
  staff: staffInputs,
  rating: ratingInputs,
  feedback: feedbackInputs,
  queue: queueInputs,
  prereview: prereviewInputs,
  cards: cardsInputs
} as const

export interface ContractOutputs {
  guide: GuideOutputs
  appointment: AppointmentOutputs
  notify: NotifyOutputs
  station: StationOutputs
  requests: RequestsOutputs
  staff: StaffOutputs
  rating: RatingOutputs
  feedback: FeedbackOutputs
  queue: QueueOutputs
  prereview: PrereviewOutputs
  cards: CardsOutputs
}

export type FunctionName = keyof typeof contract
export type ActionName<F extends FunctionName> = keyof (typeof contract)[F] & string
export type ActionInput<F extends FunctionName, A extends ActionName<F>> = z.input<(typeof contract)[F][A]>
export type ParsedInput<F extends FunctionName, A extends ActionName<F>> = z.output<(typeof contract)[F][A]>
export type ActionOutput<F extends FunctionName, A extends ActionName<F>> = A extends keyof ContractOutputs[F]
  ? ContractOutputs[F][A]
  : never

export interface FunctionEvent<A extends string = string, P = unknown> {
  action: A
  payload?: P
}

export const FUNCTION_NAMES = Object.keys(contract) as FunctionName[]
