/**
 * feedback — 意见簿 / 警民联系箱 (the feedback box) and 首问责任 (first-ask responsibility) for
 * residents' online questions. The contract, and what each action means, is types/feedback.ts.
 * This file only wires the actions to the function:
 *   box.ts        the feedback box: `submit`, `mine`, `list`, `reply`
 *   questions.ts  online questions: `ask`, `myQuestions`, `questions`, `openQuestion`, `answer`,
 *                 `transfer` — their rules are the pure _shared/domain/questions.ts
 *   common.ts     ids, the station, the resident's reply notice, sending
 * Every message (leader / officer alerts, replies to the resident) is an outbox record first, then
 * sent right away; a failure stays on the record for the notify timer or the inbox.
 * docs/ratings-and-feedback.md describes both workflows.
 */
import { feedbackInputs } from '../../types/feedback'
import { defineFunction } from '../_shared/handler'
import { boxActions } from './box'
import { questionActions } from './questions'

export const main = defineFunction('feedback', feedbackInputs, { ...boxActions, ...questionActions })
