/**
 * 值班与人员 — the station's people and duty roster.
 * - Anyone signed in to WeChat who is not yet staff: bind their account with an invite code and
 *   their name (绑定工作人员身份).
 * - Leaders and supervisors: create an invite code (shown large, to read out to the new officer),
 *   see who is on duty now, and keep the roster a week at a time (week.tsx): a grid of each
 *   colleague's hours at the window (值班) and on call (备勤), shifts set with time pickers, the
 *   week saved at once, last week copied in one action.
 * - Leaders and supervisors: stop the account of someone who has left (停用), with a reason —
 *   leaders for their station's officers, supervisors for anyone but themselves.
 * - Officers: who is on duty now, and the roster, read-only.
 * - Everyone: their own mobile for text-message alerts (given at binding, changeable here); the
 *   people list says how an alert can reach each colleague (WeChat, text, or not at all), and the
 *   roster marks every hour of the week with nobody reachable on it, before and after saving.
 * Every action is checked on the server (staff function); this page only shows what it may offer.
 */
import { Input, Text, View } from '@tarojs/components'
import { useState } from 'react'
import type { StaffRole } from '../../../types/staff'
import { formatInviteCode, ROLE_LABELS, type StaffOutputs, type StaffView } from '../../../types/staff-admin'
import { localDate, localDateTime } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { Pending } from '../../components/states'
import { useResult } from '../../components/use-result'
import { Button, Chip } from '../../components/ui'
import { useSubmit } from '../../components/use-submit'
import { WeekRoster } from './week'
import './index.css'

/** A supervisor who oversees every station (no station of their own) sees the demo station. */
const DEFAULT_STATION = 'st-yunxi-chengguan'

type Person = StaffOutputs['roster']['staff'][number]

export default function TeamPage() {
  const me = useResult(() => call('staff', 'me', {}), 'me')
  if (me.status !== 'ok') return <Pending result={me} />
  return (
    <PageShell testId="team-page">
      <View className="team">
        {me.data.role === 'resident' ? <Bind onBound={me.reload} /> : <Team me={me.data} />}
      </View>
    </PageShell>
  )
}

function Bind({ onBound }: { onBound: () => void }) {
  const [code, setCode] = useState('')
  const [name, setName] = useState('')
  const [mobile, setMobile] = useState('')
  const sending = useSubmit()
  const busy = sending.busy
  const [message, setMessage] = useState<string | undefined>()

  async function bind() {
    if (busy) return
    if (!code.trim()) return setMessage('请输入所领导告诉您的邀请码')
    if (!name.trim()) return setMessage('请填写您的姓名或称呼，如 李警官')
    if (!/^1[3-9]\d{9}$/.test(mobile.trim()))
      return setMessage('请填写您本人的11位手机号：微信提醒送不到时，会用短信通知您')
    const res = await sending.submit(() =>
      call('staff', 'bindInvite', { code, name: name.trim(), mobile: mobile.trim() })
    )
    if (!res.ok) return setMessage(res.error.message)
    setMessage(
      `绑定成功：${res.data.name}，${ROLE_LABELS[res.data.role]}${res.data.stationName ? `，${res.data.stationName}` : ''}`
    )
    onBound()
  }

  return (
    <View>
      <View className="section-title">
        <Text>绑定工作人员身份</Text>
      </View>
      <View className="card form">
        <View className="muted">
          <Text>
            新到岗的民警：请向所领导索取邀请码（72小时内有效，只能用一次），输入后即可使用值班与受理功能。居民无需绑定。
          </Text>
        </View>
        <Input
          className="form-input"
          placeholder="邀请码，如 K7P2 9XAB"
          value={code}
          maxlength={12}
          onInput={(e) => setCode(e.detail.value)}
          data-testid="bind-code"
        />
        <Input
          className="form-input"
          placeholder="您的姓名或称呼，如 李警官"
          value={name}
          maxlength={20}
          onInput={(e) => setName(e.detail.value)}
          data-testid="bind-name"
        />
        <Input
          className="form-input"
          type="number"
          placeholder="您本人的手机号（接收值班短信提醒）"
          value={mobile}
          maxlength={11}
          onInput={(e) => setMobile(e.detail.value)}
          data-testid="bind-mobile"
        />
        <Button onClick={() => void bind()} busy={busy} testId="bind-submit">
          {busy ? '正在绑定…' : '绑定'}
        </Button>
      </View>
      {message ? (
        <View className="notice" role="status" data-testid="bind-message">
          <Text>{message}</Text>
        </View>
      ) : null}
    </View>
  )
}

function Team({ me }: { me: StaffView }) {
  const stationId = me.stationId || DEFAULT_STATION
  const manages = me.role === 'leader' || me.role === 'supervisor'
  const [dutyKey, setDutyKey] = useState(0)
  const [rosterKey, setRosterKey] = useState(0)
  return (
    <View>
      <View className="section-title" data-testid="team-me">
        <Text>
          {me.stationName ?? '本所'} · {me.name}（{ROLE_LABELS[me.role]}）
        </Text>
      </View>
      <MyMobile me={me} />
      {manages ? <Invite me={me} stationId={stationId} /> : null}
      <OnDuty key={dutyKey} stationId={stationId} />
      <WeekRoster
        key={`roster-${rosterKey}`}
        stationId={stationId}
        editable={manages}
        onSaved={() => setDutyKey((n) => n + 1)}
      />
      {manages ? (
        <People
          me={me}
          stationId={stationId}
          onChanged={() => {
            setDutyKey((n) => n + 1)
            setRosterKey((n) => n + 1)
          }}
        />
      ) : null}
    </View>
  )
}

/** The caller's own number for text-message alerts. */
function MyMobile({ me }: { me: StaffView }) {
  const [shown, setShown] = useState(me.mobileMasked)
  const [editing, setEditing] = useState(false)
  const [mobile, setMobile] = useState('')
  const sending = useSubmit()
  const busy = sending.busy
  const [message, setMessage] = useState<string | undefined>()

  async function save() {
    if (busy) return
    if (!/^1[3-9]\d{9}$/.test(mobile.trim())) return setMessage('手机号码应为11位数字，请核对')
    const res = await sending.submit(() => call('staff', 'setMobile', { mobile: mobile.trim() }))
    if (!res.ok) return setMessage(res.error.message)
    setShown(res.data.mobileMasked)
    setEditing(false)
    setMobile('')
    setMessage('已保存：微信提醒送不到时，会发短信到这个号码')
  }

  return (
    <View className={shown ? 'card' : 'card card-warn'} data-testid="my-mobile">
      <Text>{shown ? `短信提醒号码：${shown}` : '您还没有留手机号：微信提醒送不到时，没有办法通知您。'}</Text>
      {editing ? (
        <View>
          <Input
            className="form-input"
            type="number"
            placeholder="您本人的手机号"
            value={mobile}
            maxlength={11}
            onInput={(e) => setMobile(e.detail.value)}
            data-testid="my-mobile-input"
          />
          <Button onClick={() => void save()} busy={busy} testId="my-mobile-save">
            {busy ? '正在保存…' : '保存'}
          </Button>
        </View>
      ) : (
        <Button variant="secondary" onClick={() => setEditing(true)} testId="my-mobile-edit">
          {shown ? '修改手机号' : '填写手机号'}
        </Button>
      )}
      {message ? (
        <View className="notice" role="status">
          <Text>{message}</Text>
        </View>
      ) : null}
    </View>
  )
}

function Invite({ me, stationId }: { me: StaffView; stationId: string }) {
  const roles: StaffRole[] = me.role === 'supervisor' ? ['officer', 'leader', 'supervisor'] : ['officer']
  const [role, setRole] = useState<StaffRole>('officer')
  const sending = useSubmit()
  const busy = sending.busy
  const [invite, setInvite] = useState<StaffOutputs['createInvite'] | undefined>()
  const [error, setError] = useState<string | undefined>()

  async function create() {
    if (busy) return
    const res = await sending.submit(() => call('staff', 'createInvite', { role, stationId }))
    if (!res.ok) return setError(res.error.message)
    setError(undefined)
    setInvite(res.data)
  }

  return (
    <View>
      <View className="section-title">
        <Text>邀请新同事</Text>
      </View>
      <View className="card">
        {roles.length > 1 ? (
          <View className="chips">
            {roles.map((r) => (
              <Chip
                pill
                on={r === role}
                key={r}
                role="radio"
                ariaChecked={r === role}
                onClick={() => setRole(r)}
                testId={`invite-role-${r}`}
              >
                <Text>{ROLE_LABELS[r]}</Text>
              </Chip>
            ))}
          </View>
        ) : null}
        <Button onClick={() => void create()} busy={busy} testId="invite-create">
          {busy ? '正在生成…' : `生成${ROLE_LABELS[role]}邀请码`}
        </Button>
        {invite ? (
          <View data-testid="invite-result">
            <Text className="invite-code" data-testid="invite-code">
              {formatInviteCode(invite.code)}
            </Text>
            <View className="muted" data-testid="invite-expiry">
              <Text>
                请当面读给新同事（{ROLE_LABELS[invite.role]}），在小程序“值班与人员”页输入。
                {localDateTime(invite.expiresAt)} 前有效，只能用一次。
              </Text>
            </View>
          </View>
        ) : null}
        {error ? (
          <View className="notice" role="alert">
            <Text>{error}</Text>
          </View>
        ) : null}
      </View>
    </View>
  )
}

/** The station's active staff; a leader may stop an officer's account, a supervisor anyone's but their own. */
function People({ me, stationId, onChanged }: { me: StaffView; stationId: string; onChanged: () => void }) {
  const today = localDate(Date.now())
  const people = useResult(
    () => call('staff', 'roster', { stationId, from: today, to: today }),
    `people-${stationId}`
  )
  const [target, setTarget] = useState<Person | undefined>()
  const [reason, setReason] = useState('')
  const sending = useSubmit()
  const busy = sending.busy
  const [message, setMessage] = useState<string | undefined>()
  const may = (p: Person) => p.staffId !== me.staffId && (me.role === 'supervisor' || p.role === 'officer')

  async function deactivate() {
    if (!target || busy) return
    const res = await sending.submit(() =>
      call('staff', 'deactivate', { staffId: target.staffId, reason: reason.trim() })
    )
    if (!res.ok) {
      setMessage(res.error.message)
      return
    }
    setMessage(`已停用 ${res.data.name} 的账号（${res.data.deactivatedAtLocal}）。如需恢复，请重新邀请。`)
    setTarget(undefined)
    setReason('')
    people.reload()
    onChanged()
  }

  return (
    <View>
      <View className="section-title">
        <Text>人员</Text>
      </View>
      <View className="card" data-testid="people">
        <Pending result={people} />
        {people.status === 'ok'
          ? people.data.staff.map((p) => (
              <View key={p.staffId} className="person" data-testid={`person-${p.staffId}`}>
                <View>
                  <Text>
                    {p.name}（{ROLE_LABELS[p.role]}）
                  </Text>
                  <View
                    className={p.reachable ? 'muted' : 'person-unreachable'}
                    data-testid={`reach-${p.staffId}`}
                  >
                    <Text>{channels(p)}</Text>
                  </View>
                </View>
                {may(p) ? (
                  <Button
                    variant="secondary"
                    onClick={() => (setTarget(p), setMessage(undefined))}
                    testId={`deactivate-${p.staffId}`}
                  >
                    停用
                  </Button>
                ) : null}
              </View>
            ))
          : null}
        {target ? (
          <View className="deactivate-form" role="alertdialog" data-testid="deactivate-form">
            <Text>
              停用 {target.name} 的账号后，TA 的微信不再收到值班提醒，也不能再查看居民信息。请写明原因：
            </Text>
            <Input
              className="form-input"
              value={reason}
              maxlength={100}
              placeholder="如：调离本所"
              onInput={(e) => setReason(e.detail.value)}
              data-testid="deactivate-reason"
            />
            <Button onClick={() => void deactivate()} busy={busy} testId="deactivate-confirm">
              确认停用
            </Button>
            <Button variant="secondary" onClick={() => setTarget(undefined)} testId="deactivate-cancel">
              取消
            </Button>
          </View>
        ) : null}
        {message ? (
          <View className="notice" role="status" data-testid="people-message">
            <Text>{message}</Text>
          </View>
        ) : null}
      </View>
    </View>
  )
}

/** How an alert can reach a colleague, in plain words. */
function channels(p: Person): string {
  const ways = [p.wechat ? '微信提醒' : '', p.mobile ? `短信 ${p.mobile}` : ''].filter(Boolean)
  return ways.length ? `提醒方式：${ways.join('、')}` : '收不到任何提醒：未开启微信提醒，也没有留手机号'
}

function OnDuty({ stationId }: { stationId: string }) {
  const duty = useResult(() => call('staff', 'onDuty', { stationId }), `onDuty-${stationId}`)
  return (
    <View>
      <View className="section-title">
        <Text>现在值班</Text>
      </View>
      <View className="card" data-testid="on-duty">
        <Pending result={duty} />
        {duty.status === 'ok' && duty.data.staff.length === 0 ? (
          <Text>现在没有排班，请所领导安排值班</Text>
        ) : null}
        {duty.status === 'ok'
          ? duty.data.staff.map((s) => (
              <View key={s.staffId} data-testid="on-duty-person">
                <Text>
                  {s.name}（{ROLE_LABELS[s.role]}）
                </Text>
              </View>
            ))
          : null}
      </View>
    </View>
  )
}
