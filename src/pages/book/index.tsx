/**
 * Booking (and rescheduling): pick a day, a time, fill in who is coming, read the materials to
 * bring, agree to the privacy notice, confirm. The confirm tap first asks WeChat for permission
 * to send the confirmation and reminder messages, then books with a request id kept for this
 * form, so a double tap or a retry never books twice.
 */
import { Checkbox, Input, Picker, Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import {
  RELATION_LABELS,
  RELATIONS,
  type AppointmentOutputs,
  type Relation,
  type SlotOption
} from '../../../types/appointment'
import { ERROR_MESSAGES } from '../../../types/errors'
import { ID_PROBLEM_MESSAGES, idNumberProblem, isMobile } from '../../../types/identity'
import { formatLocalDate, localDate } from '../../../types/time'
import { call } from '../../api/client'
import { decisionFor, requestSubscribe } from '../../api/subscribe'
import { MaterialsChecklist } from '../../components/materials-checklist'
import { PageShell } from '../../components/page-shell'
import { Async, Empty } from '../../components/states'
import { Button, Card, Chip, Field } from '../../components/ui'
import { useResult } from '../../components/use-result'
import { useSubmit } from '../../components/use-submit'
import { redirect } from '../../navigation'
import './index.css'

type Options = AppointmentOutputs['options']

export default function Book() {
  const { params } = useRouter()
  const serviceId = params.serviceId ?? ''
  const rescheduleId = params.reschedule
  const options = useResult(() => call('appointment', 'options', { serviceId }), serviceId)

  return (
    <Async result={options}>
      {(data) => (
        <PageShell testId="book-page">
          <BookForm options={data} rescheduleId={rescheduleId} />
        </PageShell>
      )}
    </Async>
  )
}

function BookForm({ options, rescheduleId }: { options: Options; rescheduleId?: string }) {
  const [date, setDate] = useState<string | undefined>(options.dates[0]?.date)
  const [slot, setSlot] = useState<SlotOption | undefined>()
  const [name, setName] = useState('')
  const [mobile, setMobile] = useState('')
  const [relation, setRelation] = useState<Relation>('self')
  const [idNumber, setIdNumber] = useState('')
  const [consent, setConsent] = useState(false)
  const [invalid, setInvalid] = useState<string | undefined>()
  // One request id per intended booking: retries and double taps reuse it.
  const booking = useSubmit()
  const problem = invalid ?? booking.error
  const slots = useResult(
    () =>
      date
        ? call('appointment', 'slots', { serviceId: options.serviceId, date })
        : Promise.resolve({ ok: true as const, data: { date: '', slots: [] } }),
    date ?? ''
  )

  const suspended = options.suspendedUntil ? localDate(options.suspendedUntil) : undefined

  function validate(): string | undefined {
    if (!slot) return '请选择预约时段'
    if (rescheduleId) return undefined
    if (!name.trim() || name.trim().length > 20) return ERROR_MESSAGES.NAME_INVALID
    if (!isMobile(mobile.trim())) return ERROR_MESSAGES.MOBILE_INVALID
    if (idNumber.trim()) {
      const p = idNumberProblem(idNumber.trim(), localDate(Date.now()))
      if (p) return ID_PROBLEM_MESSAGES[p]
    }
    if (!consent) return ERROR_MESSAGES.CONSENT_REQUIRED
    return undefined
  }

  async function confirm() {
    if (booking.busy) return
    const problem = validate()
    setInvalid(problem)
    if (problem || !slot) return
    const res = await booking.submit((requestId) => send(slot, requestId))
    if (!res.ok) {
      if (res.error.code === 'SLOT_FULL') {
        setSlot(undefined)
        slots.reload()
      }
      return
    }
    redirect('pages/booking-detail/index', { id: res.data._id, new: '1' })
  }

  async function send(slot: SlotOption, requestId: string) {
    // Must run inside the tap: WeChat only shows the permission sheet for a user's tap.
    const asked = ['bookingConfirmed', 'bookingReminder', 'ratingInvite'] as const
    const answers = await requestSubscribe(asked).catch(() => undefined)
    // The app's own count of sends left (WeChat gives the server no way to read it).
    const results = answers
      ? Object.fromEntries(
          asked.flatMap((k) => {
            const d = decisionFor(answers, k)
            return d ? [[k, d] as const] : []
          })
        )
      : {}
    if (Object.keys(results).length > 0) void call('notify', 'recordSubscribe', { results })
    return rescheduleId
      ? await call('appointment', 'reschedule', {
          appointmentId: rescheduleId,
          slotId: slot.slotId,
          requestId
        })
      : await call('appointment', 'book', {
          requestId,
          serviceId: options.serviceId,
          slotId: slot.slotId,
          applicant: {
            name: name.trim(),
            mobile: mobile.trim(),
            relation,
            ...(idNumber.trim() ? { idNumber: idNumber.trim() } : {})
          },
          consent
        })
  }

  if (suspended) {
    return (
      <Card className="notice-card" role="alert" testId="suspended">
        <Text>
          您近 {options.policy.noShowWindowDays} 天内有 {options.policy.noShowLimit}{' '}
          次预约未到场，在线预约暂停至 {suspended}。如需办理，可直接到窗口取号。
        </Text>
      </Card>
    )
  }

  return (
    <View className="book">
      <Card>
        <View className="page-title">
          <Text>{rescheduleId ? `改约：${options.serviceName}` : options.serviceName}</Text>
        </View>
        <View className="muted">
          <Text>{options.stationName}</Text>
        </View>
      </Card>

      <View className="section-title">
        <Text>1. 选择日期</Text>
      </View>
      {options.dates.length === 0 ? (
        <Empty>近期没有可预约的日期，请稍后再看，或拨打咨询电话。</Empty>
      ) : (
        <View className="chips" data-testid="dates">
          {options.dates.map((d) => (
            <Chip
              key={d.date}
              className="date-chip"
              on={d.date === date}
              testId="date-option"
              onClick={() => {
                setDate(d.date)
                setSlot(undefined)
              }}
            >
              <Text>{formatLocalDate(d.date)}</Text>
              {d.status === 'rest' ? <Text className="chip-note">{d.name ?? '休息日'} · 仅值班</Text> : null}
              {d.makeUp ? <Text className="chip-note">调休上班</Text> : null}
              {d.date === date ? <Text className="chip-note">✓ 已选</Text> : null}
            </Chip>
          ))}
        </View>
      )}

      <View className="section-title">
        <Text>2. 选择时段</Text>
      </View>
      <Async result={slots} loadingText="正在查询时段…">
        {({ slots: list }) => (
          <>
            {list.length === 0 && date ? <Empty>这一天没有可预约的时段了，请换一天。</Empty> : null}
            <View className="chips" data-testid="slots">
              {list.map((s) => {
                const full = s.left <= 0
                const chosen = slot?.slotId === s.slotId
                return (
                  <Chip
                    key={s.slotId}
                    on={chosen}
                    className={full ? 'slot slot-full' : 'slot'}
                    testId="slot-option"
                    ariaDisabled={full}
                    onClick={() => (full ? undefined : setSlot(s))}
                  >
                    <Text className="slot-time">
                      {s.start}–{s.end}
                    </Text>
                    <Text className="chip-note">{full ? '已约满' : chosen ? '✓ 已选' : `余 ${s.left}`}</Text>
                    {s.kind === 'extended' ? (
                      <Text className="chip-note slot-extended">{s.label ?? '延时服务'}</Text>
                    ) : null}
                  </Chip>
                )
              })}
            </View>
          </>
        )}
      </Async>

      {rescheduleId ? null : (
        <>
          <View className="section-title">
            <Text>3. 办事人信息</Text>
          </View>
          <Card className="form">
            <Field label="姓名">
              <Input
                className="form-input"
                value={name}
                maxlength={20}
                placeholder="办事人姓名"
                onInput={(e) => setName(e.detail.value)}
                data-testid="input-name"
              />
            </Field>
            <Field label="手机号">
              <Input
                className="form-input"
                type="number"
                value={mobile}
                maxlength={11}
                placeholder="用于接收提醒"
                onInput={(e) => setMobile(e.detail.value)}
                data-testid="input-mobile"
              />
            </Field>
            <Field label="与您的关系">
              <Picker
                mode="selector"
                range={RELATIONS.map((r) => RELATION_LABELS[r])}
                value={RELATIONS.indexOf(relation)}
                onChange={(e) => setRelation(RELATIONS[Number(e.detail.value)] ?? 'self')}
              >
                <View className="form-input picker-value" data-testid="input-relation">
                  <Text>{RELATION_LABELS[relation]}（点此更改）</Text>
                </View>
              </Picker>
            </Field>
            <Field label="身份证号（选填）">
              <Input
                className="form-input"
                type="idcard"
                value={idNumber}
                maxlength={18}
                placeholder="填写后窗口可提前核对"
                onInput={(e) => setIdNumber(e.detail.value)}
                data-testid="input-id"
              />
            </Field>
          </Card>

          <View className="section-title">
            <Text>4. 请带齐以下材料</Text>
          </View>
          <MaterialsReminder serviceId={options.serviceId} />

          <Card className="consent" onClick={() => setConsent(!consent)} testId="consent">
            <Checkbox value="consent" checked={consent} />
            <Text>
              我已阅读并同意：姓名、手机号和身份证号仅用于本次预约办理和提醒，身份证号加密保存、只显示部分号码，办结后按规定期限删除。
            </Text>
          </Card>
        </>
      )}

      {problem ? (
        <View className="form-problem" role="alert" data-testid="form-problem">
          <Text>{problem}</Text>
        </View>
      ) : null}
      <Button className="book-confirm" busy={booking.busy} onClick={() => void confirm()} testId="confirm">
        {booking.busy ? '正在提交…' : rescheduleId ? '确认改约' : '确认预约'}
      </Button>
    </View>
  )
}

function MaterialsReminder({ serviceId }: { serviceId: string }) {
  const detail = useResult(() => call('guide', 'getService', { serviceId }), serviceId)
  if (detail.status !== 'ok') return null
  return <MaterialsChecklist materials={detail.data.service.materials} testId="book-materials" />
}
