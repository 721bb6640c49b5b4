/**
 * 我的 (a tab): the resident's bookings, requests, messages, ratings and feedback; the common
 * applicants (常用办事人) with remove; the elder-mode switch and the supervision phone (both from
 * PageShell); and, for staff, the way into the workbench.
 */
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { RELATION_LABELS, type SavedApplicantView } from '../../../types/appointment'
import { maskMobile } from '../../../types/identity'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { Async } from '../../components/states'
import { Button, FormError } from '../../components/ui'
import { useResult } from '../../components/use-result'
import { useSubmit } from '../../components/use-submit'
import { navigate } from '../../navigation'
import './index.css'

function Row({ label, testId, onClick }: { label: string; testId: string; onClick: () => void }) {
  return (
    <View className="me-row" role="button" data-testid={testId} hoverClass="me-row-active" onClick={onClick}>
      <Text>{label}</Text>
      <Text className="me-row-arrow" aria-hidden>
        ›
      </Text>
    </View>
  )
}

export default function Me() {
  const applicants = useResult(() => call('appointment', 'applicants', {}), 'applicants')
  // Staff see the way into their workbench; residents (staff.me answers role 'resident') do not.
  const me = useResult(() => call('staff', 'me', {}), 'staff')
  const staff = me.status === 'ok' && me.data.role !== 'resident' ? me.data : undefined
  useDidShow(() => applicants.reload())

  return (
    <PageShell className="me" testId="me-page">
      <View className="section-title">
        <Text>办事记录</Text>
      </View>
      <View className="me-list">
        <Row label="我的预约" testId="me-bookings" onClick={() => navigate('pages/my-bookings/index')} />
        <Row label="身份证制证进度" testId="me-cards" onClick={() => navigate('pages/cards/index')} />
        <Row label="我的求助" testId="me-requests" onClick={() => navigate('pages/my-requests/index')} />
        <Row label="我的消息" testId="me-messages" onClick={() => navigate('pages/messages/index')} />
        <Row label="我的评价与留言" testId="me-voice" onClick={() => navigate('pages/my-voice/index')} />
        <Row label="意见簿 / 咨询" testId="me-feedback" onClick={() => navigate('pages/feedback/index')} />
      </View>

      <View className="section-title">
        <Text>常用办事人</Text>
      </View>
      <Async
        result={applicants}
        isEmpty={(list) => list.length === 0}
        empty={
          <View className="me-note muted" data-testid="applicants-empty">
            <Text>还没有保存的办事人。预约时勾选“保存为常用办事人”，下次一点即填。</Text>
          </View>
        }
      >
        {(list) => (
          <View className="me-list">
            {list.map((a) => (
              <ApplicantRow key={a._id} applicant={a} onRemoved={applicants.reload} />
            ))}
          </View>
        )}
      </Async>

      {staff ? (
        <>
          <View className="section-title">
            <Text>工作人员</Text>
          </View>
          <View className="me-list">
            <Row
              label={`工作台（${staff.name}）`}
              testId="me-workbench"
              onClick={() => navigate('officer/workbench/index')}
            />
            {staff.role !== 'officer' ? (
              <Row
                label="节假日与停办"
                testId="me-calendar"
                onClick={() => navigate('supervisor/calendar/index')}
              />
            ) : null}
          </View>
        </>
      ) : null}
    </PageShell>
  )
}

function ApplicantRow({ applicant, onRemoved }: { applicant: SavedApplicantView; onRemoved: () => void }) {
  const form = useSubmit()
  const remove = async () => {
    const res = await form.submit(() =>
      call('appointment', 'removeApplicant', { applicantId: applicant._id })
    )
    if (res.ok) onRemoved()
  }
  return (
    <View className="me-applicant" data-testid="applicant">
      <View className="me-applicant-text">
        <View className="me-applicant-name">
          <Text>
            {applicant.name}（{RELATION_LABELS[applicant.relation]}）
          </Text>
        </View>
        <View className="muted">
          <Text>
            {maskMobile(applicant.mobile)}
            {applicant.idMasked ? ` · ${applicant.idMasked}` : ''}
          </Text>
        </View>
        {form.error ? <FormError>{form.error}</FormError> : null}
      </View>
      <Button
        variant="secondary"
        className="me-applicant-remove"
        busy={form.busy}
        testId="applicant-remove"
        ariaLabel={`删除常用办事人 ${applicant.name}`}
        onClick={() => void remove()}
      >
        删除
      </Button>
    </View>
  )
}
