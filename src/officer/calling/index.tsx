/**
 * 叫号: the calling panel of one window. The officer picks their window and a line; 叫下一位 calls
 * the number the merge rule picks (an appointment in its slot before walk-ins, no walk-in passed
 * more than the station's limit: docs/queue.md); a called number can be recalled, started,
 * finished, moved to another line, or — after three calls with nobody coming — skipped as a
 * no-show. The waiting numbers show in the order they will be called. Numbers only, no names.
 * The board refreshes after every action and every few seconds while the page is shown.
 */
import { Text, View } from '@tarojs/components'
import { useDidHide, useDidShow, useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { CALLS_BEFORE_SKIP, POLL_MS, type BoardLine, type BoardTicket } from '../../../types/queue'
import type { StaffView } from '../../../types/staff-admin'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { StaffOnly } from '../../components/staff-only'
import { Async } from '../../components/states'
import { useResult } from '../../components/use-result'
import { Badge, Button, Card, Chip, FormError } from '../../components/ui'
import './index.css'

const DEFAULT_STATION = 'st-yunxi-chengguan'
const WINDOWS = [1, 2, 3]

export default function Calling() {
  return <StaffOnly>{(me) => <Panel me={me} />}</StaffOnly>
}

function Panel({ me }: { me: StaffView }) {
  const { params } = useRouter()
  const stationId = me.stationId || DEFAULT_STATION
  const [window, setWindow] = useState(Number(params.window) || 1)
  const [line, setLine] = useState(params.line || 'A')
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const board = useResult(() => call('queue', 'board', { stationId }), `board-${stationId}`)
  const [visible, setVisible] = useState(true)
  useDidShow(() => {
    setVisible(true)
    board.reload()
  })
  useDidHide(() => setVisible(false))
  const { reload } = board
  useEffect(() => {
    if (!visible) return undefined
    const timer = setInterval(reload, POLL_MS * 2)
    return () => clearInterval(timer)
  }, [visible, reload])

  async function act(run: () => Promise<{ ok: boolean; error?: { message: string } }>) {
    if (busy) return
    setBusy(true)
    const res = await run().catch(() => ({ ok: false, error: { message: '网络连接失败，请再试一次' } }))
    setBusy(false)
    setError(res.ok ? undefined : res.error?.message)
    reload()
  }

  return (
    <PageShell testId="calling" className="calling-page">
      <View className="calling-pickers">
        <Text className="muted">窗口</Text>
        {WINDOWS.map((w) => (
          <Chip key={w} on={w === window} onClick={() => setWindow(w)} testId={`window-${w}`}>
            {w}号
          </Chip>
        ))}
      </View>
      <Async result={board}>
        {(b) => {
          const current = b.lines.find((l) => l.key === line) ?? b.lines[0]
          if (!current) return <Text>本所没有设置排队队列</Text>
          return (
            <View>
              <View className="calling-pickers">
                {b.lines.map((l) => (
                  <Chip
                    key={l.key}
                    pill
                    on={l.key === current.key}
                    onClick={() => setLine(l.key)}
                    testId={`line-${l.key}`}
                  >
                    {l.key} {l.label}（{l.waiting.length}）
                  </Chip>
                ))}
              </View>
              <Button
                busy={busy}
                className="calling-next"
                testId="call-next"
                onClick={() =>
                  void act(() => call('queue', 'callNext', { stationId, line: current.key, window }))
                }
              >
                叫下一位（{window}号窗口）
              </Button>
              {error ? <FormError testId="calling-error">{error}</FormError> : null}
              <Active
                line={current}
                lines={b.lines}
                busy={busy}
                onAct={(run) => void act(run)}
                stationId={stationId}
              />
              <Waiting line={current} max={b.maxWalkInSkips} />
            </View>
          )
        }}
      </Async>
    </PageShell>
  )
}

type Run = () => Promise<{ ok: boolean; error?: { message: string } }>

function Active({
  line,
  lines,
  busy,
  onAct,
  stationId
}: {
  line: BoardLine
  lines: BoardLine[]
  busy: boolean
  onAct: (run: Run) => void
  stationId: string
}) {
  if (line.active.length === 0) return null
  return (
    <View>
      <View className="section-title">
        <Text>正在叫号 / 办理</Text>
      </View>
      {line.active.map((t) => {
        const ref = { stationId, ticketId: t.ticketId }
        return (
          <Card key={t.ticketId} className="calling-active" testId="active-ticket">
            <View className="calling-row">
              <Text className="calling-number">{t.number}</Text>
              <Text>
                {t.window}号窗口 · {t.status === 'serving' ? '办理中' : `已叫${t.calls}次`}
              </Text>
              {t.kind === 'appointment' ? <Badge tone="green">预约</Badge> : null}
            </View>
            <View className="calling-actions">
              {t.status === 'called' ? (
                <>
                  <Button
                    busy={busy}
                    variant="secondary"
                    testId="recall"
                    onClick={() => onAct(() => call('queue', 'recall', ref))}
                  >
                    重呼
                  </Button>
                  <Button busy={busy} testId="start" onClick={() => onAct(() => call('queue', 'start', ref))}>
                    开始办理
                  </Button>
                  <Button
                    busy={busy}
                    variant="warning"
                    testId="skip"
                    onClick={() =>
                      t.calls >= CALLS_BEFORE_SKIP ? onAct(() => call('queue', 'skip', ref)) : undefined
                    }
                    ariaLabel={t.calls >= CALLS_BEFORE_SKIP ? '过号' : `叫满${CALLS_BEFORE_SKIP}次后才能过号`}
                    className={t.calls >= CALLS_BEFORE_SKIP ? undefined : 'calling-disabled'}
                  >
                    过号{t.calls >= CALLS_BEFORE_SKIP ? '' : `（叫满${CALLS_BEFORE_SKIP}次）`}
                  </Button>
                </>
              ) : null}
              <Button busy={busy} testId="finish" onClick={() => onAct(() => call('queue', 'finish', ref))}>
                办结
              </Button>
              {t.status === 'called'
                ? lines
                    .filter((l) => l.key !== line.key)
                    .map((l) => (
                      <Button
                        key={l.key}
                        busy={busy}
                        variant="secondary"
                        testId={`transfer-${l.key}`}
                        onClick={() => onAct(() => call('queue', 'transfer', { ...ref, line: l.key }))}
                      >
                        转到{l.key} {l.label}
                      </Button>
                    ))
                : null}
            </View>
          </Card>
        )
      })}
    </View>
  )
}

function Waiting({ line, max }: { line: BoardLine; max: number }) {
  return (
    <View>
      <View className="calling-stats">
        <Text>
          等候 {line.waiting.length} 人 · 平均每人 {line.serviceMinutes} 分钟 · 已办结 {line.done} · 过号{' '}
          {line.noShow}
        </Text>
      </View>
      {line.waiting.length === 0 ? (
        <Card>
          <Text className="muted">没有等候的号码</Text>
        </Card>
      ) : (
        <Card>
          {line.waiting.map((t, i) => (
            <WaitingRow key={t.ticketId} t={t} place={i + 1} max={max} />
          ))}
        </Card>
      )}
    </View>
  )
}

function WaitingRow({ t, place, max }: { t: BoardTicket; place: number; max: number }) {
  return (
    <View className="calling-waiting" data-testid="waiting-ticket">
      <Text className="calling-place">{place}</Text>
      <Text className="calling-waiting-number">{t.number}</Text>
      {t.kind === 'appointment' && t.slot ? (
        <Badge tone="green">
          预约 {t.slot.start}–{t.slot.end}
        </Badge>
      ) : null}
      {t.passed > 0 ? (
        <Text className="muted">
          被插队{t.passed}/{max}
        </Text>
      ) : null}
    </View>
  )
}
