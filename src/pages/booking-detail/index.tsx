/**
 * One appointment: the booking code and its QR code to show at the window, the time and place,
 * the materials checklist, and — until the change deadline — reschedule and cancel.
 */
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { RELATION_LABELS, STATUS_LABELS, type AppointmentView } from '../../../types/appointment'
import { formatBookingCode } from '../../../types/booking-code'
import { formatLocalDate, localDateTime } from '../../../types/time'
import { call } from '../../api/client'
import { MaterialsChecklist } from '../../components/materials-checklist'
import { PageShell } from '../../components/page-shell'
import { QrCode } from '../../components/qr-code'
import { ErrorState, Loading } from '../../components/states'
import { useResult } from '../../components/use-result'
import './index.css'

export default function BookingDetail() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const loaded = useResult(() => call('appointment', 'get', { appointmentId: id }), id)
  const [updated, setUpdated] = useState<AppointmentView | undefined>()
  const [problem, setProblem] = useState<string | undefined>()

  if (loaded.status === 'loading') return <Loading />
  if (loaded.status === 'error') return <ErrorState error={loaded.error} onRetry={loaded.reload} />
  const a = updated ?? loaded.data

  async function cancel() {
    const sure = await Taro.showModal({
      title: '取消预约',
      content: `确定取消 ${formatLocalDate(a.date)} ${a.start} 的预约吗？`,
      confirmText: '确定取消',
      cancelText: '不取消'
    })
    if (!sure.confirm) return
    const res = await call('appointment', 'cancel', { appointmentId: a._id })
    if (res.ok) {
      setUpdated(res.data)
      setProblem(undefined)
    } else setProblem(res.error.message)
  }

  return (
    <PageShell testId="booking-detail">
      {params.new === '1' && a.status === 'booked' ? (
        <View className="card success" role="status" data-testid="booked-banner">
          <Text>✓ 预约成功，请按时到窗口办理</Text>
        </View>
      ) : null}
      <View className="card code-card">
        <View className="muted">
          <Text>预约码（到窗口出示或报给民警）</Text>
        </View>
        <View className="booking-code" data-testid="booking-code">
          <Text>{formatBookingCode(a.code)}</Text>
        </View>
        {a.status === 'booked' ? <QrCode text={a.code} /> : null}
        <View className="status" data-testid="booking-status">
          <Text>状态：{STATUS_LABELS[a.status]}</Text>
        </View>
      </View>

      <View className="card facts">
        <Fact label="事项" value={a.serviceName} />
        <Fact
          label="时间"
          value={`${formatLocalDate(a.date)} ${a.start}–${a.end}${a.kind === 'extended' ? `（${a.label ?? '延时服务'}）` : ''}`}
          testId="booking-time"
        />
        <Fact label="地点" value={`${a.stationName}，${a.address}`} />
        <Fact
          label="办事人"
          value={`${a.applicant.name}（${RELATION_LABELS[a.applicant.relation]}） ${a.applicant.mobileMasked}${a.applicant.idMasked ? ` 身份证 ${a.applicant.idMasked}` : ''}`}
        />
        {a.rescheduledFrom ? (
          <Fact
            label="原时间"
            value={`${formatLocalDate(a.rescheduledFrom.date)} ${a.rescheduledFrom.start}（已改约）`}
          />
        ) : null}
      </View>

      <View className="section-title">
        <Text>请带齐材料</Text>
      </View>
      <MaterialsChecklist materials={a.materials} />

      {problem ? (
        <View className="form-problem" role="alert">
          <Text>{problem}</Text>
        </View>
      ) : null}
      {a.changeableUntil ? (
        <View className="actions">
          <View className="muted change-note">
            <Text>{localDateTime(a.changeableUntil)} 前可以改约或取消</Text>
          </View>
          <View
            className="button-primary"
            data-testid="reschedule"
            onClick={() =>
              void Taro.navigateTo({ url: `/pages/book/index?serviceId=${a.serviceId}&reschedule=${a._id}` })
            }
          >
            <Text>改约到其他时间</Text>
          </View>
          <View className="button-secondary" data-testid="cancel" onClick={() => void cancel()}>
            <Text>取消预约</Text>
          </View>
        </View>
      ) : null}
      <View
        className="button-secondary"
        onClick={() => void Taro.navigateTo({ url: '/pages/my-bookings/index' })}
      >
        <Text>查看我的全部预约</Text>
      </View>
    </PageShell>
  )
}

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <View className="fact" data-testid={testId}>
      <Text className="fact-label">{label}</Text>
      <Text className="fact-value">{value}</Text>
    </View>
  )
}
