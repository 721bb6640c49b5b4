/**
 * Moving between pages by their typed routes (types/routes.ts), never by hand-written paths.
 */
import Taro from '@tarojs/taro'
import { isPagePath, isTabPage, pageUrl, type PagePath, type ParamsArg } from '../types/routes'

/** The absolute URL of a page, for Taro's navigation calls. */
export function url<P extends PagePath>(path: P, ...params: ParamsArg<P>): string {
  return `/${pageUrl(path, ...params)}`
}

/**
 * Opens a page on top of the current one; a tab page (TAB_PAGES: they read no query) is switched
 * to instead, as WeChat refuses navigateTo and redirectTo to a tab page.
 */
export function navigate<P extends PagePath>(path: P, ...params: ParamsArg<P>): void {
  if (isTabPage(path)) void Taro.switchTab({ url: `/${path}` })
  else void Taro.navigateTo({ url: url(path, ...params) })
}

/** Replaces the current page (after a form is sent: back does not return to the form). */
export function redirect<P extends PagePath>(path: P, ...params: ParamsArg<P>): void {
  if (isTabPage(path)) void Taro.switchTab({ url: `/${path}` })
  else void Taro.redirectTo({ url: url(path, ...params) })
}

/** Opens the page a message points at (its `page`, built by the cloud with pageUrl); ignores others. */
export function openMessagePage(page: string): void {
  if (!isPagePath(page)) return
  const target = page.replace(/^\//, '')
  const path = target.split('?')[0] ?? ''
  if (isTabPage(path)) void Taro.switchTab({ url: `/${path}` })
  else void Taro.navigateTo({ url: `/${target}` })
}
