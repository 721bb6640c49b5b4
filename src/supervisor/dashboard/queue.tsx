/**
 * 取号等候: the period's queue numbers, a row per service line (taken, served, skipped, the
 * average and median wait from taking a number to its call) and the average wait of each of the
 * last days that had numbers. Nothing at all when no number was taken. How the figures are
 * counted: docs/ratings-and-feedback.md ("The dashboard").
 */
import { Text, View } from '@tarojs/components'
import type { DashboardView } from '../../../types/dashboard'
import { isoWeekday } from '../../../types/time'
import { HBar } from './bars'
import { minutes } from './tables'

/** How many days of numbers the bar list shows (the most recent). */
const DAYS_SHOWN = 14
const WEEKDAY = ['一', '二', '三', '四', '五', '六', '日']

function Cell({ value, label, testId }: { value: string; label: string; testId: string }) {
  return (
    <View className="db-ot-cell">
      <Text className="db-ot-value" data-testid={testId}>
        {value}
      </Text>
      <Text className="db-figure-label">{label}</Text>
    </View>
  )
}

export function QueueSection({ queue }: { queue: DashboardView['queue'] }) {
  if (queue.lines.length === 0) return null
  const days = queue.days.slice(-DAYS_SHOWN)
  const max = Math.max(1, ...days.map((d) => d.averageWaitMinutes ?? 0))
  return (
    <View data-testid="dash-queue">
      <View className="section-title">
        <Text>取号等候</Text>
      </View>
      <View className="muted db-hint">
        <Text>等候：从取号到叫号；过号和转走的号不计等候</Text>
      </View>
      <View className="card db-table">
        {queue.lines.map((l) => (
          <View
            key={l.line}
            className="db-ot-row"
            data-testid="dash-queue-line"
            data-line={l.line}
            aria-label={`${l.line} ${l.label}：取号${l.taken}个，办结${l.served}个，过号${l.noShows}个，平均等候${minutes(l.averageWaitMinutes)}，等候中位数${minutes(l.medianWaitMinutes)}`}
          >
            <View className="db-ot-name">
              <Text>
                {l.line} {l.label}
              </Text>
            </View>
            <View className="db-ot-cells db-qt-cells">
              <Cell value={String(l.taken)} label="取号" testId="dash-queue-taken" />
              <Cell value={String(l.served)} label="办结" testId="dash-queue-served" />
              <Cell value={String(l.noShows)} label="过号" testId="dash-queue-no-shows" />
              <Cell value={minutes(l.averageWaitMinutes)} label="平均等候" testId="dash-queue-average" />
              <Cell value={minutes(l.medianWaitMinutes)} label="等候中位数" testId="dash-queue-median" />
            </View>
          </View>
        ))}
      </View>
      <View className="muted db-hint">
        <Text>{queue.days.length > DAYS_SHOWN ? `最近${DAYS_SHOWN}个有取号的日子，` : ''}每天的平均等候</Text>
      </View>
      <View className="card" data-testid="dash-queue-days">
        {days.map((d) => (
          <View key={d.date} data-testid="dash-queue-day" data-date={d.date}>
            <HBar
              label={`${d.date.slice(5)} 周${WEEKDAY[isoWeekday(d.date) - 1] ?? ''}`}
              ratio={(d.averageWaitMinutes ?? 0) / max}
              text={`${minutes(d.averageWaitMinutes)} · ${d.taken}个号`}
              tone="orange"
            />
          </View>
        ))}
      </View>
    </View>
  )
}
