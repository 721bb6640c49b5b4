/**
 * Booking (and rescheduling): pick a day (each shows its places left; the first day with a place
 * is chosen), a time, who is coming (a common applicant in one tap, or typed, each field checked
 * as it is typed), read the materials to bring, agree to the privacy notice, confirm. Whether the
 * station would refuse this person on this day (once a day per person, the account's daily
 * limit) is asked as soon as the day and the name are known, so a refusal shows before the
 * consent sheet, with a link to the booking that blocks it. The confirm tap then asks WeChat for
 * permission to send the messages and books with a request id kept for this form, so a double
 * tap or a retry never books twice. A full slot still open for its waitlist (候补) can be chosen:
 * the same form then joins the waitlist, and the station books the resident automatically when a
 * place frees (docs/booking-rules.md, "Waitlist"). docs/booking-rules.md has the rules.
 */
import { Checkbox, Input, Picker, Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import {
  dateAvailabilityText,
  RELATION_LABELS,
  RELATIONS,
  type AppointmentOutputs,
  type AppointmentView,
  type Relation,
  type SavedApplicantView,
  type SlotOption,
  type WaitlistEntryView
} from '../../../types/appointment'
import type { Result } from '../../../types/result'
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
import { navigate, redirect } from '../../navigation'
import './index.css'

type Options = AppointmentOutputs['options']
type Check = AppointmentOutputs['check']

/** How long the page waits after the last keystroke before asking whether the booking is allowed. */
const CHECK_DELAY_MS = 400

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

/** The error a field shows while it is typed: only what cannot become right by typing on. */
function nameError(name: string, tried: boolean): string | undefined {
  const n = name.trim()
  if (n.length > 20 || (tried && !n)) return ERROR_MESSAGES.NAME_INVALID
  return undefined
}

function mobileError(mobile: string, tried: boolean): string | undefined {
  const m = mobile.trim()
  if (!m) return tried ? ERROR_MESSAGES.MOBILE_INVALID : undefined
  const growing = m.length < 11 && /^1?$|^1[3-9]\d*$/.test(m)
  if (isMobile(m) || (growing && !tried)) return undefined
  return ERROR_MESSAGES.MOBILE_INVALID
}

function idError(idNumber: string, today: string, tried: boolean): string | undefined {
  const id = idNumber.trim().toUpperCase()
  if (!id) return undefined
  if (id.length < 18 && !tried) return /^\d*$|^\d{17}X$/.test(id) ? undefined : ID_PROBLEM_MESSAGES.format
  const problem = idNumberProblem(id, today)
  return problem ? ID_PROBLEM_MESSAGES[problem] : undefined
}

function BookForm({ options, rescheduleId }: { options: Options; rescheduleId?: string }) {
  const [date, setDate] = useState<string | undefined>(options.firstAvailable ?? options.dates[0]?.date)
  const [slot, setSlot] = useState<SlotOption | undefined>()
  const [name, setName] = useState('')
  const [mobile, setMobile] = useState('')
  const [relation, setRelation] = useState<Relation>('self')
  const [idNumber, setIdNumber] = useState('')
  const [picked, setPicked] = useState<SavedApplicantView | undefined>()
  const [saveIt, setSaveIt] = useState(false)
  const [consent, setConsent] = useState(false)
  const [tried, setTried] = useState(false)
  const [invalid, setInvalid] = useState<string | undefined>()
  // One request id per intended booking: retries and double taps reuse it.
  const booking = useSubmit()
  const slots = useResult(
    () =>
      date
        ? call('appointment', 'slots', { serviceId: options.serviceId, date })
        : Promise.resolve({ ok: true as const, data: { date: '', slots: [] } }),
    date ?? ''
  )
  const today = localDate(Date.now())
  const errors = {
    name: nameError(name, tried),
    mobile: mobileError(mobile, tried),
    id: idError(idNumber, today, tried)
  }
  const refusal = useAllowed(
    !rescheduleId && date && name.trim() && !nameError(name, true) && !idError(idNumber, today, true)
      ? { serviceId: options.serviceId, date, name: name.trim(), idNumber: idNumber.trim() }
      : undefined
  )
  const problem = invalid ?? booking.error
  // A full slot chosen for its waitlist (候补): not when moving a booking.
  const waiting = !rescheduleId && slot !== undefined && slot.left <= 0

  const suspended = options.suspendedUntil ? localDate(options.suspendedUntil) : undefined

  function validate(): string | undefined {
    if (!slot) return '请选择预约时段'
    if (rescheduleId) return undefined
    const first = nameError(name, true) ?? mobileError(mobile, true) ?? idError(idNumber, today, true)
    if (first) return first
    if (refusal) return refusal.message
    if (!consent) return ERROR_MESSAGES.CONSENT_REQUIRED
    return undefined
  }

  async function confirm() {
    if (booking.busy) return
    setTried(true)
    const problem = validate()
    setInvalid(problem)
    if (problem || !slot) return
    const res = await booking.submit((requestId) => send(slot, requestId))
    if (!res.ok) {
      if (res.error.code === 'SLOT_FULL' || res.error.code === 'SLOT_NOT_FULL') {
        setSlot(undefined)
        slots.reload()
      }
      return
    }
    if (!rescheduleId && saveIt && !picked) {
      // Kept only because the resident ticked 保存为常用办事人; a failure here never undoes the booking.
      await call('appointment', 'saveApplicant', { applicant: applicant(), consent: true }).catch(
        () => undefined
      )
    }
    if ('code' in res.data) redirect('pages/booking-detail/index', { id: res.data._id, new: '1' })
    else redirect('pages/my-bookings/index')
  }

  function applicant() {
    return {
      name: name.trim(),
      mobile: mobile.trim(),
      relation,
      ...(idNumber.trim() ? { idNumber: idNumber.trim() } : {})
    }
  }

  function pick(a: SavedApplicantView) {
    setPicked(a)
    setName(a.name)
    setMobile(a.mobile)
    setRelation(a.relation)
    setIdNumber('')
    setSaveIt(false)
    setInvalid(undefined)
  }

  async function send(
    slot: SlotOption,
    requestId: string
  ): Promise<Result<AppointmentView | WaitlistEntryView>> {
    // Must run inside the tap: WeChat only shows the permission sheet for a user's tap.
    // On the waitlist too: 候补成功 comes as a booking confirmation, then its reminders.
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
    if (waiting)
      return await call('appointment', 'joinWaitlist', {
        serviceId: options.serviceId,
        slotId: slot.slotId,
        applicant: applicant(),
        ...(picked ? { savedApplicantId: picked._id } : {}),
        consent
      })
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
          applicant: applicant(),
          ...(picked ? { savedApplicantId: picked._id } : {}),
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
      {rescheduleId ? <CurrentBooking id={rescheduleId} /> : null}

      <View className="section-title">
        <Text>{rescheduleId ? '1. 选择新的日期' : '1. 选择日期'}</Text>
      </View>
      {options.dates.length === 0 ? (
        <Empty>近期没有可预约的日期，请稍后再看，或拨打咨询电话。</Empty>
      ) : (
        <View className="date-grid" data-testid="dates">
          {options.dates.map((d) => (
            <Chip
              key={d.date}
              className={d.left <= 0 ? 'date-chip date-full' : 'date-chip'}
              on={d.date === date}
              testId="date-option"
              ariaChecked={d.date === date}
              role="radio"
              onClick={() => {
                setDate(d.date)
                setSlot(undefined)
              }}
            >
              {formatLocalDate(d.date)
                .split(' ')
                .map((part, i) => (
                  <Text key={part} className={i === 0 ? 'date-day' : 'date-weekday'}>
                    {part}
                  </Text>
                ))}
              <Text className="chip-note" data-testid="date-left">
                {d.status === 'rest' && d.name && d.left > 0 ? `${d.name} · ` : ''}
                {dateAvailabilityText(d)}
              </Text>
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
            <View className="slot-grid" data-testid="slots">
              {list.map((s) => {
                const full = s.left <= 0
                // A full slot is chosen for its waitlist, when it has one open (never for a move).
                const canWait = full && s.waitlist === true && !rescheduleId
                const chosen = slot?.slotId === s.slotId
                return (
                  <Chip
                    key={s.slotId}
                    on={chosen}
                    className={full ? 'slot slot-full' : 'slot'}
                    testId="slot-option"
                    ariaDisabled={full && !canWait}
                    onClick={() => (full && !canWait ? undefined : setSlot(s))}
                  >
                    <Text className="slot-time">
                      {s.start}–{s.end}
                    </Text>
                    <Text className="chip-note">
                      {chosen
                        ? full
                          ? '✓ 候补'
                          : '✓ 已选'
                        : canWait
                          ? '约满·可候补'
                          : full
                            ? '已约满'
                            : `余 ${s.left}`}
                    </Text>
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
      {waiting ? (
        <Card className="notice-card waitlist-note" testId="waitlist-note">
          <Text>
            这个时段已约满，可以加入候补：有人取消或改约时，按加入的先后自动为排在最前、符合预约规则的办事人预约，并发消息通知您（请在弹出的提示中允许“预约成功通知”）；在“我的预约”里可随时退出候补。预约截止时仍未候补成功的，候补自动结束。
          </Text>
        </Card>
      ) : null}

      {rescheduleId ? null : (
        <>
          <View className="section-title">
            <Text>3. 办事人信息</Text>
          </View>
          <SavedApplicants picked={picked} onPick={pick} />
          <Card className="form">
            <Field label="姓名" error={errors.name} testId="field-name">
              <Input
                className="form-input"
                value={name}
                maxlength={20}
                placeholder="办事人姓名"
                onInput={(e) => {
                  setName(e.detail.value)
                  // Another name is another person: the saved one's ID number no longer applies.
                  if (picked && e.detail.value.trim() !== picked.name) setPicked(undefined)
                }}
                data-testid="input-name"
              />
            </Field>
            <Field label="手机号" error={errors.mobile} testId="field-mobile">
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
            <Field
              label="身份证号（选填）"
              error={errors.id}
              testId="field-id"
              hint={picked?.idMasked && !idNumber ? `已保存 ${picked.idMasked}，不用再填` : undefined}
            >
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
            {picked ? null : (
              <View
                className="save-applicant"
                onClick={() => setSaveIt(!saveIt)}
                data-testid="save-applicant"
                role="checkbox"
                aria-checked={saveIt}
              >
                <Checkbox value="save" checked={saveIt} />
                <Text>保存为常用办事人（下次一点即填；身份证号加密保存，可随时删除）</Text>
              </View>
            )}
          </Card>
          {refusal ? <Refusal refusal={refusal} /> : null}

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
        {booking.busy ? '正在提交…' : rescheduleId ? '确认改约' : waiting ? '加入候补' : '确认预约'}
      </Button>
    </View>
  )
}

/**
 * Whether the station would refuse this person on this day: asked (after a short pause in
 * typing) whenever the day, the name or the ID number changes; the refusal, or undefined.
 */
function useAllowed(
  q: { serviceId: string; date: string; name: string; idNumber: string } | undefined
): Extract<Check, { allowed: false }> | undefined {
  const key = q ? `${q.serviceId}|${q.date}|${q.name}|${q.idNumber}` : ''
  const [answer, setAnswer] = useState<{ key: string; check: Check } | undefined>()
  useEffect(() => {
    if (!q) return undefined
    let live = true
    const timer = setTimeout(() => {
      void call('appointment', 'check', {
        serviceId: q.serviceId,
        date: q.date,
        applicant: { name: q.name, ...(q.idNumber ? { idNumber: q.idNumber } : {}) }
      }).then((res) => {
        // A failed check says nothing: `book` applies the same rules and answers for itself.
        if (live && res.ok) setAnswer({ key, check: res.data })
      })
    }, CHECK_DELAY_MS)
    return () => {
      live = false
      clearTimeout(timer)
    }
    // The key is the query: a new object with the same values asks nothing new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  return answer && answer.key === key && !answer.check.allowed ? answer.check : undefined
}

function Refusal({ refusal }: { refusal: Extract<Check, { allowed: false }> }) {
  const blocking = refusal.blockingAppointmentId
  return (
    <Card tone="warn" role="alert" className="refusal" testId="booking-refusal">
      <View>
        <Text>{refusal.message}</Text>
      </View>
      {blocking ? (
        <View
          className="link-button refusal-link"
          data-testid="blocking-booking"
          onClick={() => navigate('pages/booking-detail/index', { id: blocking })}
        >
          <Text>查看已有的预约 ›</Text>
        </View>
      ) : null}
    </Card>
  )
}

/** 常用办事人: one tap fills the form; shown only when the resident has saved some. */
function SavedApplicants({
  picked,
  onPick
}: {
  picked?: SavedApplicantView
  onPick: (a: SavedApplicantView) => void
}) {
  const saved = useResult(() => call('appointment', 'applicants', {}), 'applicants')
  if (saved.status !== 'ok' || saved.data.length === 0) return null
  return (
    <View className="saved-applicants" data-testid="saved-applicants">
      <View className="muted saved-title">
        <Text>常用办事人（点一下即填）</Text>
      </View>
      <View className="chips">
        {saved.data.map((a) => (
          <Chip
            key={a._id}
            pill
            on={picked?._id === a._id}
            testId="saved-applicant"
            role="radio"
            ariaChecked={picked?._id === a._id}
            onClick={() => onPick(a)}
          >
            {`${a.name}（${RELATION_LABELS[a.relation]}）`}
          </Chip>
        ))}
      </View>
    </View>
  )
}

/** The booking being moved, at the top of a reschedule. */
function CurrentBooking({ id }: { id: string }) {
  const current = useResult(() => call('appointment', 'get', { appointmentId: id }), id)
  if (current.status !== 'ok') return null
  const a: AppointmentView = current.data
  return (
    <Card className="current-booking" testId="current-booking">
      <View className="muted">
        <Text>当前预约</Text>
      </View>
      <View className="current-time">
        <Text>
          {formatLocalDate(a.date)} {a.start}–{a.end}
        </Text>
      </View>
      <View className="muted">
        <Text>选好新的时间并确认后，原时间的预约和提醒自动取消，预约码不变。</Text>
      </View>
    </Card>
  )
}

function MaterialsReminder({ serviceId }: { serviceId: string }) {
  const detail = useResult(() => call('guide', 'getService', { serviceId }), serviceId)
  if (detail.status !== 'ok') return null
  return <MaterialsChecklist materials={detail.data.service.materials} testId="book-materials" />
}
