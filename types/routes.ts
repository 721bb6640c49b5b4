/**
 * Every page of the mini-program (src/app.config.ts: the main package and the officer/ and
 * supervisor/ subpackages) with the query parameters it reads. Pages navigate with
 * `src/navigation.ts`, which builds on `pageUrl`; cloud functions set the `page` of a message
 * with `pageUrl` too. Plain TypeScript, no Taro: usable from the mini-program and from Node.
 * tests/unit/routes.test.ts keeps this list and app.config.ts the same.
 */
import type { RequestKind } from './requests'

/** A page that reads no query parameter. */
type NoParams = Record<never, never>

/** The query parameters of each page (all strings on the wire; absent ones are left out). */
export interface RouteParams {
  'pages/index/index': NoParams
  /** The service guide with its search (a tab). */
  'pages/guide/index': NoParams
  /** 我的: the resident's bookings, requests, messages, applicants and settings (a tab). */
  'pages/me/index': NoParams
  /** A service of the guide. */
  'pages/service/index': { id: string }
  /** Book a service, or move the booking `reschedule` to another slot. */
  'pages/book/index': { serviceId: string; reschedule?: string }
  /** One booking; `new=1` right after booking it. */
  'pages/booking-detail/index': { id: string; new?: '1' }
  'pages/my-bookings/index': NoParams
  'pages/messages/index': NoParams
  /** Ask for help; `kind` preselects emergency / extended / home visit. */
  'pages/help/index': { kind?: RequestKind }
  /** The resident's requests; `id` highlights one, `new=1` right after sending it. */
  'pages/my-requests/index': { id?: string; new?: '1' }
  /** Rate a finished case: by appointment, by request, or by kind and id. */
  'pages/rating/index': {
    appointmentId?: string
    requestId?: string
    caseKind?: 'appointment' | 'request'
    caseId?: string
  }
  /** The resident's ratings, feedback and questions; `new` right after writing one. */
  'pages/my-voice/index': { id?: string; new?: 'feedback' | 'question' }
  'pages/feedback/index': NoParams
  /**
   * 取号: take a number (`stationId`; `line` puts one first; `hall=1` from the hall's QR code, kept
   * on the number as taken on site), or follow `ticketId`.
   */
  'pages/queue/index': { stationId?: string; line?: string; hall?: '1'; ticketId?: string }
  /** The waiting-room screen for the hall's TV: numbers only. */
  'pages/screen/index': { stationId?: string }
  /** 制证进度: the resident's ID cards; `id` is the card a message is about. */
  'pages/cards/index': { id?: string }
  /**
   * 材料预审: one pre-review (`id`, as a message links it), or the one of a service (`serviceId`),
   * linked to the booking `appointmentId` when given.
   */
  'pages/prereview/index': { id?: string; serviceId?: string; appointmentId?: string }
  /** Staff's landing: what needs doing now, counted, one tap to each list. */
  'officer/workbench/index': NoParams
  'officer/queue/index': NoParams
  /** Open requests; `id` is the one a message is about. */
  'officer/requests/index': { id?: string }
  'officer/inbox/index': NoParams
  'officer/team/index': NoParams
  /** Ratings and follow-ups: `status` filters follow-ups (open / overdue / all), `tab` picks the list. */
  'officer/ratings/index': {
    status?: 'open' | 'overdue' | 'all'
    tab?: 'ratings' | 'followUps'
    followUpId?: string
  }
  'officer/questions/index': { id?: string }
  'officer/feedback/index': { id?: string }
  /** 叫号: the calling panel of one line at one window. */
  'officer/calling/index': { line?: string; window?: string }
  /** 制证进度: batch marking, acceptance, pickup and post, the station's cards by stage. */
  'officer/cards/index': NoParams
  /** 材料预审 waiting for review; `id` opens one. */
  'officer/prereviews/index': { id?: string }
  'supervisor/calendar/index': NoParams
  'supervisor/dashboard/index': NoParams
  'supervisor/audit/index': NoParams
}

export type PagePath = keyof RouteParams

/** 'pages/book/index' → 'pages/book': the folder a page lives in. */
type PageFolder<P extends string> = P extends `${infer Folder}/index` ? Folder : never

/**
 * Each page once, with the package it belongs to: 'main' (the tab pages, downloaded at launch) or
 * its subpackage root. Every other resident page is a subpackage of its own whose root is the
 * page's folder, so its path is the same as when it lived in the main package: links in messages
 * already sent keep opening it (docs/architecture.md, "Packages").
 */
export const PAGES: { readonly [P in PagePath]: 'main' | PageFolder<P> | 'officer' | 'supervisor' } = {
  'pages/index/index': 'main',
  'pages/guide/index': 'main',
  'pages/me/index': 'main',
  'pages/service/index': 'pages/service',
  'pages/book/index': 'pages/book',
  'pages/booking-detail/index': 'pages/booking-detail',
  'pages/my-bookings/index': 'pages/my-bookings',
  'pages/messages/index': 'pages/messages',
  'pages/help/index': 'pages/help',
  'pages/my-requests/index': 'pages/my-requests',
  'pages/rating/index': 'pages/rating',
  'pages/my-voice/index': 'pages/my-voice',
  'pages/feedback/index': 'pages/feedback',
  'pages/queue/index': 'pages/queue',
  'pages/screen/index': 'pages/screen',
  'pages/prereview/index': 'pages/prereview',
  'pages/cards/index': 'pages/cards',
  'officer/workbench/index': 'officer',
  'officer/queue/index': 'officer',
  'officer/requests/index': 'officer',
  'officer/inbox/index': 'officer',
  'officer/team/index': 'officer',
  'officer/ratings/index': 'officer',
  'officer/questions/index': 'officer',
  'officer/feedback/index': 'officer',
  'officer/calling/index': 'officer',
  'officer/cards/index': 'officer',
  'officer/prereviews/index': 'officer',
  'supervisor/calendar/index': 'supervisor',
  'supervisor/dashboard/index': 'supervisor',
  'supervisor/audit/index': 'supervisor'
}

export const PAGE_PATHS = Object.keys(PAGES) as PagePath[]

/**
 * The pages of the bottom tab bar (app.config.ts `tabBar`, in its order). They read no query
 * parameter and are opened with switchTab: WeChat refuses navigateTo to a tab page.
 */
export const TAB_PAGES = ['pages/index/index', 'pages/guide/index', 'pages/me/index'] as const
export type TabPage = (typeof TAB_PAGES)[number]

/** Whether a page is one of the tab bar's. */
export function isTabPage(path: string): path is TabPage {
  return (TAB_PAGES as readonly string[]).includes(path)
}

/** The parameters argument: optional when the page has no required parameter. */
export type ParamsArg<P extends PagePath> =
  Partial<RouteParams[P]> extends RouteParams[P] ? [params?: RouteParams[P]] : [params: RouteParams[P]]

/**
 * A page with its query, without a leading slash ('pages/booking-detail/index?id=a1&new=1'): the
 * form a message's `page` takes. Values are URI-encoded; undefined ones are left out.
 */
export function pageUrl<P extends PagePath>(path: P, ...[params]: ParamsArg<P>): string {
  const query = Object.entries((params ?? {}) as Record<string, string | undefined>)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&')
  return query ? `${path}?${query}` : path
}

/** Whether a string names a page of the app (its path, with or without a query or a leading slash). */
export function isPagePath(page: string): boolean {
  const path = page.replace(/^\//, '').split('?')[0] ?? ''
  return Object.prototype.hasOwnProperty.call(PAGES, path)
}
