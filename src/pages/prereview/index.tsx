/**
 * 材料预审: the resident photographs each material of a service and sends them for the station to
 * check before the visit. Opened from a service's materials list (`serviceId`), from a booking
 * (`serviceId` + `appointmentId`: the pre-review is linked to it), or from the result message
 * (`id`). Per item: its name and note, its photos (tap to enlarge, × to remove while it may
 * change), 拍照 / 从相册 (compressed on the phone, uploaded into the folder the function issued,
 * then attached: the function checks each file), its verdict (待审 / 合格 / 需补正 and why). Then
 * 提交预审. The rules and who sees the photos: docs/materials-and-cards.md.
 */
import { Image, Text, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { useState } from 'react'
import {
  PHOTOS_PER_ITEM,
  type ItemVerdict,
  type PrereviewItemView,
  type PrereviewView
} from '../../../types/prereview'
import type { Result } from '../../../types/result'
import { call } from '../../api/client'
import { newRequestId } from '../../api/request-id'
import { compressPhoto, deleteFiles, StorageError, uploadFile } from '../../api/storage'
import { PageShell } from '../../components/page-shell'
import { Async } from '../../components/states'
import { useResult } from '../../components/use-result'
import { Badge, Button, Card, FormError, type BadgeTone } from '../../components/ui'
import { afterLostAttach, attachWithRetry } from './attach'
import './index.css'

const VERDICT_TONE: Record<ItemVerdict, BadgeTone> = { pending: 'blue', ok: 'green', fix: 'red' }

/** What the resident is told when the phone could not compress or upload a photo. */
const STORAGE_FAILURES: Record<StorageError['code'], string> = {
  FILE_TOO_LARGE: '照片太大了，请重新拍照或选择较小的照片',
  BAD_PATH: '照片上传失败，请刷新页面后再试',
  FORBIDDEN: '照片上传失败，请刷新页面后再试',
  BAD_FILE: '这个文件不是照片或无法读取，请重新选择',
  NETWORK: '网络连接失败，照片没有上传，请再试一次'
}

export default function PrereviewPage() {
  const { params } = useRouter()
  const [current, setCurrent] = useState<PrereviewView | undefined>()
  const key = params.id ?? `${params.serviceId ?? ''}-${params.appointmentId ?? ''}`
  const loaded = useResult((): Promise<Result<PrereviewView>> => {
    if (params.id) return call('prereview', 'get', { id: params.id })
    if (!params.serviceId)
      return Promise.resolve({ ok: false, error: { code: 'NOT_FOUND', message: '没有找到要预审的事项' } })
    return call('prereview', 'start', {
      serviceId: params.serviceId,
      ...(params.appointmentId ? { appointmentId: params.appointmentId } : {})
    })
  }, key)
  useDidShow(() => {
    setCurrent(undefined)
    loaded.reload()
  })
  return (
    <PageShell testId="prereview" className="prereview-page">
      <Async result={loaded}>{(data) => <Prereview view={current ?? data} onChange={setCurrent} />}</Async>
    </PageShell>
  )
}

function statusTone(v: PrereviewView): BadgeTone {
  if (v.status === 'passed') return 'green'
  if (v.status === 'returned') return 'red'
  if (v.status === 'withdrawn') return 'plain'
  return v.status === 'submitted' ? 'blue' : 'orange'
}

function Prereview({ view, onChange }: { view: PrereviewView; onChange: (v: PrereviewView) => void }) {
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)

  async function act(run: () => Promise<Result<PrereviewView>>) {
    if (busy) return
    setBusy(true)
    const res = await run().catch(() => undefined)
    setBusy(false)
    if (!res) return setError('网络连接失败，请检查网络后再试')
    setError(res.ok ? undefined : res.error.message)
    if (res.ok) onChange(res.data)
  }

  // An ended case (its booking over, or left idle) changes no more: no action is offered.
  const ended = view.endedAt !== undefined && view.status !== 'withdrawn'
  const editing = !ended && (view.status === 'draft' || view.status === 'returned')
  return (
    <View>
      <View className="pr-head">
        <Text className="page-title">{view.serviceName}</Text>
        <Badge tone={ended ? 'plain' : statusTone(view)} testId="pr-status">
          {ended ? '已结束' : view.statusLabel}
        </Badge>
      </View>
      <Text className="muted pr-station">{view.stationName} · 材料预审</Text>
      <StatusNote view={view} />
      {view.items.map((item) => (
        <Item key={item.key} view={view} item={item} onChange={onChange} />
      ))}
      {error ? <FormError testId="pr-error">{error}</FormError> : null}
      {editing ? (
        <View className="pr-actions">
          <Button
            busy={busy}
            testId="pr-submit"
            className={view.canSubmit ? undefined : 'pr-disabled'}
            onClick={() => void act(() => call('prereview', 'submit', { id: view._id }))}
          >
            {view.status === 'returned' ? '重新提交预审' : '提交预审'}
          </Button>
          {view.canSubmit ? null : (
            <Text className="muted pr-hint">
              {view.status === 'returned'
                ? '请为标注“需补正”的材料重新拍照上传后再提交'
                : '每项必需的材料至少上传一张照片后即可提交'}
            </Text>
          )}
        </View>
      ) : null}
      {!ended && view.status !== 'withdrawn' ? (
        <View className="pr-actions">
          <Button
            busy={busy}
            variant="secondary"
            testId="pr-withdraw"
            onClick={() =>
              void Taro.showModal({
                title: '撤回预审',
                confirmText: '确定撤回',
                content:
                  view.status === 'passed' && view.appointmentId
                    ? '撤回后窗口不再显示“材料已预审”，照片将在30天后删除。确定撤回吗？'
                    : '撤回后民警不再审核这次预审，照片将在30天后删除。确定撤回吗？'
              }).then((r) =>
                r.confirm ? act(() => call('prereview', 'withdraw', { id: view._id })) : undefined
              )
            }
          >
            撤回预审
          </Button>
        </View>
      ) : null}
      <Card className="pr-privacy" testId="pr-privacy">
        <Text className="pr-privacy-title">照片谁能看到？</Text>
        <Text className="muted">
          照片只有您本人和{view.stationName || '办理窗口'}
          的工作人员能看到，工作人员每次查看都有记录。办理结束（预约办结、取消、未到场或预约时间过去一天，撤回预审，或未关联预约且30天没有新进展；已通过的预审在预约取消后会保留，可用于重新预约）30天后，照片会被彻底删除。
        </Text>
      </Card>
    </View>
  )
}

function StatusNote({ view }: { view: PrereviewView }) {
  const text: Record<PrereviewView['status'], string> = {
    draft:
      '请按下面的清单，为每项材料拍一张清晰的照片（证件请拍全四角），全部上传后提交，窗口民警会在工作时间逐项审核。',
    submitted: '已提交，等待窗口民警审核。审核结果会通过微信通知您，也可以回到这里查看。',
    returned: '有材料需要补正：请看每项下方的原因，重新拍照上传后再次提交。已合格的材料不用再传。',
    // The window sees 材料已预审 only on a linked booking: until then, say how to link it.
    passed: view.appointmentId
      ? '材料已预审通过。办理时请带齐原件，窗口会看到“材料已预审”，一次办好。'
      : '材料已预审通过。办理时请带齐原件。预约这个事项后，在预约详情里点“材料预审”即可关联，窗口就能看到“材料已预审”。',
    withdrawn: '这次预审已撤回。'
  }
  if (view.endedAt && view.status !== 'withdrawn')
    return (
      <Card>
        <Text data-testid="pr-note">
          这次预审已结束（预约已办结、取消或已过期，或长时间没有新进展），不能再修改或提交。照片将在结束30天后删除；如需办理，请重新发起预审。
        </Text>
      </Card>
    )
  return (
    <Card tone={view.status === 'passed' ? 'success' : view.status === 'returned' ? 'warn' : undefined}>
      <Text data-testid="pr-note">{text[view.status]}</Text>
    </Card>
  )
}

interface Progress {
  text: string
  failed?: boolean
}

function Item({
  view,
  item,
  onChange
}: {
  view: PrereviewView
  item: PrereviewItemView
  onChange: (v: PrereviewView) => void
}) {
  const [progress, setProgress] = useState<Progress | undefined>()
  const room = PHOTOS_PER_ITEM - item.photos.length
  // 待审 only for what the officer will look at: an optional item without a photo is not reviewed.
  const showVerdict = item.verdict !== 'pending' || (view.status === 'submitted' && item.photos.length > 0)

  async function add(source: 'camera' | 'album') {
    if (progress && !progress.failed) return
    let paths: string[]
    try {
      const chosen = await Taro.chooseImage({
        count: room,
        sizeType: ['compressed'],
        sourceType: [source]
      })
      paths = chosen.tempFilePaths.slice(0, room)
    } catch {
      return setProgress(undefined) // the resident closed the picker
    }
    let latest: PrereviewView | undefined
    for (const [n, path] of paths.entries()) {
      const of = paths.length > 1 ? `（${n + 1}/${paths.length}）` : ''
      try {
        setProgress({ text: `正在压缩照片${of}…` })
        const small = await compressPhoto(path)
        setProgress({ text: `正在上传照片${of}…` })
        const name = `${item.key}-${newRequestId().slice(0, 16)}.jpg`
        const { fileID } = await uploadFile(`${view.uploadFolder}${name}`, small.filePath)
        setProgress({ text: `正在检查照片${of}…` })
        const before = latest ?? view
        // No answer: sent again (a retried attach is recognised), then the pre-review read again.
        const res = await attachWithRetry(() =>
          call('prereview', 'attach', { id: view._id, itemKey: item.key, fileID })
        )
        if (res.kind === 'refused') return setProgress({ text: res.message, failed: true })
        if (res.kind === 'unknown') {
          const lost = afterLostAttach(before, await call('prereview', 'get', { id: view._id }), item.key)
          // Safe whether or not it was attached: an attached photo is the function's own copy.
          if (lost.deleteUpload) await deleteFiles([fileID]).catch(() => undefined)
          if (lost.view) onChange(lost.view)
          if (!lost.saved)
            return setProgress({ text: '网络连接失败，照片没有保存，请再试一次', failed: true })
          latest = lost.view
          continue
        }
        latest = res.view
        onChange(res.view)
      } catch (err) {
        const text = err instanceof StorageError ? STORAGE_FAILURES[err.code] : '照片上传失败，请再试一次'
        return setProgress({ text, failed: true })
      }
    }
    if (latest) setProgress(undefined)
  }

  async function remove(fileID: string) {
    const res = await call('prereview', 'removePhoto', { id: view._id, itemKey: item.key, fileID }).catch(
      () => undefined
    )
    if (!res) return setProgress({ text: '网络连接失败，请再试一次', failed: true })
    if (!res.ok) return setProgress({ text: res.error.message, failed: true })
    setProgress(undefined)
    onChange(res.data)
  }

  const urls = item.photos.flatMap((p) => (p.url ? [p.url] : []))
  return (
    <Card className="pr-item" testId={`pr-item-${item.key}`}>
      <View className="pr-item-head">
        <Text className="pr-item-name">
          {item.name}
          {item.required ? '' : '（视情况）'}
        </Text>
        {showVerdict ? (
          <Badge tone={VERDICT_TONE[item.verdict]} testId={`pr-verdict-${item.key}`}>
            {item.verdictLabel}
          </Badge>
        ) : null}
      </View>
      {item.note ? <Text className="muted pr-item-note">{item.note}</Text> : null}
      {item.verdict === 'fix' && item.reason ? (
        <View className="pr-reason" role="alert" data-testid={`pr-reason-${item.key}`}>
          <Text>需补正：{item.reason}</Text>
        </View>
      ) : null}
      {item.photos.length ? (
        <View className="pr-photos">
          {item.photos.map((p, i) => (
            <View key={p.fileID} className="pr-photo" data-testid="pr-photo">
              {p.url ? (
                <Image
                  className="pr-thumb"
                  src={p.url}
                  mode="aspectFill"
                  onClick={() => void Taro.previewImage({ urls, current: p.url })}
                  aria-label={`${item.name} 第${i + 1}张照片，点按放大`}
                />
              ) : (
                <View className="pr-thumb pr-thumb-missing">
                  <Text className="muted">照片</Text>
                </View>
              )}
              {item.editable ? (
                <View
                  className="pr-photo-remove"
                  role="button"
                  aria-label="删除这张照片"
                  data-testid="pr-photo-remove"
                  onClick={() => void remove(p.fileID)}
                >
                  <Text>×</Text>
                </View>
              ) : null}
            </View>
          ))}
        </View>
      ) : (
        <Text className="muted pr-empty">{item.editable ? '还没有照片' : '未上传照片'}</Text>
      )}
      {item.editable && room > 0 ? (
        <View className="pr-add">
          <Button variant="secondary" testId={`pr-camera-${item.key}`} onClick={() => void add('camera')}>
            拍照
          </Button>
          <Button variant="secondary" testId={`pr-album-${item.key}`} onClick={() => void add('album')}>
            从相册
          </Button>
        </View>
      ) : null}
      {item.editable && room === 0 ? (
        <Text className="muted pr-empty">已上传{PHOTOS_PER_ITEM}张，如需更换请先删除一张</Text>
      ) : null}
      {progress ? (
        progress.failed ? (
          <FormError testId={`pr-item-error-${item.key}`}>{progress.text}</FormError>
        ) : (
          <View className="pr-progress" role="status" aria-busy="true">
            <Text>{progress.text}</Text>
          </View>
        )
      ) : null}
    </Card>
  )
}
