/**
 * Supervisors (督察) keep the holiday table: each year's status, loading a newly announced year
 * (pasted from the State Council's notice), confirming it to open it for booking. Leaders and
 * supervisors close the window for a day or part of it; the bookings it covers are cancelled and
 * the residents told. Every action is checked on the server against the staff collection.
 */
import { Input, Text, Textarea, View } from '@tarojs/components'
import { useState } from 'react'
import type { StationOutputs } from '../../../types/station-admin'
import { addDays, localDate } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { Async } from '../../components/states'
import { useResult } from '../../components/use-result'
import { parseYearText } from './parse'
import { Button, Card } from '../../components/ui'
import { useSubmit } from '../../components/use-submit'
import { navigate } from '../../navigation'
import './index.css'

const STATION = 'st-yunxi-chengguan'

export default function CalendarAdmin() {
  const years = useResult(() => call('station', 'calendars', {}), 'years')
  return <Async result={years}>{(data) => <Calendar years={data} reload={years.reload} />}</Async>
}

function Calendar({ years, reload }: { years: StationOutputs['calendars']; reload: () => void }) {
  return (
    <PageShell testId="calendar-admin" className="calendar-admin">
      <Years years={years} reload={reload} />
      <Closures />
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

function Years({ years, reload }: { years: StationOutputs['calendars']; reload: () => void }) {
  const nextYear = Number(localDate(Date.now()).slice(0, 4)) + 1
  const [text, setText] = useState('')
  const [message, setMessage] = useState<string | undefined>()
  const shown = years.some((y) => y.year === nextYear)
    ? years
    : [...years, { year: nextYear, confirmed: false, source: '', days: [], updatedAt: '' }]

  async function save() {
    const parsed = parseYearText(nextYear, text)
    if ('problem' in parsed) return setMessage(parsed.problem)
    const res = await call('station', 'saveCalendarYear', {
      year: nextYear,
      days: parsed.days,
      source: '国务院办公厅节假日安排通知'
    })
    setMessage(res.ok ? `已录入 ${nextYear} 年 ${res.data.days} 天，请核对后确认开放预约` : res.error.message)
    if (res.ok) reload()
  }

  async function confirm(year: number) {
    const res = await call('station', 'confirmCalendarYear', { year })
    setMessage(res.ok ? `${year} 年已确认，居民可以预约该年的日期` : res.error.message)
    if (res.ok) reload()
  }

  return (
    <View>
      <View className="section-title">
        <Text>节假日与调休表</Text>
      </View>
      {shown.map((y) => {
        const loaded = y.days.length > 0 || y.source
        const status = !loaded ? '未发布（不开放预约）' : y.confirmed ? '已确认' : '待确认（暂不开放预约）'
        return (
          <View key={y.year} className="card year" data-testid={`year-${y.year}`}>
            <Text className="year-title">{y.year} 年</Text>
            <Text className="badge badge-blue">{status}</Text>
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
      <View className="card">
        <View className="muted">
          <Text>
            录入 {nextYear} 年安排（国务院公布后），每行一天：日期 休/班 名称，如“{nextYear}-01-01 休 元旦”
          </Text>
        </View>
        <Textarea
          className="year-text"
          value={text}
          maxlength={4000}
          onInput={(e) => setText(e.detail.value)}
          data-testid="year-text"
        />
        <Button variant="secondary" testId="save-year" onClick={() => void save()}>
          保存 {nextYear} 年安排
        </Button>
      </View>
      {message ? (
        <View className="notice" role="status" data-testid="calendar-message">
          <Text>{message}</Text>
        </View>
      ) : null}
    </View>
  )
}

function Closures() {
  const today = localDate(Date.now())
  const list = useResult(
    () => call('station', 'closures', { stationId: STATION, from: today, to: addDays(today, 60) }),
    'closures'
  )
  const [date, setDate] = useState('')
  const [start, setStart] = useState('')
  const [end, setEnd] = useState('')
  const [reason, setReason] = useState('')
  const [message, setMessage] = useState<string | undefined>()
  // One request id per closure: a retry after a lost answer does not close the window twice.
  const adding = useSubmit()

  async function add() {
    const res = await adding.submit((requestId) =>
      call('station', 'addClosure', {
        requestId,
        stationId: STATION,
        date: date.trim(),
        reason: reason.trim(),
        ...(start.trim() ? { start: start.trim() } : {}),
        ...(end.trim() ? { end: end.trim() } : {})
      })
    )
    if (!res.ok) return setMessage(res.error.message)
    setMessage(`已设置停办；取消了 ${res.data.cancelled} 个受影响的预约，并已通知居民`)
    list.reload()
  }

  return (
    <View>
      <View className="section-title">
        <Text>窗口临时停办</Text>
      </View>
      <View className="card form">
        <Input
          className="form-input"
          placeholder="日期，如 2026-12-30"
          value={date}
          onInput={(e) => setDate(e.detail.value)}
          data-testid="closure-date"
        />
        <Input
          className="form-input"
          placeholder="开始时间（全天停办不填），如 14:30"
          value={start}
          onInput={(e) => setStart(e.detail.value)}
        />
        <Input
          className="form-input"
          placeholder="结束时间，如 16:00"
          value={end}
          onInput={(e) => setEnd(e.detail.value)}
        />
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
        <View className="notice" role="status" data-testid="closure-message">
          <Text>{message}</Text>
        </View>
      ) : null}
      {list.status === 'ok'
        ? list.data.map((c) => (
            <Card key={c._id} testId="closure-item">
              <Text>
                {c.date} {c.start && c.end ? `${c.start}–${c.end}` : '全天'} · {c.reason}
              </Text>
            </Card>
          ))
        : null}
    </View>
  )
}
