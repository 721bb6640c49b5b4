/**
 * The shared building blocks of every page: button, chip, card, badge, form field with its
 * inline error, step bar. Their classes are defined once, in app.css, on the design tokens;
 * docs/design-system.md has the rules.
 */
import { Text, View } from '@tarojs/components'
import type { ITouchEvent } from '@tarojs/components'
import type { CSSProperties, ReactNode } from 'react'

export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(' ')
}

interface Common {
  className?: string
  testId?: string
  style?: CSSProperties
  children?: ReactNode
}

type Tap = (e: ITouchEvent) => void

/** Wraps plain text in a Text, leaves elements as they are. */
function content(children: ReactNode): ReactNode {
  const plain = (c: unknown) => c == null || ['string', 'number', 'boolean'].includes(typeof c)
  return (plain(children) && children != null) || (Array.isArray(children) && children.every(plain)) ? (
    <Text>{children}</Text>
  ) : (
    children
  )
}

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'warning'

/** A button. While `busy` it is dimmed, marked aria-busy and ignores taps. */
export function Button({
  variant = 'primary',
  busy,
  onClick,
  role,
  ariaLabel,
  className,
  testId,
  style,
  children
}: Common & {
  variant?: ButtonVariant
  busy?: boolean
  onClick?: Tap
  role?: string
  ariaLabel?: string
}) {
  return (
    <View
      className={cx(`button-${variant}`, busy && 'button-busy', className)}
      role={role}
      aria-label={ariaLabel}
      aria-busy={busy || undefined}
      data-testid={testId}
      style={style}
      onClick={busy ? undefined : onClick}
    >
      {content(children)}
    </View>
  )
}

/**
 * A chip: an option to pick (a box, outlined when on) or, with `pill`, a filter (filled when on).
 * `tone="danger"` marks a bad choice (a 差评 level).
 */
export function Chip({
  on,
  pill,
  tone,
  onClick,
  role,
  ariaChecked,
  ariaDisabled,
  ariaLabel,
  className,
  testId,
  style,
  children
}: Common & {
  on?: boolean
  pill?: boolean
  tone?: 'danger'
  onClick?: Tap
  role?: string
  ariaChecked?: boolean
  ariaDisabled?: boolean
  ariaLabel?: string
}) {
  return (
    <View
      aria-disabled={ariaDisabled}
      className={cx(
        'chip',
        pill && 'chip-pill',
        on && 'chip-on',
        tone === 'danger' && 'chip-danger',
        className
      )}
      role={role}
      aria-checked={ariaChecked}
      aria-label={ariaLabel}
      data-testid={testId}
      style={style}
      onClick={onClick}
    >
      {content(children)}
    </View>
  )
}

export function Card({
  tone,
  onClick,
  role,
  dataId,
  className,
  testId,
  style,
  children
}: Common & { tone?: 'warn' | 'success'; onClick?: Tap; role?: string; dataId?: string }) {
  return (
    <View
      className={cx('card', tone && `card-${tone}`, className)}
      role={role}
      data-testid={testId}
      data-id={dataId}
      style={style}
      onClick={onClick}
    >
      {children}
    </View>
  )
}

/** `plain` takes the colour of the text around it. */
export type BadgeTone = 'blue' | 'green' | 'orange' | 'red' | 'plain'

export function Badge({ tone = 'blue', className, testId, children }: Common & { tone?: BadgeTone }) {
  return (
    <Text className={cx('badge', tone !== 'plain' && `badge-${tone}`, className)} data-testid={testId}>
      {children}
    </Text>
  )
}

/** A labelled form field: the label, the input (children), a hint, and its inline error. */
export function Field({
  label,
  hint,
  error,
  className,
  testId,
  children
}: Common & { label?: ReactNode; hint?: ReactNode; error?: string }) {
  return (
    <View className={cx('form-row', className)} data-testid={testId}>
      {label ? <Text className="form-label">{label}</Text> : null}
      {children}
      {hint ? <View className="muted">{content(hint)}</View> : null}
      {error ? <FormError>{error}</FormError> : null}
    </View>
  )
}

/** The inline error under a form or field. */
export function FormError({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <View className="form-error" data-testid={testId}>
      {content(children)}
    </View>
  )
}

/** Progress through fixed steps: ● for each step reached, ○ for those to come. */
export function StepBar({
  steps,
  reached,
  row,
  className,
  testId
}: {
  steps: readonly { key: string; label: ReactNode }[]
  reached: number
  /** Side by side on one line (up to four short steps), joined by a line; a column otherwise. */
  row?: boolean
  className?: string
  testId?: string
}) {
  return (
    <View className={cx('step-bar', row && 'step-bar-row', className)} data-testid={testId}>
      {steps.map((s, i) => (
        <View
          key={s.key}
          className={cx(
            'step-bar-item',
            i <= reached && 'step-bar-done',
            i === reached && 'step-bar-current'
          )}
          aria-current={i === reached ? 'step' : undefined}
        >
          {row ? (
            <>
              <View className="step-bar-dot" />
              <Text className="step-bar-label">{s.label}</Text>
            </>
          ) : (
            <Text>
              {i <= reached ? '● ' : '○ '}
              {s.label}
            </Text>
          )}
        </View>
      ))}
    </View>
  )
}

/** One fact of a list: a label on the left, its value beside it. */
export function Fact({
  label,
  value,
  testId,
  valueTestId
}: {
  label: ReactNode
  value: ReactNode
  testId?: string
  valueTestId?: string
}) {
  return (
    <View className="fact" data-testid={testId}>
      <Text className="fact-label">{label}</Text>
      <Text className="fact-value" data-testid={valueTestId}>
        {value}
      </Text>
    </View>
  )
}
