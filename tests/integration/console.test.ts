/**
 * The local cloud's read-only web console (GET /console) on a fresh cloud: what a developer or a
 * supervisor reads there — environment and clock, a collection's documents filtered, sorted and
 * paged, exports, the function log, the messages sent — with personal data masked everywhere,
 * every value escaped, and bad input answered with a plain page, never a stack trace.
 */
import type { SentMessage } from '../../local-cloud/context'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'
import { FIXTURE_FUNCTIONS_BUILD } from '../helpers/paths'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const MOBILE = '13812345678'
const ID_NUMBER = '110101199003071234'
const OPENID = 'oVBZx5HgPtO6wp1Nh-CYnJ7EwVqI'

interface Fetched {
  status: number
  text: string
  headers: Headers
  bytes: Uint8Array
}

async function get(path: string, init: RequestInit = {}): Promise<Fetched> {
  const res = await fetch(`${cloud.url}${path}`, init)
  const bytes = new Uint8Array(await res.arrayBuffer())
  return {
    status: res.status,
    text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes),
    headers: res.headers,
    bytes
  }
}

function q(params: Record<string, string>): string {
  return new URLSearchParams(params).toString()
}

/** The documents shown on a collection page, parsed back from their <pre> blocks. */
function shownDocs(page: string): Record<string, unknown>[] {
  const unescape = (s: string): string =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&#96;/g, '`')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
  return [...page.matchAll(/<pre class="doc">([\s\S]*?)<\/pre>/g)].map(
    (m) => JSON.parse(unescape(m[1] as string)) as Record<string, unknown>
  )
}

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/)
  expect(text).not.toMatch(/node_modules|TypeError|SyntaxError/)
}

beforeAll(async () => {
  cloud = await freshCloud()
  cloud.store.commit([
    {
      coll: 'staff',
      id: 'staff-test-wang',
      doc: {
        _id: 'staff-test-wang',
        openid: OPENID,
        name: '王小芳',
        mobile: MOBILE,
        idNumber: ID_NUMBER,
        role: 'officer',
        stationId: 'st-yunxi-chengguan',
        active: false,
        // personal data in a field whose name says nothing
        note: `备用 ${MOBILE}, 证件 ${ID_NUMBER}, "急"\n第二行`,
        createdAt: new Date('2026-01-15T01:30:00Z')
      }
    }
  ])
})

afterAll(async () => {
  await cloud.close()
})

describe('overview', () => {
  test('shows the environment, the cloud clock in Shanghai beside UTC, collections with counts, functions with their config', async () => {
    cloud.clock.set(Date.UTC(2026, 0, 15, 1, 30, 0))
    let page: Fetched
    try {
      page = await get('/console')
    } finally {
      cloud.clock.reset()
    }
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.text).toContain(`<code>${cloud.envId}</code>`)
    expect(page.text).toMatch(/2026-01-15 09:30:0\d<\/strong> 北京时间 Asia\/Shanghai/)
    expect(page.text).toMatch(/2026-01-15T01:30:0\d\.\d{3}Z/)
    expect(page.text).toContain('已调整') // the clock was moved: said so

    expect(cloud.store.collectionNames()).toEqual(expect.arrayContaining(['services', 'stations', 'staff']))
    for (const name of cloud.store.collectionNames()) {
      const row = new RegExp(`<tr data-collection="${name}">.*?</tr>`).exec(page.text)?.[0]
      expect(row).toContain(`<td>${cloud.store.count(name)}</td>`)
    }
    const guideRow = /<tr data-function="guide">.*?<\/tr>/.exec(page.text)?.[0] ?? ''
    expect(guideRow).toContain(`${cloud.pool.config('guide').timeout ?? 3} s`)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
  })
})

describe('a collection', () => {
  test('shows its description, security rule and indexes', async () => {
    const page = await get('/console/collections/services')
    expect(page.status).toBe(200)
    expect(page.text).toContain('办事指南事项')
    expect(page.text).toContain(
      '<code data-testid="rule">{&quot;read&quot;:false,&quot;write&quot;:false}</code>'
    )
    expect(cloud.store.indexesOf('services').length).toBeGreaterThan(0)
    for (const index of cloud.store.indexesOf('services'))
      expect(page.text).toContain(`<code>${index.name}</code>`)
  })

  test('ratings read as supervisors need them: each field explained, the officer named, the resident masked', async () => {
    cloud.store.commit([
      {
        coll: 'ratings',
        id: 'rt-a-console',
        doc: {
          _id: 'rt-a-console',
          openid: 'oAbCdEfGhIjKlMnOpQrStUvWxYz1',
          officerName: '李警官',
          stationName: '城关派出所户政窗口',
          levelText: '不满意',
          score: 2,
          comment: '请回电 13812345678',
          ratedAtLocal: '2026-12-28 16:00'
        }
      }
    ])
    const page = await get('/console/collections/ratings')
    expect(page.status).toBe(200)
    expect(page.text).toContain('data-testid="field-docs"')
    expect(page.text).toContain('<code>ratedAtLocal</code>')
    expect(page.text).toContain('评价时间（北京时间，文字）')
    expect(page.text).toContain('李警官')
    expect(page.text).toContain('138****5678')
    expect(page.text).not.toContain('13812345678')
    expect(page.text).not.toContain('oAbCdEfGhIjKlMnOpQrStUvWxYz1')
    expect(cloud.store.indexesOf('ratings').length).toBeGreaterThan(0)
    for (const index of cloud.store.indexesOf('ratings'))
      expect(page.text).toContain(`<code>${index.name}</code>`)
  })

  test('filters by a Mongo-style JSON query or by field=value, and sorts', async () => {
    const idCards = cloud.store.docs('services').filter((d) => d.category === 'id_card')
    expect(idCards.length).toBeGreaterThan(1)

    const byJson = shownDocs(
      (await get(`/console/collections/services?${q({ filter: '{"category":"id_card"}' })}`)).text
    )
    expect(byJson.map((d) => d._id).sort()).toEqual(idCards.map((d) => d._id).sort())

    const byPair = await get(
      `/console/collections/services?${q({ filter: 'category=id_card', sort: 'order', order: 'desc' })}`
    )
    const sorted = [...idCards].sort((a, b) => Number(b.order) - Number(a.order)).map((d) => d._id)
    expect(shownDocs(byPair.text).map((d) => d._id)).toEqual(sorted)
    expect(byPair.text).toContain(`匹配 <strong>${idCards.length}</strong> 条`)

    const station = shownDocs(
      (
        await get(
          `/console/collections/services?${q({ filter: '{"stationId":"st-yunxi-chengguan","feeFen":{"$gt":0}}' })}`
        )
      ).text
    )
    expect(station.length).toBeGreaterThan(0)
    expect(station.every((d) => Number(d.feeFen) > 0)).toBe(true)
  })

  test('pages 20, 50 or 100 documents at a time and refuses a page past the end', async () => {
    cloud.store.ensureCollection('console_paging')
    cloud.store.commit(
      Array.from({ length: 45 }, (_, i) => ({
        coll: 'console_paging',
        id: `d${String(i).padStart(2, '0')}`,
        doc: { _id: `d${String(i).padStart(2, '0')}`, n: i }
      }))
    )

    const first = await get('/console/collections/console_paging')
    expect(shownDocs(first.text)).toHaveLength(20)
    expect(first.text).toContain('第 1 / 3 页')
    const third = shownDocs((await get('/console/collections/console_paging?size=20&page=3')).text)
    expect(third.map((d) => d.n)).toEqual([40, 41, 42, 43, 44])
    expect(shownDocs((await get('/console/collections/console_paging?size=50')).text)).toHaveLength(45)
    expect(
      shownDocs((await get('/console/collections/console_paging?size=20&page=2&sort=n&order=desc')).text)[0]
        ?.n
    ).toBe(24)

    const tooFar = await get('/console/collections/console_paging?size=20&page=4')
    expect(tooFar.status).toBe(400)
    expect(tooFar.text).toContain('页码超出范围：共 3 页')
    expect((await get('/console/collections/console_paging?size=30')).status).toBe(400)
    expect((await get('/console/collections/console_paging?page=abc')).status).toBe(400)
  })
})

describe('personal data', () => {
  test('is masked on the page, by field name and by value; the station numbers are public and shown', async () => {
    const page = await get(`/console/collections/staff?${q({ filter: '{"_id":"staff-test-wang"}' })}`)
    expect(page.status).toBe(200)
    const [doc] = shownDocs(page.text)
    expect(doc).toEqual({
      _id: 'staff-test-wang',
      openid: 'oV…qI',
      name: '王*芳',
      mobile: '138****5678',
      idNumber: '1101**********1234',
      role: 'officer',
      stationId: 'st-yunxi-chengguan',
      active: false,
      note: '备用 138****5678, 证件 1101**********1234, "急"\n第二行',
      createdAt: '2026-01-15T01:30:00.000Z'
    })
    for (const raw of [MOBILE, ID_NUMBER, '王小芳', OPENID, '19900307']) expect(page.text).not.toContain(raw)

    // Seeded staff: names and demo openids masked too.
    const all = await get('/console/collections/staff')
    expect(cloud.store.docs('staff').length).toBeGreaterThan(0)
    for (const s of cloud.store.docs('staff')) {
      expect(all.text).not.toContain(`&quot;${String(s.openid)}&quot;`)
      expect(all.text).not.toContain(`&quot;${String(s.name)}&quot;`)
    }

    const station = cloud.store.docs('stations')[0] as Record<string, unknown>
    const stations = await get('/console/collections/stations')
    expect(stations.text).toContain(String(station.consultPhone))
    expect(stations.text).toContain(String(station.supervisionPhone))
  })

  test('a filter can find a person by a value it does not show', async () => {
    const page = await get(`/console/collections/staff?${q({ filter: `mobile=${MOBILE}` })}`)
    expect(shownDocs(page.text).map((d) => d._id)).toEqual(['staff-test-wang'])
    expect(page.text).not.toContain(`&quot;mobile&quot;: &quot;${MOBILE}`)
  })
})

describe('exports', () => {
  test('CSV with a field list: a download, BOM first, properly escaped, masked', async () => {
    const res = await get(
      `/console/collections/staff/export?${q({ format: 'csv', fields: '_id,name,mobile,idNumber,note,createdAt,missing', filter: '{"_id":"staff-test-wang"}' })}`
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="staff-\d{8}-\d{6}\.csv"$/)
    expect([...res.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(res.text.startsWith('\uFEFF')).toBe(true)
    expect(res.text.slice(1)).toBe(
      '_id,name,mobile,idNumber,note,createdAt,missing\r\n' +
        'staff-test-wang,王*芳,138****5678,1101**********1234,"备用 138****5678, 证件 1101**********1234, ""急""\n第二行",2026-01-15T01:30:00.000Z,\r\n'
    )
  })

  test('CSV without a field list is refused, saying what is missing', async () => {
    for (const fields of [undefined, '', ' ']) {
      const res = await get(
        `/console/collections/services/export?${q({ format: 'csv', ...(fields === undefined ? {} : { fields }) })}`
      )
      expect(res.status).toBe(400)
      expect(res.headers.get('content-disposition')).toBeNull()
      expect(res.text).toContain('CSV 导出需要字段列表')
    }
  })

  test('JSON lines, filtered and sorted like the page, nested values kept, masked', async () => {
    const res = await get(
      `/console/collections/services/export?${q({ format: 'jsonl', filter: 'category=id_card', sort: 'order' })}`
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="services-\d{8}-\d{6}\.json"$/
    )
    const lines = res.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    const expected = cloud.store
      .docs('services')
      .filter((d) => d.category === 'id_card')
      .sort((a, b) => Number(a.order) - Number(b.order))
    expect(lines.map((l) => l._id)).toEqual(expected.map((d) => d._id))
    expect(lines[0]?.materials).toEqual(expected[0]?.materials)

    const staff = await get(
      `/console/collections/staff/export?${q({ format: 'jsonl', filter: '{"_id":"staff-test-wang"}' })}`
    )
    expect(JSON.parse(staff.text)).toMatchObject({
      mobile: '138****5678',
      idNumber: '1101**********1234',
      createdAt: '2026-01-15T01:30:00.000Z'
    })
    expect(staff.text).not.toContain(MOBILE)
  })

  test('a bad format or filter is a 400 page, not a file', async () => {
    expect((await get('/console/collections/services/export?format=xlsx')).status).toBe(400)
    const bad = await get(`/console/collections/services/export?${q({ format: 'jsonl', filter: '{oops' })}`)
    expect(bad.status).toBe(400)
    expect(bad.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect((await get('/console/collections/nope/export?format=jsonl')).status).toBe(404)
  })
})

describe('escaping', () => {
  test('a document holding markup renders inert', async () => {
    cloud.store.ensureCollection('console_xss')
    cloud.store.commit([
      {
        coll: 'console_xss',
        id: 'x',
        doc: { _id: 'x', title: '<script>alert(1)</script>', '<img src=x onerror=alert(2)>': '"><b>' }
      }
    ])
    const page = await get('/console/collections/console_xss')
    expect(page.status).toBe(200)
    expect(page.text).not.toMatch(/<script/i)
    expect(page.text).not.toContain('<img')
    expect(page.text).not.toContain('"><b>')
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(shownDocs(page.text)[0]?.title).toBe('<script>alert(1)</script>')
  })

  test('a filter echoed back into the form cannot close it', async () => {
    const evil = '</textarea><script>alert(1)</script>"><svg onload=alert(1)>'
    const page = await get(`/console/collections/services?${q({ filter: evil, sort: evil })}`)
    expect(page.status).toBe(400)
    expect(page.text).not.toMatch(/<script|<svg/i)
    expect(page.text).toContain('&lt;/textarea&gt;&lt;script&gt;')
  })
})

describe('read-only and bad input', () => {
  test('anything but GET or HEAD is 405 and changes nothing', async () => {
    const before = snapshot(cloud)
    for (const [method, path] of [
      ['POST', '/console'],
      ['POST', '/console/collections/services'],
      ['PUT', '/console/collections/staff'],
      ['DELETE', '/console/collections/staff'],
      ['PATCH', '/console/collections/services/export?format=jsonl']
    ] as const) {
      const res = await get(path, { method, body: method === 'DELETE' ? undefined : '{"_id":"x"}' })
      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).toBe('GET, HEAD')
      expect(res.text).toContain('只读')
    }
    expect(snapshot(cloud)).toEqual(before)

    const head = await get('/console', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.bytes.length).toBe(0)
  })

  test('a malformed filter is a 400 with a plain message on the page, never a stack trace', async () => {
    for (const filter of ['{"category":', '{"a":{"$nope":1}}', '{"$where":"this.x"}', 'category']) {
      const page = await get(`/console/collections/services?${q({ filter })}`)
      expect(page.status).toBe(400)
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(page.text).toContain('data-testid="error"')
      expectNoStackTrace(page.text)
    }
    expect((await get(`/console/collections/services?${q({ filter: '{"category":' })}`)).text).toContain(
      '筛选条件不是合法的 JSON'
    )
  })

  test('an unknown collection or page is a 404; a garbled address is a 400', async () => {
    const unknown = await get('/console/collections/no_such_thing')
    expect(unknown.status).toBe(404)
    expect(unknown.text).toContain('没有名为“no_such_thing”的集合')
    expect((await get('/console/nowhere')).status).toBe(404)
    const garbled = await get('/console/collections/%E0%A4%A')
    expect(garbled.status).toBe(400)
    expectNoStackTrace(garbled.text)
  })
})

describe('function log', () => {
  test('shows a call to the guide function: action, request id, masked caller, result, duration, cold start', async () => {
    const call = await callFunction(
      cloud,
      'guide',
      { action: 'listStations', payload: {} },
      'demo-resident-wang'
    )
    expect(call.status).toBe(200)
    const entry = cloud.invocations[cloud.invocations.length - 1]
    expect(entry?.fn).toBe('guide')

    const page = await get('/console/functions?fn=guide')
    expect(page.status).toBe(200)
    const row =
      new RegExp(
        `<tr data-testid="invocation"[^>]*>(?:(?!</tr>)[\\s\\S])*${entry?.requestId}[\\s\\S]*?</tr>`
      ).exec(page.text)?.[0] ?? ''
    expect(row).toContain('<code>listStations</code>')
    expect(row).toContain('<code>de…ng</code>')
    expect(row).toContain('成功 ok')
    expect(row).toContain(`${entry?.durationMs} ms`)
    expect(row).toContain(entry?.coldStart ? '<td>是 yes</td>' : '<td>否 no</td>')
    expect(page.text).not.toContain('demo-resident-wang')

    const failures = await get('/console/functions?fn=guide&failed=1')
    expect(failures.text).toContain('data-testid="no-invocations"')
  })
})

describe('messages', () => {
  test('an empty state before any message is sent', async () => {
    const page = await get('/console/messages')
    expect(page.status).toBe(200)
    expect(page.text).toContain('还没有发送过订阅消息')
  })

  test('delivered and refused messages with their error codes, recipient and data masked', async () => {
    const sent: SentMessage[] = [
      {
        id: 'm2',
        at: new Date('2026-01-15T01:31:00Z'),
        fn: 'appointment',
        touser: OPENID,
        templateId: 'tmpl-reminder',
        templateTitle: '预约提醒',
        page: 'pages/appointment/index?id=a1',
        data: {
          name1: { value: '王小芳' },
          phone_number2: { value: MOBILE },
          thing3: { value: '居民身份证换领' }
        },
        errCode: 43101,
        errMsg: 'user refuse to accept the msg'
      },
      {
        id: 'm1',
        at: new Date('2026-01-15T01:30:00Z'),
        fn: 'appointment',
        touser: 'demo-resident-wang',
        templateId: 'tmpl-confirm',
        data: { thing1: { value: '居民身份证换领' } },
        errCode: 0,
        errMsg: 'ok'
      }
    ]
    const list = jest.spyOn(cloud.messages, 'list').mockReturnValue(sent)
    try {
      const page = await get('/console/messages')
      expect(page.status).toBe(200)
      expect(page.text).toContain('已送达 delivered <strong>1</strong> · 被拒绝 refused <strong>1</strong>')
      expect(page.text).toContain('被拒绝 refused 43101')
      expect(page.text).toContain('2026-01-15 09:31:00')
      expect(page.text).toContain('<code>oV…qI</code>')
      expect(page.text).toContain('<code>de…ng</code>')
      expect(page.text).toContain('王*芳')
      expect(page.text).toContain('138****5678')
      for (const raw of [OPENID, 'demo-resident-wang', '王小芳', MOBILE]) expect(page.text).not.toContain(raw)

      const refused = await get('/console/messages?status=refused')
      expect(refused.text.match(/data-testid="message"/g)).toHaveLength(1)
      expect(refused.text).toContain('tmpl-reminder')
      expect((await get('/console/messages?status=lost')).status).toBe(400)
    } finally {
      list.mockRestore()
    }
  })
})

describe('function log: failures', () => {
  let fixtures: Cloud
  beforeAll(async () => {
    fixtures = await freshCloud({ functionsDir: FIXTURE_FUNCTIONS_BUILD, seed: false })
  })
  afterAll(async () => {
    await fixtures.close()
  })

  test("the overview lists each function's timeout, open-API permissions and timer triggers from its config.json", async () => {
    const text = await fetch(`${fixtures.url}/console`).then((r) => r.text())
    const row = (fn: string): string => new RegExp(`<tr data-function="${fn}">.*?</tr>`).exec(text)?.[0] ?? ''
    const ticker = fixtures.pool.config('ticker').triggers?.[0]
    expect(ticker?.type).toBe('timer')
    expect(row('ticker')).toContain(`<code>${ticker?.name}</code>: <code>${ticker?.config}</code>`)
    expect(row('slow')).toContain(`<td>${fixtures.pool.config('slow').timeout} s</td>`)
    expect(row('whoami')).toContain('3 s <span class="muted">(默认 default)</span>')
    const permissions = fixtures.pool
      .functionNames()
      .flatMap((fn) => (fixtures.pool.config(fn).permissions?.openapi ?? []).map((api) => [fn, api] as const))
    expect(permissions.length).toBeGreaterThan(0)
    for (const [fn, api] of permissions) expect(row(fn)).toContain(`<code>${api}</code>`)
  })

  test('failures only, with the cloud error code; newest first', async () => {
    await callFunction(fixtures, 'whoami', {}, 'resident-a')
    const failed = await callFunction<{ requestId: string }>(
      fixtures,
      'whoami',
      { mode: 'throw' },
      'resident-b'
    )
    expect(failed.status).toBe(500)
    await callFunction(fixtures, 'whoami', {}, 'resident-c')

    const all = await fetch(`${fixtures.url}/console/functions`).then((r) => r.text())
    expect(all.match(/data-testid="invocation"/g)).toHaveLength(3)
    expect(all.indexOf('re…-c')).toBeLessThan(all.indexOf('re…-a'))

    const res = await fetch(`${fixtures.url}/console/functions?failed=1&fn=whoami`)
    const text = await res.text()
    expect(res.status).toBe(200)
    expect(text.match(/data-testid="invocation"/g)).toHaveLength(1)
    expect(text).toContain(failed.body.requestId)
    expect(text).toContain('失败 -504002')
    expect(text).toContain('执行失败')
  })
})
