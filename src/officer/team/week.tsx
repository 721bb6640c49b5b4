/**
 * The roster as a week (Monday to Sunday): one row per colleague, one column per day, each cell a
 * strip of the day from 0:00 (top) to 24:00 (bottom) coloured where they are at the window (值班)
 * or on call (备勤); the last row shows the hours with nobody reachable. Leaders and supervisors
 * edit the week in place (shifts with time pickers), save the seven days at once, or copy last
 * week in one action. The gaps are worked out on this page while editing (before saving) and come
 * back from the server once saved; the on-call rule itself is in docs/alerts.md.
 */
import { Picker, Text, View } from '@tarojs/components'
import { useMemo, useState } from 'react'
import {
  daySegments,
  gapSegments,
  sameShifts,
  weekDates,
  weekGaps,
  weekStart,
  type DaySegment,
  type DutyGap,
  type RosterDay,
  type Shift
} from '../../../types/duty'
import type { RosterPerson, StaffOutputs } from '../../../types/staff-admin'
import {
  addDays,
  formatLocalDate,
  isoWeekday,
  localDate,
  localDateTime,
  minutesOf,
  timeOfMinutes
} from '../../../types/time'
import { call } from '../../api/client'
import { Pending } from '../../components/states'
import { useResult } from '../../components/use-result'
import { Button, Chip, cx } from '../../components/ui'
import { useSubmit } from '../../components/use-submit'

const WEEKDAY = ['', '一', '二', '三', '四', '五', '六', '日']

/** "12月7日" */
const monthDay = (date: string) => formatLocalDate(date).split(' ')[0] ?? date

/** "12月7日 20:00 至 12月8日 08:00" (or "至 08:00" within a day) in Shanghai time. */
export function gapText(g: DutyGap): string {
  const when = (iso: string) => `${monthDay(localDate(iso))} ${localDateTime(iso).slice(11)}`
  // Within one day: "11月30日 00:00 至 08:00".
  return localDate(g.start) === localDate(g.end)
    ? `${when(g.start)} 至 ${localDateTime(g.end).slice(11)}`
    : `${when(g.start)} 至 ${when(g.end)}`
}

/** "08:00–20:00 值班，20:00–24:00 备勤" */
function segmentsText(segs: DaySegment[]): string {
  if (!segs.length) return '未排班'
  const t = (m: number) => (m === 1440 ? '24:00' : timeOfMinutes(m))
  return segs.map((s) => `${t(s.from)}–${t(s.to)} ${s.onCall ? '备勤' : '值班'}`).join('，')
}

function shiftText(s: Shift, nameOf: (id: string) => string): string {
  return `${s.start}–${s.end}${s.end <= s.start ? '（次日）' : ''} ${s.onCall ? '备勤' : '值班'}：${
    s.staffIds.map(nameOf).join('、') || '无'
  }`
}

/** The shift a tap on 添加班次 proposes: the day shift first, then the night after the last one. */
function nextShift(list: Shift[]): Shift {
  const last = list[list.length - 1]
  if (!last) return { start: '08:00', end: '20:00', staffIds: [] }
  const start = last.end
  const end = timeOfMinutes((minutesOf(start) + 12 * 60) % 1440)
  const night = minutesOf(start) >= 18 * 60 || minutesOf(start) < 6 * 60
  return { start, end, staffIds: [], ...(night ? { onCall: true } : {}) }
}

export function WeekRoster({
  stationId,
  editable,
  onSaved
}: {
  stationId: string
  editable: boolean
  onSaved: () => void
}) {
  const today = localDate(Date.now())
  const [week, setWeek] = useState(weekStart(today))
  // The Sunday before too: its night shift runs into Monday morning.
  const roster = useResult(
    () => call('staff', 'roster', { stationId, from: addDays(week, -1), to: addDays(week, 6) }),
    `roster-${stationId}-${week}`
  )
  return (
    <View data-testid="roster">
      <View className="section-title">
        <Text>值班表</Text>
      </View>
      <Pending result={roster} />
      {roster.status === 'ok' ? (
        <WeekEditor
          key={week}
          stationId={stationId}
          week={week}
          today={today}
          data={roster.data}
          editable={editable}
          onWeek={(w) => setWeek(w)}
          onSaved={onSaved}
        />
      ) : null}
    </View>
  )
}

function WeekEditor({
  stationId,
  week,
  today,
  data,
  editable,
  onWeek,
  onSaved
}: {
  stationId: string
  week: string
  today: string
  data: StaffOutputs['roster']
  editable: boolean
  onWeek: (week: string) => void
  onSaved: () => void
}) {
  const dates = weekDates(week)
  const sundayBefore = data.days.find((d) => d.date === addDays(week, -1))
  const fromServer = dates.map((date) => data.days.find((d) => d.date === date)?.shifts ?? [])
  const [saved, setSaved] = useState<Shift[][]>(fromServer)
  const [draft, setDraft] = useState<Shift[][]>(fromServer)
  const [savedGaps, setSavedGaps] = useState<DutyGap[] | undefined>()
  const [selected, setSelected] = useState(Math.max(0, dates.indexOf(today)))
  const [message, setMessage] = useState<{ text: string; tone: 'ok' | 'warn' } | undefined>()
  const [confirmCopy, setConfirmCopy] = useState(false)
  const saving = useSubmit()
  const copying = useSubmit()

  const reachable = useMemo(
    () => new Set(data.staff.filter((p) => p.reachable && p.role !== 'supervisor').map((p) => p.staffId)),
    [data.staff]
  )
  const dirtyDays = dates.filter((_, i) => !sameShifts(saved[i] ?? [], draft[i] ?? []))
  const dirty = dirtyDays.length > 0
  const asDays = (week7: Shift[][]): RosterDay[] => [
    ...(sundayBefore ? [sundayBefore] : []),
    ...dates.map((date, i) => ({ _id: `${stationId}_${date}`, stationId, date, shifts: week7[i] ?? [] }))
  ]
  const draftDays = asDays(draft)
  const gaps = useMemo(
    () => (!dirty && savedGaps ? savedGaps : weekGaps(draftDays, stationId, week, (id) => reachable.has(id))),
    // draftDays is rebuilt from draft on every render
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [draft, dirty, savedGaps, reachable, week, stationId]
  )

  // Everyone active here, then anyone named on the week who has since left.
  const named = [...new Set(draft.flat().flatMap((s) => s.staffIds))]
  const people: Pick<RosterPerson, 'staffId' | 'name' | 'reachable'>[] = [
    ...data.staff.filter((p) => p.role !== 'supervisor' || named.includes(p.staffId)),
    ...named
      .filter((id) => !data.staff.some((p) => p.staffId === id))
      .map((id) => ({ staffId: id, name: '（已离岗）', reachable: false }))
  ]
  const nameOf = (id: string) => people.find((p) => p.staffId === id)?.name ?? '（已离岗）'

  const setDay = (i: number, change: (list: Shift[]) => Shift[]) =>
    setDraft((all) => all.map((list, j) => (j === i ? change(list) : list)))

  async function save() {
    const bad = draft.findIndex((list) => list.some((s) => s.staffIds.length === 0))
    if (bad >= 0)
      return setMessage({
        text: `${formatLocalDate(dates[bad] ?? week)}：每个班次至少选一位值班人员，或删除这个班次`,
        tone: 'warn'
      })
    const res = await saving.submit(() => call('staff', 'setRosterWeek', { stationId, week, days: draft }))
    if (!res.ok) return setMessage({ text: res.error.message, tone: 'warn' })
    const stored = dates.map((date) => res.data.days.find((d) => d.date === date)?.shifts ?? [])
    setSaved(stored)
    setDraft(stored)
    setSavedGaps(res.data.gaps)
    setMessage({ text: `已保存本周排班（${res.data.overwritten.length} 天有改动）`, tone: 'ok' })
    onSaved()
  }

  async function copyLastWeek() {
    const res = await copying.submit(() =>
      call('staff', 'copyRosterWeek', { stationId, from: addDays(week, -7), week })
    )
    setConfirmCopy(false)
    if (!res.ok) return setMessage({ text: res.error.message, tone: 'warn' })
    const stored = dates.map((date) => res.data.days.find((d) => d.date === date)?.shifts ?? [])
    setSaved(stored)
    setDraft(stored)
    setSavedGaps(res.data.gaps)
    const over = res.data.overwritten.map(
      (o) => `${formatLocalDate(o.date)}（原为 ${o.shifts.map((s) => shiftText(s, nameOf)).join('；')}）`
    )
    const copiedAny = res.data.days.some((d) => d.shifts.length > 0)
    setMessage({
      text: [
        copiedAny ? '已把上周的排班复制到本周。' : '上周没有排班，本周已清空。',
        over.length ? `替换了：${over.join('；')}。` : '本周原有的排班没有被替换。',
        res.data.dropped.length ? `已离岗、未复制：${res.data.dropped.join('、')}。` : ''
      ].join(''),
      tone: 'ok'
    })
    onSaved()
  }

  const planned = dates.filter((_, i) => (saved[i] ?? []).length > 0)
  const i = selected
  const date = dates[i] ?? week

  return (
    <View className="card week-card">
      <View className="week-nav">
        <Button
          variant="secondary"
          className="week-step"
          ariaLabel="上一周"
          testId="week-prev"
          onClick={() =>
            dirty ? setMessage({ text: '请先保存或放弃本周的修改', tone: 'warn' }) : onWeek(addDays(week, -7))
          }
        >
          ‹
        </Button>
        <View className="week-title" data-testid="week-title">
          <Text>
            {monthDay(week)}–{monthDay(addDays(week, 6))}
          </Text>
          <Text className="week-which">
            {week === weekStart(today)
              ? '本周'
              : week === addDays(weekStart(today), 7)
                ? '下周'
                : week === addDays(weekStart(today), -7)
                  ? '上周'
                  : ''}
          </Text>
        </View>
        <Button
          variant="secondary"
          className="week-step"
          ariaLabel="下一周"
          testId="week-next"
          onClick={() =>
            dirty ? setMessage({ text: '请先保存或放弃本周的修改', tone: 'warn' }) : onWeek(addDays(week, 7))
          }
        >
          ›
        </Button>
      </View>

      <View className="week-legend" aria-hidden="true">
        <View className="legend-item">
          <View className="legend-swatch seg-duty" />
          <Text>值班</Text>
        </View>
        <View className="legend-item">
          <View className="legend-swatch seg-call" />
          <Text>备勤</Text>
        </View>
        <View className="legend-item">
          <View className="legend-swatch seg-gap" />
          <Text>无人可联系</Text>
        </View>
      </View>
      <View className="muted week-hint">
        <Text>每格从上到下是 0 点到 24 点。点一天查看{editable ? '或修改' : ''}。</Text>
      </View>

      <View className="week-grid" role="table" data-testid="week-grid">
        <View className="week-row" role="row">
          <View className="week-name" role="columnheader" />
          {dates.map((d, j) => (
            <View
              key={d}
              role="columnheader"
              className={cx('week-head', d === today && 'week-today', j === selected && 'week-selected')}
              onClick={() => setSelected(j)}
              data-testid={`week-day-${d}`}
            >
              <Text className="week-dow">{WEEKDAY[isoWeekday(d)]}</Text>
              <Text className="week-dom">{Number(d.slice(8))}</Text>
              {dirtyDays.includes(d) ? <Text className="week-dirty">改</Text> : null}
            </View>
          ))}
        </View>
        {people.map((p) => (
          <View key={p.staffId} className="week-row" role="row" data-testid={`week-person-${p.staffId}`}>
            <View className={cx('week-name', !p.reachable && 'week-name-unreachable')} role="rowheader">
              <Text>{p.name}</Text>
            </View>
            {dates.map((d, j) => {
              const segs = daySegments(draftDays, d, p.staffId)
              return (
                <View
                  key={d}
                  role="cell"
                  aria-label={`${p.name} ${formatLocalDate(d)}：${segmentsText(segs)}`}
                  className={cx('week-cell', j === selected && 'week-selected')}
                  onClick={() => setSelected(j)}
                  data-testid={`week-cell-${p.staffId}-${d}`}
                >
                  {segs.map((s, k) => (
                    <View
                      key={k}
                      className={cx('seg', s.onCall ? 'seg-call' : 'seg-duty')}
                      style={{
                        top: `${(s.from / 1440) * 100}%`,
                        height: `${((s.to - s.from) / 1440) * 100}%`
                      }}
                    />
                  ))}
                </View>
              )
            })}
          </View>
        ))}
        <View className="week-row" role="row" data-testid="week-coverage">
          <View className="week-name" role="rowheader">
            <Text>可联系</Text>
          </View>
          {dates.map((d, j) => {
            const holes = gapSegments(gaps, d)
            return (
              <View
                key={d}
                role="cell"
                aria-label={`${formatLocalDate(d)}：${holes.length ? '有时段无人可联系' : '全天有人可联系'}`}
                className={cx('week-cell', 'week-cover', j === selected && 'week-selected')}
                onClick={() => setSelected(j)}
                data-testid={`week-cover-${d}`}
                data-gap={holes.length ? 'yes' : 'no'}
              >
                {holes.map((h, k) => (
                  <View
                    key={k}
                    className="seg seg-gap"
                    style={{ top: `${(h.from / 1440) * 100}%`, height: `${((h.to - h.from) / 1440) * 100}%` }}
                  />
                ))}
              </View>
            )
          })}
        </View>
      </View>

      {gaps.length > 0 ? (
        <View className="week-gaps" role="alert" data-testid="roster-gaps">
          <Text className="gap-title">
            {dirty ? '按您尚未保存的修改，' : '本周'}
            以下时段没有能收到提醒的值班人员，绿色通道求助只会提醒所领导：
          </Text>
          {gaps.map((g) => (
            <View key={g.start} data-testid="roster-gap">
              <Text>· {gapText(g)}</Text>
            </View>
          ))}
          <View className="muted">
            <Text>请安排值班或备勤，或请值班人员开启微信提醒、留下手机号。</Text>
          </View>
        </View>
      ) : (
        <View className="muted week-covered" data-testid="roster-covered">
          <Text>{dirty ? '按您尚未保存的修改，' : ''}本周每个时段都有能收到提醒的值班人员。</Text>
        </View>
      )}

      <DayShifts
        key={date}
        date={date}
        shifts={draft[i] ?? []}
        people={people}
        editable={editable}
        nameOf={nameOf}
        onChange={(change) => setDay(i, change)}
        onAllWeek={() => {
          const same = draft[i] ?? []
          setDraft(dates.map(() => same.map((s) => ({ ...s, staffIds: [...s.staffIds] }))))
          setMessage({ text: `已把${formatLocalDate(date)}的班次用到本周每一天，保存后生效`, tone: 'ok' })
        }}
      />

      {editable ? (
        <View className="week-actions">
          <Button onClick={() => void save()} busy={saving.busy} testId="roster-save">
            {saving.busy ? '正在保存…' : dirty ? `保存本周（${dirtyDays.length} 天有修改）` : '保存本周'}
          </Button>
          {dirty ? (
            <Button
              variant="secondary"
              testId="roster-discard"
              onClick={() => {
                setDraft(saved)
                setMessage(undefined)
              }}
            >
              放弃修改
            </Button>
          ) : null}
          {confirmCopy ? (
            <View className="copy-confirm" role="alertdialog" data-testid="copy-confirm">
              <Text>
                把上周（{monthDay(addDays(week, -7))}–{monthDay(addDays(week, -1))}
                ）的排班复制到本周，一次写入七天。
                {planned.length
                  ? `本周已排班的 ${planned.map(monthDay).join('、')} 会被替换，替换了什么会告诉您。`
                  : '本周还没有排班。'}
                {dirty ? '您尚未保存的修改会被放弃。' : ''}
              </Text>
              <Button onClick={() => void copyLastWeek()} busy={copying.busy} testId="copy-confirm-yes">
                {copying.busy ? '正在复制…' : '确认复制'}
              </Button>
              <Button variant="secondary" onClick={() => setConfirmCopy(false)} testId="copy-confirm-no">
                取消
              </Button>
            </View>
          ) : (
            <Button
              variant="secondary"
              testId="roster-copy"
              onClick={() => (setConfirmCopy(true), setMessage(undefined))}
            >
              复制上周的排班
            </Button>
          )}
        </View>
      ) : null}
      {message ? (
        <View
          className={cx('week-message', message.tone === 'warn' && 'week-message-warn')}
          role="status"
          data-testid="roster-message"
        >
          <Text>{message.text}</Text>
        </View>
      ) : null}
    </View>
  )
}

function DayShifts({
  date,
  shifts,
  people,
  editable,
  nameOf,
  onChange,
  onAllWeek
}: {
  date: string
  shifts: Shift[]
  people: Pick<RosterPerson, 'staffId' | 'name'>[]
  editable: boolean
  nameOf: (id: string) => string
  onChange: (change: (list: Shift[]) => Shift[]) => void
  onAllWeek: () => void
}) {
  const update = (i: number, patch: Partial<Shift>) =>
    onChange((list) => list.map((s, j) => (j === i ? { ...s, ...patch } : s)))
  const toggle = (i: number, staffId: string) =>
    onChange((list) =>
      list.map((s, j) =>
        j !== i
          ? s
          : {
              ...s,
              staffIds: s.staffIds.includes(staffId)
                ? s.staffIds.filter((x) => x !== staffId)
                : [...s.staffIds, staffId]
            }
      )
    )

  return (
    <View className="day-shifts" data-testid={`roster-day-${date}`}>
      <View className="day-shifts-title">
        <Text>{formatLocalDate(date)}</Text>
      </View>
      {shifts.length === 0 ? (
        <View className="muted">
          <Text>未排班</Text>
        </View>
      ) : null}
      {shifts.map((s, i) =>
        editable ? (
          <View key={i} className="shift" data-testid={`shift-${date}-${i}`}>
            <View className="shift-times">
              <View className="shift-time">
                <Picker
                  mode="time"
                  value={s.start}
                  onChange={(e) => update(i, { start: String(e.detail.value) })}
                >
                  <View className="form-input picker-value" data-testid={`shift-start-${date}-${i}`}>
                    <Text>{s.start}</Text>
                  </View>
                </Picker>
              </View>
              <Text className="shift-to">至</Text>
              <View className="shift-time">
                <Picker
                  mode="time"
                  value={s.end}
                  onChange={(e) => update(i, { end: String(e.detail.value) })}
                >
                  <View className="form-input picker-value" data-testid={`shift-end-${date}-${i}`}>
                    <Text>
                      {s.end}
                      {s.end <= s.start ? ' 次日' : ''}
                    </Text>
                  </View>
                </Picker>
              </View>
            </View>
            <View className="chips">
              <Chip
                pill
                on={!s.onCall}
                role="radio"
                ariaChecked={!s.onCall}
                onClick={() => update(i, { onCall: undefined })}
                testId={`shift-duty-${date}-${i}`}
              >
                <Text>值班（在窗口）</Text>
              </Chip>
              <Chip
                pill
                on={!!s.onCall}
                role="radio"
                ariaChecked={!!s.onCall}
                onClick={() => update(i, { onCall: true })}
                testId={`shift-call-${date}-${i}`}
              >
                <Text>备勤（电话可找到）</Text>
              </Chip>
            </View>
            <View className="chips">
              {people.map((p) => {
                const on = s.staffIds.includes(p.staffId)
                return (
                  <Chip
                    key={p.staffId}
                    on={on}
                    role="checkbox"
                    ariaChecked={on}
                    onClick={() => toggle(i, p.staffId)}
                    testId={`shift-person-${date}-${i}-${p.staffId}`}
                  >
                    <Text>{p.name}</Text>
                  </Chip>
                )
              })}
            </View>
            <Button
              variant="secondary"
              onClick={() => onChange((list) => list.filter((_, j) => j !== i))}
              testId={`shift-remove-${date}-${i}`}
            >
              删除这个班次
            </Button>
          </View>
        ) : (
          <View key={i} className="shift">
            <Text>{shiftText(s, nameOf)}</Text>
          </View>
        )
      )}
      {editable ? (
        <View className="day-shifts-actions">
          <Button
            variant="secondary"
            onClick={() => onChange((list) => [...list, nextShift(list)])}
            testId={`shift-add-${date}`}
          >
            添加班次
          </Button>
          {shifts.length > 0 ? (
            <Button variant="secondary" onClick={onAllWeek} testId={`shift-all-week-${date}`}>
              本周每天都这样排
            </Button>
          ) : null}
          <View className="muted">
            <Text>结束早于开始的班次跨到次日（如 20:00 至 08:00）。改好后点“保存本周”。</Text>
          </View>
        </View>
      ) : null}
    </View>
  )
}
