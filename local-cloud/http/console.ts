/**
 * GET /console — the local cloud's read-only web console (the pages are in ../console/):
 *   /console                                   overview: environment, cloud clock, collections, functions
 *   /console/collections/<name>                documents: ?filter= &sort= &order=asc|desc &size=20|50|100 &page=
 *   /console/collections/<name>/export         ?format=jsonl|csv &fields=a,b (CSV) and the same filter/sort
 *   /console/messages                          subscription messages sent: ?status=delivered|refused
 *   /console/functions                         function log: ?fn= &failed=1
 * Only GET and HEAD: anything else is 405. Bad input gets a page saying what is wrong (400/404),
 * never a stack trace. Personal data is masked on every page and in every export.
 */
import type http from 'node:http'
import type { CloudServices } from '../context'
import { exportFileName, parseFieldList, toCsv, toJsonLines } from '../console/export'
import { CONTENT_SECURITY_POLICY, layout } from '../console/html'
import { maskDocument, maskText } from '../console/mask'
import {
  collectionPage,
  errorPage,
  functionLogPage,
  messagesPage,
  overviewPage,
  type Page
} from '../console/pages'
import { ConsoleError, parseFilter, parseSort, selectDocs } from '../console/query'
import type { Route } from './util'

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store'
}

interface Download {
  fileName: string
  contentType: string
  body: string
}

function exportCollection(cloud: CloudServices, name: string, params: URLSearchParams): Download {
  if (!cloud.store.hasCollection(name)) throw new ConsoleError(404, `没有名为“${name}”的集合`)
  const format = params.get('format') ?? 'jsonl'
  if (format !== 'jsonl' && format !== 'csv')
    throw new ConsoleError(400, '导出格式只能是 jsonl（JSON Lines）或 csv')
  // Checked before any work: CSV without a field list is refused outright.
  const fields = format === 'csv' ? parseFieldList(params.get('fields')) : []
  const docs = selectDocs(
    cloud.store.docs(name),
    parseFilter(params.get('filter') ?? ''),
    parseSort(params.get('sort'), params.get('order'))
  )
  const masked = docs.map((d) => maskDocument(d, name))
  const at = new Date(cloud.clock.now())
  return format === 'csv'
    ? {
        fileName: exportFileName(name, at, 'csv'),
        contentType: 'text/csv; charset=utf-8',
        body: toCsv(masked, fields)
      }
    : {
        fileName: exportFileName(name, at, 'json'),
        contentType: 'application/x-ndjson; charset=utf-8',
        body: toJsonLines(masked)
      }
}

function sendPage(
  res: http.ServerResponse,
  cloud: CloudServices,
  page: Page,
  extra: Record<string, string> = {}
): void {
  const text = layout({
    title: page.title,
    section: page.section,
    envId: cloud.envId,
    appName: cloud.appName,
    collections: cloud.store.collectionNames(),
    body: page.body
  })
  res.writeHead(page.status, {
    ...SECURITY_HEADERS,
    ...extra,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(text)
  })
  res.end(text)
}

function sendDownload(res: http.ServerResponse, download: Download): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': download.contentType,
    'content-disposition': `attachment; filename="${download.fileName}"`,
    'content-length': Buffer.byteLength(download.body)
  })
  res.end(download.body)
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new ConsoleError(400, '地址中的集合名编码不正确')
  }
}

export function consoleRoute(cloud: CloudServices): Route {
  return async (req, res, url) => {
    const path = url.pathname
    if (path !== '/console' && !path.startsWith('/console/')) return false
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendPage(
        res,
        cloud,
        errorPage(
          405,
          `控制台是只读的，只接受 GET 请求（收到 ${req.method ?? '?'}）。The console is read-only.`
        ),
        { allow: 'GET, HEAD' }
      )
      return true
    }
    try {
      const params = url.searchParams
      const parts = path.split('/').filter((p) => p !== '') // ['console', …]
      let page: Page
      if (parts.length === 1) page = overviewPage(cloud)
      else if (parts[1] === 'collections' && parts.length === 3)
        page = collectionPage(cloud, decodeSegment(parts[2] as string), params)
      else if (parts[1] === 'collections' && parts.length === 4 && parts[3] === 'export') {
        sendDownload(res, exportCollection(cloud, decodeSegment(parts[2] as string), params))
        return true
      } else if (parts[1] === 'messages' && parts.length === 2) page = messagesPage(cloud, params)
      else if (parts[1] === 'functions' && parts.length === 2) page = functionLogPage(cloud, params)
      else if (parts[1] === 'collections' && parts.length === 2) page = overviewPage(cloud)
      else throw new ConsoleError(404, '控制台没有这个页面')
      sendPage(res, cloud, page)
    } catch (err) {
      if (err instanceof ConsoleError) {
        // From a failed export, back to the collection (when there is one).
        const coll = /^\/console\/collections\/([^/]+)\/export$/.exec(path)?.[1]
        const back =
          coll && err.status !== 404
            ? { href: `/console/collections/${coll}${url.search}`, label: '返回集合 Back to the collection' }
            : undefined
        sendPage(res, cloud, errorPage(err.status, err.message, coll ? 'collections' : 'overview', back))
      } else {
        // The stack says where; its message may quote data, so it is masked before logging.
        console.error(
          '[local-cloud console]',
          maskText(err instanceof Error ? (err.stack ?? err.message) : String(err))
        )
        sendPage(
          res,
          cloud,
          errorPage(
            500,
            '控制台内部错误，详情见本地云的终端输出。Internal error: see the local cloud terminal.'
          )
        )
      }
    }
    return true
  }
}
