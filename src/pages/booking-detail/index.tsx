/**
 * One appointment: the booking code and its QR code to show at the window, the time and place,
 * the materials checklist, and — until the change deadline — reschedule and cancel. Its details
 * can be added to the phone's calendar, copied or shared (without personal data) for a family
 * member, and the station opened on the map. A step line shows 已预约 → 已签到 → 办理中 → 已办结. Once finished it shows the officer's note and
 * offers 去评价 instead of the materials; once cancelled it says so.
 */
import { Button as TaroButton, Text, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter, useShareAppMessage } from '@tarojs/taro'
import { useRef, useState } from 'react'
import { RELATION_LABELS, STATUS_LABELS, type AppointmentView } from '../../../types/appointment'
import { formatBookingCode } from '../../../types/booking-code'
import { formatLocalDate, instantAt, localDateTime } from '../../../types/time'
import { call } from '../../api/client'
import { MaterialsChecklist } from '../../components/materials-checklist'
import { PageShell } from '../../components/page-shell'
import { QrCode } from '../../components/qr-code'
import { Async } from '../../components/states'
import { Button, Card, Fact, StepBar } from '../../components/ui'
import { useResult } from '../../components/use-result'
import { useSubmit } from '../../components/use-submit'
import { navigate } from '../../navigation'
import { pageUrl } from '../../../types/routes'
import { shareCard } from './share'
import './index.css'

export default function BookingDetail() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const loaded = useResult(() => call('appointment', 'get', { appointmentId: id }), id)
  // Shown again (back from a reschedule made from here): read it afresh, so the page never offers
  // to cancel the old time. The first show is the load above.
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) loaded.reload()
    shown.current = true
  })
  // 转发 (the share button or WeChat's menu): a card a family member can open without this
  // account — the service's guide, with the time and place in the title and nothing personal.
  useShareAppMessage(() =>
    loaded.status === 'ok'
      ? shareCard(loaded.data)
      : { title: '户政便民：预约办理', path: `/${pageUrl('pages/index/index')}` }
  )
  return (
    <Async result={loaded}>
      {(a) => <Detail key={`${a.startsAt}:${a.status}`} loaded={a} isNew={params.new === '1'} />}
    </Async>
  )
}

/** Date, time, place and code as plain text: what a family member needs, nothing personal. */
function bookingText(a: AppointmentView): string {
  return [
    `【预约】${a.serviceName}`,
    `时间：${formatLocalDate(a.date)} ${a.start}–${a.end}`,
    `地点：${a.stationName}，${a.address}`,
    `预约码：${formatBookingCode(a.code)}`
  ].join('\n')
}

/** Where the booking is on its way: 已预约 → 已签到 → 办理中 → 已办结. */
const PROGRESS = [
  { key: 'booked', label: '已预约' },
  { key: 'checked_in', label: '已签到' },
  { key: 'serving', label: '办理中' },
  { key: 'done', label: '已办结' }
] as const

function progressStep(a: Pick<AppointmentView, 'status' | 'startedAt'>): number | undefined {
  if (a.status === 'booked') return 0
  if (a.status === 'checked_in') return a.startedAt ? 2 : 1
  if (a.status === 'done') return 3
  return undefined // cancelled or not come: no way forward to show
}

/** The station on the phone's map, with directions from there. */
async function openMap(a: AppointmentView) {
  if (!a.location) return
  await Taro.openLocation({
    latitude: a.location.latitude,
    longitude: a.location.longitude,
    name: a.stationName,
    address: a.address,
    scale: 17
  }).catch(() => undefined)
}

async function copy(a: AppointmentView) {
  await Taro.setClipboardData({ data: bookingText(a) }).catch(() => undefined)
}

/**
 * The booking in the phone's calendar, reminded an hour before. WeChat takes Unix seconds (and
 * asks the user's leave the first time); Taro's H5 stand-in, which downloads an .ics file, reads
 * milliseconds. When the calendar is refused, the details are copied instead and the page says so.
 */
async function addToCalendar(a: AppointmentView) {
  const scale = process.env.TARO_ENV === 'h5' ? 1 : 1 / 1000
  const start = Date.parse(a.startsAt)
  const end = instantAt(a.date, a.end).getTime()
  try {
    await Taro.addPhoneCalendar({
      title: `户政预约：${a.serviceName}`,
      startTime: Math.floor(start * scale),
      // A number, as WeChat's reference gives it and Taro's H5 version reads it (`new Date(endTime)`);
      // Taro's typings say string.
      endTime: Math.floor(end * scale) as unknown as string,
      location: `${a.stationName}，${a.address}`,
      description: bookingText(a),
      alarm: true,
      alarmOffset: 3600
    })
  } catch {
    await copy(a)
    await Taro.showToast({ title: '未能加入日历，已复制预约信息', icon: 'none' }).catch(() => undefined)
  }
}

function Detail({ loaded, isNew }: { loaded: AppointmentView; isNew: boolean }) {
  const [updated, setUpdated] = useState<AppointmentView | undefined>()
  const cancelling = useSubmit()
  const a = updated ?? loaded

  async function cancel() {
    const sure = await Taro.showModal({
      title: '取消预约',
      content: `确定取消 ${formatLocalDate(a.date)} ${a.start} 的预约吗？`,
      confirmText: '确定取消',
      cancelText: '不取消'
    })
    if (!sure.confirm) return
    const res = await cancelling.submit(() => call('appointment', 'cancel', { appointmentId: a._id }))
    if (res.ok) setUpdated(res.data)
  }

  return (
    <PageShell testId="booking-detail">
      {isNew && a.status === 'booked' ? (
        <Card tone="success" role="status" testId="booked-banner">
          <Text>
            {a.rescheduledFrom
              ? `✓ 已改约，新时间 ${formatLocalDate(a.date)} ${a.start}–${a.end}`
              : '✓ 预约成功，请按时到窗口办理'}
          </Text>
        </Card>
      ) : null}
      {a.status === 'cancelled' ? (
        <Card tone="warn" role="status" testId="cancelled-banner">
          <Text>此预约已取消，预约码不能再使用。如需办理，请重新预约。</Text>
        </Card>
      ) : null}
      <Card className="code-card">
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
        {progressStep(a) !== undefined ? (
          <StepBar
            row
            steps={PROGRESS}
            reached={progressStep(a) ?? 0}
            className="progress"
            testId="progress"
          />
        ) : null}
      </Card>

      <Card className="facts">
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
      </Card>

      {a.status === 'done' ? (
        <Card className="done-card" testId="done-card">
          {a.officerNote ? (
            <View className="officer-note" data-testid="officer-note">
              <Text>民警留言：{a.officerNote}</Text>
            </View>
          ) : null}
          <View>
            <Text>已办结，感谢您的配合。您对这次办理满意吗？</Text>
          </View>
          <Button
            className="rate-button"
            testId="rate"
            onClick={() => navigate('pages/rating/index', { appointmentId: a._id })}
          >
            去评价
          </Button>
        </Card>
      ) : null}
      {a.status === 'booked' || a.status === 'checked_in' ? (
        <>
          <View className="section-title">
            <Text>请带齐材料</Text>
          </View>
          {a.prereview?.passed ? (
            <Card tone="success" testId="prereview-passed">
              <Text>材料已预审：窗口已看过您的材料照片，办理时请带齐原件。</Text>
            </Card>
          ) : null}
          <MaterialsChecklist materials={a.materials} />
          {a.materials.length && !a.prereview?.passed ? (
            <Button
              variant="secondary"
              testId="open-prereview"
              onClick={() =>
                a.prereview
                  ? navigate('pages/prereview/index', { id: a.prereview.id })
                  : navigate('pages/prereview/index', { serviceId: a.serviceId, appointmentId: a._id })
              }
            >
              {/* Without a linked one, the pre-review page links the resident's open one of this
                  service if there is one (start from a booking), else starts one. */}
              {a.prereview ? '查看材料预审' : '材料预审，少跑一趟'}
            </Button>
          ) : null}
        </>
      ) : null}

      {cancelling.error ? (
        <View className="form-problem" role="alert">
          <Text>{cancelling.error}</Text>
        </View>
      ) : null}
      {a.changeableUntil ? (
        <View className="actions">
          <View className="muted change-note">
            <Text>{localDateTime(a.changeableUntil)} 前可以改约或取消</Text>
          </View>
          <Button
            testId="reschedule"
            onClick={() => navigate('pages/book/index', { serviceId: a.serviceId, reschedule: a._id })}
          >
            改约到其他时间
          </Button>
          <Button variant="secondary" testId="cancel" busy={cancelling.busy} onClick={() => void cancel()}>
            取消预约
          </Button>
        </View>
      ) : null}
      {a.status === 'booked' ? (
        <Button
          variant="secondary"
          className="add-calendar"
          testId="add-calendar"
          onClick={() => void addToCalendar(a)}
        >
          加入手机日历（提前1小时提醒）
        </Button>
      ) : null}
      {a.status === 'booked' && a.location ? (
        <Button variant="secondary" className="open-map" testId="open-map" onClick={() => void openMap(a)}>
          导航到窗口
        </Button>
      ) : null}
      {a.status === 'booked' ? (
        <Button
          variant="secondary"
          className="copy-booking"
          testId="copy-booking"
          onClick={() => void copy(a)}
        >
          复制预约信息（发给家人）
        </Button>
      ) : null}
      {a.status === 'booked' && process.env.TARO_ENV === 'weapp' ? (
        // Only a native button opens WeChat's share sheet; the card is shareCard's.
        <TaroButton className="button-secondary share-booking" openType="share" data-testid="share-booking">
          转发给家人（不含个人信息）
        </TaroButton>
      ) : null}
      <Button
        variant="secondary"
        className="all-bookings"
        onClick={() => navigate('pages/my-bookings/index')}
      >
        查看我的全部预约
      </Button>
    </PageShell>
  )
}
