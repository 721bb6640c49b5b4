import { Text, View } from '@tarojs/components'
import type { ApiError } from '../../types/result'

export function Loading({ text = '正在加载…' }: { text?: string }) {
  return (
    <View className="notice" aria-busy="true">
      <Text>{text}</Text>
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
        <View className="button-primary" style={{ margin: '24px auto', maxWidth: '320px' }} onClick={onRetry}>
          <Text>重试</Text>
        </View>
      ) : null}
    </View>
  )
}
