/**
 * Charts drawn with plain Views (no chart library: one would cost ~0.5 MB of the subpackage).
 * Every bar carries its figure as text too — colour is never the only signal.
 */
import { Text, View } from '@tarojs/components'
import { groupTrend, trendUnit, type TrendPoint } from './trend'

export type Tone = 'blue' | 'green' | 'orange' | 'red' | 'gray'

const clampPercent = (ratio: number) =>
  `${Math.max(0, Math.min(100, Number.isFinite(ratio) ? ratio * 100 : 0)).toFixed(1)}%`

/** A labelled horizontal bar: the label and the figure above, the bar below. */
export function HBar({
  label,
  ratio,
  text,
  tone = 'blue',
  testId,
  onClick,
  selected
}: {
  label: string
  ratio: number
  text: string
  tone?: Tone
  testId?: string
  onClick?: () => void
  selected?: boolean
}) {
  const className = `db-hbar${onClick ? ' db-tappable' : ''}${selected ? ' db-selected' : ''}`
  return (
    <View
      className={className}
      data-testid={testId}
      onClick={onClick}
      aria-label={`${label}：${text}`}
      role={onClick ? 'button' : undefined}
    >
      <View className="db-hbar-head">
        <Text className="db-hbar-label">
          {selected ? '✓ ' : ''}
          {label}
        </Text>
        <Text className="db-hbar-text">{text}</Text>
      </View>
      <View className="db-track">
        <View className={`db-fill db-${tone}`} style={{ width: clampPercent(ratio) }} />
      </View>
    </View>
  )
}

const UNIT_TEXT = { week: '按周', month: '按月' } as const

/**
 * Cases finished per week (or month), one labelled row each, oldest first: the dates and the
 * count above the bar, the satisfaction of that week's ratings below it when there were any.
 */
export function TrendBars({ points }: { points: TrendPoint[] }) {
  const unit = trendUnit(points.length)
  const bars = groupTrend(points, unit)
  const max = Math.max(1, ...bars.map((b) => b.finished))
  return (
    <View className="db-trend" data-testid="dash-trend" data-unit={unit}>
      <View className="muted db-small">
        <Text>{UNIT_TEXT[unit]}办结件数</Text>
      </View>
      {bars.map((b) => (
        <View
          key={b.start}
          data-testid="dash-trend-bar"
          data-start={b.start}
          data-end={b.end}
          data-finished={b.finished}
          data-rate={b.satisfactionRate ?? ''}
        >
          <HBar label={b.label} ratio={b.finished / max} text={`${b.finished}件`} />
          {b.satisfactionRate === null ? null : (
            <View className="db-trend-rate">
              <Text>
                评价{b.total}条，满意率{b.satisfactionRate}%
              </Text>
            </View>
          )}
        </View>
      ))}
    </View>
  )
}
