/** 制证进度's pure rules: the stage order, receipt and tracking numbers, the masked street. */
import { CARD_STAGES, normaliseReceipt, normaliseTracking, splitReceipts } from '../../types/cards'
import {
  checkStep,
  dedupeReceipts,
  deliveryChangeable,
  maskStreet,
  reachedStages
} from '../../cloudfunctions/_shared/domain/cards'
import { cardSteps } from '../../src/pages/cards/steps'

test('stages move forward one step at a time; the stage itself is "already"; anything else is out of order', () => {
  expect(checkStep('accepted', 'making', 'pickup')).toBe('ok')
  expect(checkStep('making', 'ready', 'pickup')).toBe('ok')
  expect(checkStep('ready', 'picked_up', 'pickup')).toBe('ok')
  expect(checkStep('ready', 'picked_up', 'post')).toBe('ok') // came to the window after all
  expect(checkStep('ready', 'posted', 'post')).toBe('ok')
  expect(checkStep('ready', 'ready', 'pickup')).toBe('already')
  expect(checkStep('posted', 'posted', 'post')).toBe('already')
  // Skipping a step, going back, or moving an ended card.
  expect(checkStep('accepted', 'ready', 'pickup')).toBe('out_of_order')
  expect(checkStep('accepted', 'picked_up', 'pickup')).toBe('out_of_order')
  expect(checkStep('ready', 'making', 'pickup')).toBe('out_of_order')
  expect(checkStep('picked_up', 'ready', 'pickup')).toBe('out_of_order')
  expect(checkStep('picked_up', 'posted', 'post')).toBe('out_of_order')
  expect(checkStep('posted', 'picked_up', 'post')).toBe('out_of_order')
  expect(checkStep('making', 'posted', 'post')).toBe('out_of_order')
  // Posting needs the resident's choice of post.
  expect(checkStep('ready', 'posted', 'pickup')).toBe('not_postal')
})

test('the delivery choice changes until the card is picked up or posted', () => {
  expect(CARD_STAGES.filter(deliveryChangeable)).toEqual(['accepted', 'making', 'ready'])
})

test('reached stages come in the order of the line, whatever order they were stored in', () => {
  expect(reachedStages({ ready: 3, accepted: 1, making: 2 }).map((s) => s.stage)).toEqual([
    'accepted',
    'making',
    'ready'
  ])
})

test('receipt numbers: full-width, spaces, hyphens and case normalised; 6 to 24 letters and digits', () => {
  expect(normaliseReceipt(' sz-2026 1130 0001 ')).toBe('SZ202611300001')
  expect(normaliseReceipt('ＳＺ２０２６１１３０')).toBe('SZ20261130')
  expect(normaliseReceipt('12345')).toBeNull()
  expect(normaliseReceipt('1'.repeat(25))).toBeNull()
  expect(normaliseReceipt('SZ2026/11')).toBeNull()
  expect(normaliseReceipt('身份证123456')).toBeNull()
  expect(splitReceipts('A1\r\nB2, C3，D4\n\n  ;E5')).toEqual(['A1', 'B2', 'C3', 'D4', 'E5'])
  // Several numbers on a line separated by spaces are split; a number typed in groups is kept whole.
  expect(splitReceipts('12345678 87654321\nSZ20261130001\tSZ20261130002')).toEqual([
    '12345678',
    '87654321',
    'SZ20261130001',
    'SZ20261130002'
  ])
  expect(splitReceipts('SZ 2026 1130 0001\nsz 20261130 0002')).toEqual([
    'SZ 2026 1130 0001',
    'sz 20261130 0002'
  ])
  expect(dedupeReceipts(['ab1234', 'AB-1234', 'x'], normaliseReceipt)).toEqual([
    { input: 'ab1234', receipt: 'AB1234', duplicate: false },
    { input: 'AB-1234', receipt: 'AB1234', duplicate: true },
    { input: 'x', receipt: null, duplicate: false }
  ])
})

test('tracking numbers and the masked street', () => {
  expect(normaliseTracking('sf 1234-5678-90')).toBe('SF1234567890')
  expect(normaliseTracking('12345')).toBeNull()
  expect(maskStreet('湖北省十堰市郧西县', '城关镇人民路 88 号')).toBe('湖北省十堰市郧西县城关镇人*******')
  expect(maskStreet('北京市', '一路')).toBe('北京市**')
})

test('the card page’s steps end with what happened: collected at the window even when post was chosen', () => {
  const labels = (c: Parameters<typeof cardSteps>[0]) => {
    const { steps, reached } = cardSteps(c)
    return `${steps.map((s) => s.label).join('→')} @${steps[reached]?.label}`
  }
  expect(labels({ status: 'picked_up', delivery: 'post' })).toBe('已受理→制证中→已到所→已领取 @已领取')
  expect(labels({ status: 'picked_up', delivery: 'pickup' })).toBe('已受理→制证中→已到所→已领取 @已领取')
  expect(labels({ status: 'posted', delivery: 'post' })).toBe('已受理→制证中→已到所→已寄出 @已寄出')
  // Open: the last step is the resident's choice.
  expect(labels({ status: 'ready', delivery: 'post' })).toBe('已受理→制证中→已到所→已寄出 @已到所')
  expect(labels({ status: 'making', delivery: 'pickup' })).toBe('已受理→制证中→已到所→已领取 @制证中')
})
