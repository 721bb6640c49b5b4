/**
 * 我的求助: the resident's emergency, after-hours and home-visit requests, newest first, each with
 * its status — the agreed time and place once accepted, or the reason and what to do instead
 * when declined.
 */
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import type { RequestView } from '../../../types/requests'
import { localDateTime } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { ErrorState, Loading } from '../../components/states'
import { useResult } from '../../components/use-result'
import './index.css'

const BADGE: Record<RequestView['status'], string> = {
  submitted: 'badge badge-orange',
  accepted: 'badge badge-green',
  declined: 'badge badge-orange',
  done: 'badge badge-blue'
}

export default function MyRequests() {
  const router = useRouter()
  const mine = useResult(() => call('requests', 'mine', {}), 'mine')
  useDidShow(() => mine.reload())

  if (mine.status === 'loading') return <Loading />
  if (mine.status === 'error') return <ErrorState error={mine.error} onRetry={mine.reload} />
  return (
    <PageShell testId='my-requests'>
      <View className='my-requests'>
        {router.params.new ? (
          <View className='card' role='status' data-testid='submitted-notice'>
            <Text>已提交，值班民警已收到提醒，会尽快与您联系。受理后这里会显示约定的时间和地点。</Text>
          </View>
        ) : null}
        {mine.data.length === 0 ? (
          <View className='notice' data-testid='no-requests'>
            <Text>还没有求助记录。</Text>
          </View>
        ) : (
          mine.data.map((r) => <Item key={r._id} r={r} highlight={r._id === router.params.id} />)
        )}
        <View className='button-primary' onClick={() => mine.reload()} data-testid='refresh'>
          <Text>刷新</Text>
        </View>
        <View className='button-primary' onClick={() => void Taro.navigateTo({ url: '/pages/help/index' })} data-testid='new-request'>
          <Text>再提交一个求助</Text>
        </View>
      </View>
    </PageShell>
  )
}

function Item({ r, highlight }: { r: RequestView; highlight: boolean }) {
  return (
    <View className={highlight ? 'card request-item request-item-new' : 'card request-item'} data-testid='request-item'>
      <View className='request-item-head'>
        <Text className='request-title'>
          {r.kindLabel} · {r.categoryLabel}
        </Text>
        <Text className={BADGE[r.status]} data-testid='request-status'>
          {r.statusLabel}
        </Text>
      </View>
      <View className='muted request-line'>
        <Text>{r.description}</Text>
      </View>
      <View className='muted request-line'>
        <Text>
          提交于 {localDateTime(r.createdAt)}
          {r.wantedAt ? ` · 希望 ${localDateTime(r.wantedAt)}` : ''}
        </Text>
      </View>
      {r.address ? (
        <View className='muted request-line'>
          <Text>上门地址：{r.address}</Text>
        </View>
      ) : null}
      {r.status === 'submitted' ? (
        <View className='request-line'>
          <Text>等待值班民警受理。超过30分钟无人受理会自动提醒所领导。</Text>
        </View>
      ) : null}
      {(r.status === 'accepted' || r.status === 'done') && r.agreedAt ? (
        <View className='request-agreed' data-testid='request-agreed'>
          <View>
            <Text>{r.kind === 'home_visit' ? '上门时间' : '约定时间'}：{localDateTime(r.agreedAt)}</Text>
          </View>
          <View>
            <Text>
              {r.kind === 'home_visit' ? '上门地址' : '办理地点'}：{r.place}
            </Text>
          </View>
          {r.officerName ? (
            <View>
              <Text>负责民警：{r.officerName}</Text>
            </View>
          ) : null}
        </View>
      ) : null}
      {r.status === 'declined' ? (
        <View className='request-declined' data-testid='request-declined'>
          <View>
            <Text>原因：{r.declineReason}</Text>
          </View>
          <View>
            <Text>您可以：{r.alternative}</Text>
          </View>
        </View>
      ) : null}
      {r.status === 'done' ? (
        <View className='request-line'>
          <Text>
            已于 {r.doneAt ? localDateTime(r.doneAt) : ''} 办结{r.doneNote ? `：${r.doneNote}` : ''}
          </Text>
        </View>
      ) : null}
    </View>
  )
}
