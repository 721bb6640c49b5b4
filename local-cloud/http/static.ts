/** GET /* — the H5 build of the mini-program (hash routing: unknown paths get index.html). */
import fs from 'node:fs'
import path from 'node:path'
import { HttpError, sendText, type Route } from './util'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf'
}

export function staticRoute(staticDir: string): Route {
  const root = path.resolve(staticDir)
  return async (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'GET only')
    if (!fs.existsSync(path.join(root, 'index.html'))) {
      sendText(res, 503, 'H5 版本尚未构建：请运行 npm run build:h5（npm start 会自动构建）')
      return true
    }
    const wanted = path.resolve(root, '.' + decodeURIComponent(url.pathname))
    const file =
      wanted.startsWith(root + path.sep) && fs.existsSync(wanted) && fs.statSync(wanted).isFile()
        ? wanted
        : path.join(root, 'index.html')
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=300'
    })
    fs.createReadStream(file).pipe(res)
    return true
  }
}
