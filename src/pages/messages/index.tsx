/**
 * Every message the window sent the resident — confirmations, reminders, cancellations — shown
 * here whether or not WeChat delivered it as a service notification (e.g. when the one-time
 * permission was not given or was used up).
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { localDateTime } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { ErrorState, Loading } from '../../components/states'
import { useResult } from '../../components/use-result'
import './index.css'

export default function Messages() {
  const inbox = useResult(() => call('notify', 'inbox', {}), 'inbox')
  if (inbox.status === 'loading') return <Loading />
  if (inbox.status === 'error') return <ErrorState error={inbox.error} onRetry={inbox.reload} />
  return (
    <PageShell testId="messages">
      {inbox.data.length === 0 ? (
        <View className="notice" data-testid="no-messages">
          <Text>还没有消息。预约成功、预约提醒等都会在这里显示。</Text>
        </View>
      ) : null}
      {inbox.data.map((m) => (
        <View
          key={m._id}
          className="card message"
          data-testid="message"
          onClick={() => void Taro.navigateTo({ url: `/${m.page}` })}
        >
          <View className="message-head">
            <Text className="message-title">{m.title}</Text>
            <Text className="muted">{localDateTime(m.createdAt)}</Text>
          </View>
          {m.lines.map((l) => (
            <View key={l.label} className="message-line">
              <Text className="muted">{l.label}：</Text>
              <Text>{l.value}</Text>
            </View>
          ))}
          {m.deliveryNote ? (
            <View className="message-note">
              <Text>{m.deliveryNote}</Text>
            </View>
          ) : null}
        </View>
      ))}
    </PageShell>
  )
}
