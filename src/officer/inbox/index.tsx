/**
 * 值班提醒 — the officer's alerts inbox: every alert the cloud meant for this officer, whether or
 * not WeChat delivered it, each opening the request; and how many sends each officer template has
 * left (the app's own count: WeChat gives the server no way to read it), with a button that asks
 * WeChat again (on the officer's own tap) and records the answers.
 */
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import type { GrantItem, InboxItem } from '../../../types/notify'
import { TEMPLATE_KEYS, TEMPLATES, type SubscribeDecision, type TemplateKey } from '../../../types/templates'
import { localDateTime } from '../../../types/time'
import { call } from '../../api/client'
import { decisionFor, requestSubscribe } from '../../api/subscribe'
import { PageShell } from '../../components/page-shell'
import { Pending } from '../../components/states'
import { useResult } from '../../components/use-result'
import { pageUrl } from '../../../types/routes'
import { openMessagePage } from '../../navigation'
import { Button } from '../../components/ui'
import './index.css'

/** The templates officers are asked about (one kind per request, at most 3). */
const OFFICER_KEYS: TemplateKey[] = TEMPLATE_KEYS.filter((k) => TEMPLATES[k].audience === 'officer')

const DELIVERY_WORDS: Record<InboxItem['delivery'], string> = {
  sent: '微信已送达',
  pending: '等待发送',
  failed: '微信未送达',
  withdrawn: '已撤回，未发送'
}

function grantWords(g: GrantItem): string {
  if (g.unlimited) return '长期有效，不限次数'
  if (g.left > 0) return `还可提醒 ${g.left} 次`
  return g.kind === 'long-term' ? '未开启，请点“续订提醒”' : '次数已用完，请点“续订提醒”'
}

export default function OfficerInbox() {
  const inbox = useResult(() => call('notify', 'inbox', {}), 'inbox')
  useDidShow(() => inbox.reload())
  return (
    <PageShell testId="officer-inbox">
      <Grants />
      <View className="section-title">
        <Text>收到的提醒</Text>
      </View>
      <Pending result={inbox} />
      {inbox.status === 'ok' && inbox.data.length === 0 ? (
        <View className="notice" data-testid="no-alerts">
          <Text>还没有提醒。有新的求助时会在这里显示，微信没有送达的也会显示。</Text>
        </View>
      ) : null}
      {inbox.status === 'ok' ? inbox.data.map((m) => <Alert key={m._id} m={m} />) : null}
    </PageShell>
  )
}

function Alert({ m }: { m: InboxItem }) {
  const requests = pageUrl('officer/requests/index')
  const page = m.page.startsWith(requests) ? m.page : requests
  return (
    <View className="card" data-testid="officer-alert" onClick={() => openMessagePage(page)}>
      <View className="alert-head">
        <Text className="alert-title">{m.title}</Text>
        <Text className="muted">{localDateTime(m.createdAt)}</Text>
      </View>
      {m.lines.map((l) => (
        <View key={l.label} className="alert-line">
          <Text className="muted">{l.label}：</Text>
          <Text>{l.value}</Text>
        </View>
      ))}
      <View className="alert-line">
        <Text
          className={m.delivery === 'sent' ? 'delivery badge badge-green' : 'delivery badge badge-orange'}
          data-testid="alert-delivery"
        >
          {DELIVERY_WORDS[m.delivery]}
        </Text>
        {m.deliveryNote ? <Text className="muted"> {m.deliveryNote}</Text> : null}
      </View>
    </View>
  )
}

function Grants() {
  const grants = useResult(() => call('notify', 'grants', {}), 'grants')
  const [message, setMessage] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)

  async function renew() {
    if (busy) return
    // Synchronously inside the tap (WeChat shows its sheet only for a tap); one kind per request.
    const kind = TEMPLATES[OFFICER_KEYS[0] ?? 'officerAlert'].kind
    const keys = OFFICER_KEYS.filter((k) => TEMPLATES[k].kind === kind).slice(0, 3)
    const asked = requestSubscribe(keys)
    setBusy(true)
    try {
      const result = await asked
      const results: Partial<Record<TemplateKey, SubscribeDecision>> = {}
      for (const k of keys) {
        const d = decisionFor(result, k)
        if (d) results[k] = d
      }
      if (Object.keys(results).length === 0) return setMessage('没有变化')
      const res = await call('notify', 'recordSubscribe', { results })
      if (!res.ok) return setMessage(res.error.message)
      const accepted = Object.values(results).includes('accept')
      setMessage(accepted ? '已续订提醒' : '没有开启提醒：新的求助只会在本页显示')
      grants.reload()
    } catch {
      setMessage('没能打开微信的提醒设置，请稍后再试')
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className="card" data-testid="grants">
      <View className="section-title">
        <Text>微信提醒次数</Text>
      </View>
      <Pending result={grants} />
      {grants.status === 'ok'
        ? grants.data.map((g) => (
            <View key={g.template} className="grant-row" data-testid={`grant-${g.template}`}>
              <Text>{g.title}</Text>
              <Text className="delivery" data-testid={`grant-left-${g.template}`}>
                {grantWords(g)}
              </Text>
            </View>
          ))
        : null}
      <View className="muted">
        <Text>次数由本程序记录：每送达一条减一次。微信没有送达的提醒也会在下方显示。</Text>
      </View>
      <Button onClick={() => void renew()} testId="renew-subscribe" busy={busy}>
        {busy ? '请在弹出的窗口中选择…' : '续订提醒'}
      </Button>
      {message ? (
        <View className="notice" role="status" data-testid="renew-message">
          <Text>{message}</Text>
        </View>
      ) : null}
    </View>
  )
}
