/**
 * Every message the window sent the resident — confirmations, reminders, cancellations — shown
 * here whether or not WeChat delivered it as a service notification (e.g. when the one-time
 * permission was not given or was used up). A message about a booking that has since moved or
 * been cancelled stays, marked 已失效 (its reminder withdrawn if it had not gone yet).
 */
import { Text, View } from '@tarojs/components'
import { localDateTime } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { Async, Empty } from '../../components/states'
import { Badge, Card } from '../../components/ui'
import { useResult } from '../../components/use-result'
import { openMessagePage } from '../../navigation'
import './index.css'

export default function Messages() {
  const inbox = useResult(() => call('notify', 'inbox', {}), 'inbox')
  return (
    <Async result={inbox}>
      {(messages) => (
        <PageShell testId="messages">
          {messages.length === 0 ? (
            <Empty testId="no-messages">还没有消息。预约成功、预约提醒等都会在这里显示。</Empty>
          ) : null}
          {messages.map((m) => (
            <Card
              key={m._id}
              className={m.superseded ? 'message message-superseded' : 'message'}
              testId="message"
              onClick={() => openMessagePage(m.page)}
            >
              <View className="message-head">
                <Text className="message-title">{m.title}</Text>
                <Text className="muted">{localDateTime(m.createdAt)}</Text>
              </View>
              {m.superseded ? (
                <View className="message-superseded-note" data-testid="message-superseded">
                  <Badge tone="plain">已失效</Badge>
                  <Text>{m.superseded.replace(/^已失效：/, '')}</Text>
                </View>
              ) : null}
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
            </Card>
          ))}
        </PageShell>
      )}
    </Async>
  )
}
