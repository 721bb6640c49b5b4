/**
 * Loading, empty and error, the same on every page. Pages render a loaded result through
 * `<Async>` rather than branching on its status themselves (docs/design-system.md).
 */
import { Text, View } from '@tarojs/components'
import type { ReactNode } from 'react'
import type { ApiError } from '../../types/result'
import type { Loaded } from './use-result'

export function Loading({ text = '正在加载…' }: { text?: string }) {
  return (
    <View className="notice" aria-busy="true">
      <Text>{text}</Text>
    </View>
  )
}

export function Empty({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <View className="notice" data-testid={testId}>
      {typeof children === 'string' ? <Text>{children}</Text> : children}
    </View>
  )
}

export function ErrorState({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  return (
    <View className="notice" role="alert">
      <View>
        <Text>{error.message}</Text>
      </View>
      {error.requestId ? (
        <View className="muted">
          <Text>错误编号：{error.requestId}</Text>
        </View>
      ) : null}
      {onRetry ? (
        <View className="button-primary notice-retry" onClick={onRetry}>
          <Text>重试</Text>
        </View>
      ) : null}
    </View>
  )
}

/**
 * 正在加载… while a result loads, its error with a retry if it failed, nothing once it is loaded:
 * for a page that lays the loaded data out in several places (`if (x.status !== 'ok') return
 * <Pending result={x} />`, or beside them).
 */
export function Pending({
  result,
  loadingText
}: {
  result: Loaded<unknown> & { reload?: () => void }
  loadingText?: string
}) {
  if (result.status === 'loading') return <Loading text={loadingText} />
  if (result.status === 'error') return <ErrorState error={result.error} onRetry={result.reload} />
  return null
}

/**
 * A loaded result: 正在加载… while it loads, the error with a retry if it failed, the `empty`
 * content when `isEmpty` says there is nothing to show, and otherwise `children(data)`.
 */
export function Async<T>({
  result,
  loadingText,
  isEmpty,
  empty,
  children
}: {
  result: Loaded<T> & { reload?: () => void }
  loadingText?: string
  isEmpty?: (data: T) => boolean
  empty?: ReactNode
  children: (data: T) => ReactNode
}) {
  if (result.status !== 'ok') return <Pending result={result} loadingText={loadingText} />
  if (isEmpty?.(result.data)) return <>{empty ?? null}</>
  return <>{children(result.data)}</>
}
