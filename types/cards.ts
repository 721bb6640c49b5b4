/**
 * 制证进度 — the progress of an ID-card application made at the window. The officer records the
 * acceptance (受理) with the receipt number printed on the acceptance receipt, then moves the card
 * through its stages, one card or a whole batch at once: 已受理 → 制证中 → 已到所可领取 → 已领取,
 * or 已寄出 with a tracking number when the resident chose delivery by post. The resident follows
 * their cards, is told when one is ready, and chooses pickup (the receipt number as a QR code at
 * the window) or post (an address, stored protected). The `cards` function's contract; the rules
 * are in docs/materials-and-cards.md (制证进度).
 */
import './zod'
import * as z from 'zod/mini'
import { DocId } from './guide'

export const CARD_STAGES = ['accepted', 'making', 'ready', 'picked_up', 'posted'] as const
export type CardStage = (typeof CARD_STAGES)[number]

export const CARD_STAGE_LABELS: Record<CardStage, string> = {
  accepted: '已受理',
  making: '制证中',
  ready: '已到所可领取',
  picked_up: '已领取',
  posted: '已寄出'
}

/** The stages an officer may mark for a batch of cards arriving together. */
export const BATCH_STAGES = ['making', 'ready'] as const
export type BatchStage = (typeof BATCH_STAGES)[number]

/** At most this many receipt numbers in one batch call (a box of cards from the county bureau). */
export const BATCH_MAX = 60

/** How the resident will get the card: at the window (the default), or by post. */
export type Delivery = 'pickup' | 'post'

/**
 * A receipt number (受理编号) as typed or scanned, normalised: full-width characters made
 * half-width, spaces and hyphens removed, letters upper case. Valid when 6 to 24 letters and
 * digits remain (docs/materials-and-cards.md). Returns null for anything else.
 */
export function normaliseReceipt(text: string): string | null {
  const plain = text
    .normalize('NFKC')
    .replace(/[\s\-－—_]/g, '')
    .toUpperCase()
  return /^[A-Z0-9]{6,24}$/.test(plain) ? plain : null
}

/**
 * The receipt numbers of a batch box, as typed: one per line, or separated by commas or
 * semicolons; a line of several numbers separated by spaces is split too when every part is a
 * receipt number of its own ("12345678 87654321"), and kept whole otherwise, since a number may be
 * typed in groups ("SZ 2026 1228 001").
 */
export function splitReceipts(text: string): string[] {
  return text
    .split(/[\n\r,，;；]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .flatMap((line) => {
      const parts = line.split(/\s+/)
      return parts.length > 1 && parts.every((p) => normaliseReceipt(p) !== null) ? parts : [line]
    })
}

/** A tracking number: 6 to 20 letters and digits (spaces and hyphens removed, upper case). */
export function normaliseTracking(text: string): string | null {
  const plain = text.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase()
  return /^[A-Z0-9]{6,20}$/.test(plain) ? plain : null
}

/** A receipt number on the wire: checked (and normalised) by the function with `normaliseReceipt`. */
const ReceiptText = z.string().check(z.minLength(1), z.maxLength(40))
const IdNumberText = z.string().check(z.trim(), z.regex(/^\d{17}[\dXx]$/, 'ID_NUMBER_INVALID'))
const NameText = z.string().check(z.trim(), z.minLength(1, 'NAME_INVALID'), z.maxLength(20, 'NAME_INVALID'))

/** A postal address, entered once per card (收件人、手机号、所在地区、详细地址). */
export const PostalAddress = z.strictObject({
  recipient: NameText,
  mobile: z.string().check(z.trim(), z.regex(/^1[3-9]\d{9}$/, 'MOBILE_INVALID')),
  /** Province, city and district in one line, e.g. 湖北省十堰市郧西县. */
  region: z
    .string()
    .check(z.trim(), z.minLength(2, 'CARD_ADDRESS_INVALID'), z.maxLength(40, 'CARD_ADDRESS_INVALID')),
  street: z
    .string()
    .check(z.trim(), z.minLength(4, 'CARD_ADDRESS_INVALID'), z.maxLength(80, 'CARD_ADDRESS_INVALID'))
})
export type PostalAddressInput = z.input<typeof PostalAddress>

export const cardsInputs = {
  /* ---------- the resident ---------- */
  /** The caller's cards, newest first, with their stages. */
  mine: z.strictObject({}),
  /**
   * Follow a card recorded at the window without a booking: its receipt number and the holder's
   * ID number, which must match. A wrong pair is answered exactly like an unknown number.
   */
  follow: z.strictObject({ receipt: ReceiptText, idNumber: IdNumberText }),
  /** Pickup at the window, or post to an address (required with post the first time). */
  choose: z.strictObject({
    cardId: DocId,
    delivery: z.enum(['pickup', 'post']),
    address: z.optional(PostalAddress)
  }),

  /* ---------- staff ---------- */
  /**
   * Records an acceptance: from a checked-in or finished ID-card booking (its resident follows
   * the card), or for a walk-in with the holder's name and ID number.
   */
  accept: z.strictObject({
    stationId: DocId,
    receipt: ReceiptText,
    appointmentId: z.optional(DocId),
    holder: z.optional(z.strictObject({ name: NameText, idNumber: z.optional(IdNumberText) }))
  }),
  /** Many cards to 制证中 or 已到所可领取 at once; an answer per receipt number. */
  batch: z.strictObject({
    stationId: DocId,
    stage: z.enum(BATCH_STAGES),
    receipts: z.array(ReceiptText).check(z.minLength(1), z.maxLength(BATCH_MAX))
  }),
  /** The resident showed the code at the window and took the card. */
  pickUp: z.strictObject({ stationId: DocId, receipt: ReceiptText }),
  /** Posted to the resident's address, with the tracking number. */
  post: z.strictObject({
    stationId: DocId,
    receipt: ReceiptText,
    tracking: z.string().check(z.minLength(1), z.maxLength(40)),
    carrier: z.optional(z.string().check(z.trim(), z.maxLength(10)))
  }),
  /** The station's cards at one stage, most recently changed first. */
  list: z.strictObject({ stationId: DocId, stage: z.enum(CARD_STAGES) }),
  /**
   * The full postal address of one card, to write the label (audited). The address is then locked:
   * the resident can no longer change it or the delivery online.
   */
  address: z.strictObject({ stationId: DocId, cardId: DocId }),
  /**
   * Clears a card's follower (audited): someone else followed it with the receipt and ID number.
   * Their delivery choice and address go with them; the holder can then follow it.
   */
  unfollow: z.strictObject({ stationId: DocId, cardId: DocId })
}

/** One reached stage: when, and (for staff) by whom. */
export interface StageMark {
  stage: CardStage
  label: string
  at: string
}

/** What the resident sees of a card. */
export interface CardView {
  cardId: string
  receipt: string
  status: CardStage
  statusLabel: string
  /** The holder's name and ID number, masked. */
  holderMasked: string
  idMasked?: string
  /** The stages reached, in order. */
  stages: StageMark[]
  delivery: Delivery
  /** Whether the delivery choice can still change (not yet picked up or posted, address not locked). */
  changeable: boolean
  /** The station read the address to write the label: changes go by phone to the station. */
  addressLocked?: boolean
  /** The postal address, masked (post only). */
  addressMasked?: string
  tracking?: string
  carrier?: string
  station: { id: string; name: string; address: string; hours: string; phone: string }
  acceptedAt: string
}

/** One receipt number's answer in a batch. */
export type BatchOutcome = 'done' | 'already' | 'out_of_order' | 'unknown' | 'invalid'

export const BATCH_OUTCOME_LABELS: Record<BatchOutcome, string> = {
  done: '已更新',
  already: '已是这一步',
  out_of_order: '不能跳步或回退',
  unknown: '本所没有这个编号',
  invalid: '编号格式不对'
}

export interface BatchItem {
  /** As typed. */
  input: string
  /** Normalised (absent when invalid). */
  receipt?: string
  outcome: BatchOutcome
  /** The card's stage now (known cards). */
  status?: CardStage
}

export interface BatchResult {
  stage: BatchStage
  items: BatchItem[]
  counts: Record<BatchOutcome, number>
}

/** A card as staff see it in the station's list. */
export interface StaffCardView {
  cardId: string
  receipt: string
  status: CardStage
  statusLabel: string
  holderMasked: string
  idMasked?: string
  delivery: Delivery
  /** Someone follows it in the mini-program (they are told when it is ready). */
  followed: boolean
  fromBooking: boolean
  stages: (StageMark & { by?: string })[]
  tracking?: string
  updatedAt: string
}

/** The result of a staff change to one card: no personal data. */
export interface CardChange {
  cardId: string
  receipt: string
  status: CardStage
  statusLabel: string
  delivery: Delivery
  followed: boolean
}

export interface FullAddress {
  cardId: string
  receipt: string
  /** The holder's name, masked: beside the recipient, so a stranger's address stands out. */
  holderMasked: string
  recipient: string
  mobile: string
  region: string
  street: string
}

export interface CardsOutputs {
  mine: CardView[]
  follow: CardView
  choose: CardView
  accept: CardChange
  batch: BatchResult
  pickUp: CardChange
  post: CardChange
  list: StaffCardView[]
  address: FullAddress
  unfollow: CardChange
}
