/**
 * The holiday table as a calendar. Supervisors (督察) keep it: every year's status; a month grid
 * (one month at a time, ‹ ›) of working days, rest days, statutory holidays, make-up working days
 * and the station's closures, with a legend; a newly announced year is loaded — pasted from the
 * State Council's notice, or day by day by tapping dates in the grid — then checked in the grid
 * and confirmed to open it for booking. Leaders and supervisors close the window for a day, a
 * range of days or part of a day, with dates and times picked (Picker), never typed; the bookings
 * it covers are cancelled and the residents told. Every action is checked on the server.
 */
import { Input, Picker, Text, Textarea, View } from '@tarojs/components'
import { useState } from 'react'
import type { Closure } from '../../../types/appointment'
import type { StationOutputs } from '../../../types/station-admin'
import { addDays, formatLocalDate, localDate } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { Async } from '../../components/states'
import { useResult } from '../../components/use-result'
import { Badge, Button, Card, Chip, cx } from '../../components/ui'
import { useSubmit } from '../../components/use-submit'
import { navigate } from '../../navigation'
import { KIND_LABELS, leadingBlanks, monthDays, stepMonth, type MonthDay } from './month'
import { parseYearText, type ParsedDay } from './parse'
import './index.css'

const STATION = 'st-yunxi-chengguan'
const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日']

type Year = StationOutputs['calendars'][number]

export default function CalendarAdmin() {
  const years = useResult(() => call('station', 'calendars', {}), 'years')
  return <Async result={years}>{(data) => <Calendar years={data} reload={years.reload} />}</Async>
}

function Calendar({ years, reload }: { years: Year[]; reload: () => void }) {
  const today = localDate(Date.now())
  const [closuresKey, setClosuresKey] = useState(0)
  return (
    <PageShell testId="calendar-admin" className="calendar-admin">
      <Years years={years} reload={reload} today={today} closuresVersion={closuresKey} />
      <Closures today={today} onAdded={() => setClosuresKey((n) => n + 1)} />
      <Button
        variant="secondary"
        className="calendar-link"
        testId="team-link"
        onClick={() => navigate('officer/team/index')}
      >
        值班与人员：邀请码、值班表
      </Button>
      <Button
        variant="secondary"
        className="calendar-link"
        testId="dashboard-link"
        onClick={() => navigate('supervisor/dashboard/index')}
      >
        服务评价与业务量：满意率、差评回访、业务量
      </Button>
    </PageShell>
  )
}

function statusOf(y: Year): { text: string; tone: 'green' | 'orange' | 'plain' } {
  const loaded = y.days.length > 0 || y.source
  return !loaded
    ? { text: '未发布（不开放预约）', tone: 'plain' }
    : y.confirmed
      ? { text: '已确认', tone: 'green' }
      : { text: '待确认（暂不开放预约）', tone: 'orange' }
}

function Years({
  years,
  reload,
  today,
  closuresVersion
}: {
  years: Year[]
  reload: () => void
  today: string
  closuresVersion: number
}) {
  const thisYear = Number(today.slice(0, 4))
  const nextYear = thisYear + 1
  const shown: Year[] = years.some((y) => y.year === nextYear)
    ? years
    : [...years, { year: nextYear, confirmed: false, source: '', days: [], updatedAt: '' }]
  const [view, setView] = useState({ year: thisYear, month: Number(today.slice(5, 7)) })
  const [picked, setPicked] = useState<string | undefined>(today)
  // Unsaved changes to a year not yet confirmed: its exceptions as they will be saved.
  const [draft, setDraft] = useState<{ year: number; days: ParsedDay[] } | undefined>()
  const [message, setMessage] = useState<string | undefined>()
  const saving = useSubmit()

  const table = shown.find((y) => y.year === view.year)
  const editing = draft?.year === view.year ? draft.days : undefined
  const shownDays = editing ?? table?.days
  const first = `${view.year}-${String(view.month).padStart(2, '0')}-01`
  const closures = useResult(
    () => call('station', 'closures', { stationId: STATION, from: first, to: addDays(first, 31) }),
    `month-closures-${first}-${closuresVersion}`
  )
  const month = monthDays(
    view.year,
    view.month,
    shownDays ? { days: shownDays } : undefined,
    closures.status === 'ok' ? closures.data : []
  )
  const editable = view.year === nextYear || (table !== undefined && !table.confirmed)

  function go(year: number, month: number) {
    setView({ year, month })
    setPicked(undefined)
  }

  function mark(date: string, kind: 'holiday' | 'workday' | 'none', name: string) {
    const base = editing ?? table?.days ?? []
    const rest = base.filter((d) => d.date !== date)
    const days = kind === 'none' ? rest : [...rest, { date, kind, name: name.trim() || '节假日' }]
    setDraft({ year: view.year, days: days.sort((a, b) => a.date.localeCompare(b.date)) })
    setMessage(undefined)
  }

  async function save(year: number, days: ParsedDay[]) {
    if (days.length === 0) return setMessage('请至少标出一天节假日或调休上班')
    const res = await saving.submit(() =>
      call('station', 'saveCalendarYear', { year, days, source: '国务院办公厅节假日安排通知' })
    )
    if (!res.ok) return setMessage(res.error.message)
    setDraft(undefined)
    setMessage(`已录入 ${year} 年 ${res.data.days} 天，请在月历中核对后确认开放预约`)
    reload()
  }

  async function confirm(year: number) {
    const res = await call('station', 'confirmCalendarYear', { year })
    setMessage(res.ok ? `${year} 年已确认，居民可以预约该年的日期` : res.error.message)
    if (res.ok) reload()
  }

  const day = picked ? month.find((d) => d.date === picked) : undefined
  const status = table ? statusOf(table) : { text: '未发布（不开放预约）', tone: 'plain' as const }

  return (
    <View>
      <View className="section-title">
        <Text>节假日与调休表</Text>
      </View>
      <View className="card years">
        {shown.map((y) => {
          const s = statusOf(y)
          const loaded = y.days.length > 0 || y.source
          return (
            <View
              key={y.year}
              className={cx('year', y.year === view.year && 'year-on')}
              data-testid={`year-${y.year}`}
              onClick={() => go(y.year, y.year === thisYear ? Number(today.slice(5, 7)) : 1)}
            >
              <View className="year-head">
                <Text className="year-title">{y.year} 年</Text>
                <Badge tone={s.tone}>{s.text}</Badge>
              </View>
              {loaded ? (
                <View className="muted">
                  <Text>
                    节假日 {y.days.filter((d) => d.kind === 'holiday').length} 天，调休上班{' '}
                    {y.days.filter((d) => d.kind === 'workday').length} 天
                  </Text>
                </View>
              ) : null}
              {loaded && !y.confirmed ? (
                <Button testId={`confirm-${y.year}`} onClick={() => void confirm(y.year)}>
                  核对无误，确认开放预约
                </Button>
              ) : null}
            </View>
          )
        })}
      </View>

      <View className="card month" data-testid="month">
        <View className="month-nav">
          <Button
            variant="secondary"
            className="month-step"
            ariaLabel="上个月"
            testId="month-prev"
            onClick={() => {
              const m = stepMonth(view.year, view.month, -1)
              go(m.year, m.month)
            }}
          >
            ‹
          </Button>
          <View className="month-title">
            <Text data-testid="month-title">
              {view.year}年{view.month}月
            </Text>
            <Text className={cx('month-status', `month-status-${status.tone}`)}>
              {editing ? '有未保存的修改' : status.text}
            </Text>
          </View>
          <Button
            variant="secondary"
            className="month-step"
            ariaLabel="下个月"
            testId="month-next"
            onClick={() => {
              const m = stepMonth(view.year, view.month, 1)
              go(m.year, m.month)
            }}
          >
            ›
          </Button>
        </View>
        <View className="month-grid" role="grid">
          {WEEKDAYS.map((w) => (
            <View key={w} className="month-dow" role="columnheader">
              <Text>{w}</Text>
            </View>
          ))}
          {Array.from({ length: leadingBlanks(month) }, (_, i) => (
            <View key={`b${i}`} className="month-blank" />
          ))}
          {month.map((d) => (
            <DayCell
              key={d.date}
              day={d}
              today={today}
              picked={d.date === picked}
              onPick={() => setPicked(d.date)}
            />
          ))}
        </View>
        <Legend />
        {day ? (
          <DayDetail
            key={day.date}
            day={day}
            editable={editable}
            onMark={(kind, name) => mark(day.date, kind, name)}
          />
        ) : null}
        {editing ? (
          <View className="month-actions">
            <Button busy={saving.busy} testId="save-marks" onClick={() => void save(view.year, editing)}>
              保存 {view.year} 年安排（共 {editing.length} 天）
            </Button>
            <Button variant="secondary" testId="discard-marks" onClick={() => setDraft(undefined)}>
              放弃修改
            </Button>
          </View>
        ) : null}
      </View>

      {message ? (
        <View className="calendar-message" role="status" data-testid="calendar-message">
          <Text>{message}</Text>
        </View>
      ) : null}

      <PasteYear
        year={nextYear}
        busy={saving.busy}
        onSave={(days) => {
          go(nextYear, 1)
          void save(nextYear, days)
        }}
        onProblem={setMessage}
      />
    </View>
  )
}

function DayCell({
  day,
  today,
  picked,
  onPick
}: {
  day: MonthDay
  today: string
  picked: boolean
  onPick: () => void
}) {
  const closed = day.closures.length > 0
  const allDay = day.closures.some((c) => !c.start)
  const label = [
    formatLocalDate(day.date),
    KIND_LABELS[day.kind],
    day.name,
    closed ? (allDay ? '全天停办' : '部分时段停办') : ''
  ]
    .filter(Boolean)
    .join('，')
  return (
    <View
      role="gridcell"
      aria-label={label}
      aria-selected={picked}
      className={cx(
        'month-day',
        `day-${day.kind}`,
        closed && 'day-closed',
        day.date === today && 'day-today',
        picked && 'day-picked'
      )}
      onClick={onPick}
      data-testid={`day-${day.date}`}
      data-kind={day.kind}
      data-closed={closed ? (allDay ? 'all' : 'part') : undefined}
    >
      <Text className="day-num">{Number(day.date.slice(8))}</Text>
      <Text className="day-mark">
        {closed ? '停' : day.kind === 'holiday' ? '休' : day.kind === 'makeup' ? '班' : ''}
      </Text>
    </View>
  )
}

function Legend() {
  const items: [string, string][] = [
    ['day-working', '工作日'],
    ['day-rest', '休息日'],
    ['day-holiday', '休 法定节假日'],
    ['day-makeup', '班 调休上班'],
    ['day-closed', '停 窗口停办']
  ]
  return (
    <View className="legend" data-testid="calendar-legend">
      {items.map(([cls, text]) => (
        <View key={cls} className="legend-item">
          <View className={cx('legend-swatch', cls)} />
          <Text>{text}</Text>
        </View>
      ))}
    </View>
  )
}

function closureText(c: Closure): string {
  return `${c.start && c.end ? `${c.start}–${c.end}` : '全天'}停办：${c.reason}`
}

function DayDetail({
  day,
  editable,
  onMark
}: {
  day: MonthDay
  editable: boolean
  onMark: (kind: 'holiday' | 'workday' | 'none', name: string) => void
}) {
  const [name, setName] = useState(day.name ?? '')
  return (
    <View className="day-detail" data-testid="day-detail">
      <Text className="day-detail-title">
        {formatLocalDate(day.date)}：{KIND_LABELS[day.kind]}
        {day.name ? `（${day.name}）` : ''}
      </Text>
      {day.closures.map((c) => (
        <View key={c._id} className="day-detail-closure">
          <Text>{closureText(c)}</Text>
        </View>
      ))}
      {editable ? (
        <View className="day-detail-edit">
          <Input
            className="form-input"
            value={name}
            maxlength={20}
            placeholder="名称，如 春节"
            onInput={(e) => setName(e.detail.value)}
            data-testid="mark-name"
          />
          <View className="chips">
            <Chip on={day.kind === 'holiday'} onClick={() => onMark('holiday', name)} testId="mark-holiday">
              <Text>设为节假日</Text>
            </Chip>
            <Chip on={day.kind === 'makeup'} onClick={() => onMark('workday', name)} testId="mark-workday">
              <Text>设为调休上班</Text>
            </Chip>
            {day.name ? (
              <Chip onClick={() => onMark('none', '')} testId="mark-none">
                <Text>恢复平常</Text>
              </Chip>
            ) : null}
          </View>
        </View>
      ) : null}
    </View>
  )
}

/** The quick way to load a whole year: paste the notice's list, one day a line. */
function PasteYear({
  year,
  busy,
  onSave,
  onProblem
}: {
  year: number
  busy: boolean
  onSave: (days: ParsedDay[]) => void
  onProblem: (problem: string) => void
}) {
  const [open, setOpen] = useState(false)
  const [text, setText] = useState('')
  if (!open)
    return (
      <Button variant="secondary" className="paste-open" testId="paste-open" onClick={() => setOpen(true)}>
        整年粘贴录入 {year} 年安排
      </Button>
    )
  return (
    <View className="card">
      <View className="muted">
        <Text>
          国务院公布后，可整段粘贴，每行一天：日期 休/班 名称，如“{year}-01-01 休
          元旦”。也可以在上面的月历中逐日点选。
        </Text>
      </View>
      <Textarea
        className="year-text"
        value={text}
        maxlength={4000}
        onInput={(e) => setText(e.detail.value)}
        data-testid="year-text"
      />
      <Button
        variant="secondary"
        busy={busy}
        testId="save-year"
        onClick={() => {
          const parsed = parseYearText(year, text)
          if ('problem' in parsed) return onProblem(parsed.problem)
          onSave(parsed.days)
        }}
      >
        保存 {year} 年安排
      </Button>
    </View>
  )
}

function Closures({ today, onAdded }: { today: string; onAdded: () => void }) {
  const list = useResult(
    () => call('station', 'closures', { stationId: STATION, from: today, to: addDays(today, 60) }),
    'closures'
  )
  const [from, setFrom] = useState(today)
  const [to, setTo] = useState(today)
  const [allDay, setAllDay] = useState(true)
  const [start, setStart] = useState('14:00')
  const [end, setEnd] = useState('17:00')
  const [reason, setReason] = useState('')
  const [message, setMessage] = useState<string | undefined>()
  // One request id per closure: a retry after a lost answer does not close the window twice.
  const adding = useSubmit()
  const lastDay = addDays(today, 365)

  async function add() {
    if (!reason.trim()) return setMessage('请填写停办原因，如 系统升级')
    if (to < from) return setMessage('结束日期应不早于开始日期')
    if (!allDay && start >= end) return setMessage('结束时间应晚于开始时间')
    const res = await adding.submit((requestId) =>
      call('station', 'addClosure', {
        requestId,
        stationId: STATION,
        date: from,
        ...(to !== from ? { to } : {}),
        reason: reason.trim(),
        ...(allDay ? {} : { start, end })
      })
    )
    if (!res.ok) return setMessage(res.error.message)
    const days = res.data.closures.length
    setMessage(
      `已设置停办${days > 1 ? `（${days} 天）` : ''}；取消了 ${res.data.cancelled} 个受影响的预约，并已通知居民`
    )
    setReason('')
    list.reload()
    onAdded()
  }

  return (
    <View>
      <View className="section-title">
        <Text>窗口临时停办</Text>
      </View>
      <View className="card form">
        <View className="closure-range">
          <View className="closure-field">
            <Text className="closure-label">从</Text>
            <View className="closure-picker">
              <Picker
                mode="date"
                value={from}
                start={today}
                end={lastDay}
                onChange={(e) => {
                  const d = String(e.detail.value)
                  setFrom(d)
                  if (to < d) setTo(d)
                }}
              >
                <View className="form-input picker-value" data-testid="closure-from">
                  <Text>{formatLocalDate(from)}</Text>
                </View>
              </Picker>
            </View>
          </View>
          <View className="closure-field">
            <Text className="closure-label">到</Text>
            <View className="closure-picker">
              <Picker
                mode="date"
                value={to}
                start={from}
                end={lastDay}
                onChange={(e) => setTo(String(e.detail.value))}
              >
                <View className="form-input picker-value" data-testid="closure-to">
                  <Text>{formatLocalDate(to)}</Text>
                </View>
              </Picker>
            </View>
          </View>
        </View>
        <View className="chips">
          <Chip
            pill
            on={allDay}
            role="radio"
            ariaChecked={allDay}
            onClick={() => setAllDay(true)}
            testId="closure-all-day"
          >
            <Text>全天</Text>
          </Chip>
          <Chip
            pill
            on={!allDay}
            role="radio"
            ariaChecked={!allDay}
            onClick={() => setAllDay(false)}
            testId="closure-part-day"
          >
            <Text>部分时段</Text>
          </Chip>
        </View>
        {allDay ? null : (
          <View className="closure-dates">
            <View className="closure-field">
              <View className="closure-picker">
                <Picker mode="time" value={start} onChange={(e) => setStart(String(e.detail.value))}>
                  <View className="form-input picker-value" data-testid="closure-start">
                    <Text>{start}</Text>
                  </View>
                </Picker>
              </View>
            </View>
            <Text className="closure-label closure-to">至</Text>
            <View className="closure-field">
              <View className="closure-picker">
                <Picker mode="time" value={end} onChange={(e) => setEnd(String(e.detail.value))}>
                  <View className="form-input picker-value" data-testid="closure-end">
                    <Text>{end}</Text>
                  </View>
                </Picker>
              </View>
            </View>
          </View>
        )}
        <Input
          className="form-input"
          placeholder="原因（20字内），如 系统升级"
          value={reason}
          maxlength={20}
          onInput={(e) => setReason(e.detail.value)}
          data-testid="closure-reason"
        />
        <Button testId="add-closure" busy={adding.busy} onClick={() => void add()}>
          设置停办并通知受影响的居民
        </Button>
      </View>
      {message ? (
        <View className="calendar-message" role="status" data-testid="closure-message">
          <Text>{message}</Text>
        </View>
      ) : null}
      {list.status === 'ok'
        ? list.data.map((c) => (
            <Card key={c._id} testId="closure-item">
              <Text>
                {formatLocalDate(c.date)} {closureText(c)}
              </Text>
            </Card>
          ))
        : null}
    </View>
  )
}
