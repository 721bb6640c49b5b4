/**
 * Staff reading individual ratings: `list` (an officer their own cases, a leader the station, a
 * supervisor all) and `export` (a CSV of a period, mobiles masked). Both carry residents' words:
 * audited reads.
 */
import { MAX_EXPORT_ROWS } from '../../types/ratings'
import { maskPersonalText } from '../../types/identity'
import { disclose } from '../_shared/audit'
import { csvFile } from '../_shared/csv'
import { db } from '../_shared/db'
import type { FollowUpDoc } from '../_shared/domain/follow-ups'
import type { Handlers } from '../_shared/handler'
import { checkPeriod, scopeOf } from './scope'
import { followUps, ratings, readAll, type RatingDoc } from './store'
import { staffRating } from './views'
import { optional } from '../_shared/fields'

export const recordActions: Pick<Handlers<'rating'>, 'list' | 'export'> = {
  list: {
    access: 'staff',
    roles: ['officer', 'leader', 'supervisor'],
    station: 'own',
    async handler({ from, to, stationId, badOnly }, ctx) {
      const { staff } = ctx
      checkPeriod(from, to)
      const _ = db().command
      const where: Record<string, unknown> = { ratedDate: _.and(_.gte(from), _.lte(to)) }
      const scope = scopeOf(staff, stationId)
      if (staff.role === 'officer') where.officerStaffId = staff._id
      else if (scope) where.stationId = scope
      if (badOnly) where.bad = true
      const docs = (await ratings().where(where).orderBy('ratedAt', 'desc').limit(200).get()).data
      return disclose(
        { staff, action: 'rating.list', ctx, ...optional({ stationId: scope }) },
        docs.map(staffRating)
      )
    }
  },

  export: {
    access: 'staff',
    roles: ['leader', 'supervisor'],
    station: 'own',
    async handler({ from, to, stationId }, ctx) {
      const { staff } = ctx
      checkPeriod(from, to)
      const scope = scopeOf(staff, stationId)
      const _ = db().command
      const where: Record<string, unknown> = {
        ratedDate: _.and(_.gte(from), _.lte(to)),
        ...optional({ stationId: scope })
      }
      const docs = (await readAll<RatingDoc>('ratings', where)).sort(
        (a, b) => new Date(a.ratedAt).getTime() - new Date(b.ratedAt).getTime()
      )
      const rows = docs.slice(0, MAX_EXPORT_ROWS)
      // The file carries residents' words (masked where they look like contacts): an audited read.
      await disclose(
        { staff, action: 'rating.export', ctx, ...optional({ stationId: scope }) },
        rows.map(staffRating)
      )
      const fids = rows.flatMap((r) => (r.followUpId ? [r.followUpId] : []))
      const fus = new Map<string, FollowUpDoc>()
      for (let i = 0; i < fids.length; i += 500)
        for (const f of (
          await followUps()
            .where({ _id: _.in(fids.slice(i, i + 500)) })
            .limit(500)
            .get()
        ).data)
          fus.set(f._id, f)
      const header = [
        '评价编号',
        '派出所',
        '办理民警',
        '办理事项',
        '业务大类',
        '业务类型',
        '评价等级',
        '分值',
        '评价标签',
        '评价内容',
        '评价时间（北京时间）',
        '是否差评',
        '处理进度',
        '回访时间',
        '核实结论',
        '整改措施',
        '答复时间',
        '整改评价',
        '是否剔除',
        '剔除理由',
        '联系电话（掩码）'
      ]
      const csv = csvFile(
        header,
        rows.map((r) => {
          const f = r.followUpId ? fus.get(r.followUpId) : undefined
          return [
            r._id,
            r.stationName,
            r.officerName ?? '',
            r.serviceName,
            r.businessTypeText,
            r.caseType,
            r.levelText,
            r.score,
            r.tagTexts.join('、'),
            maskPersonalText(r.comment ?? ''),
            r.ratedAtLocal,
            r.bad ? '是' : '否',
            f?.statusText ?? '',
            f?.calledBackAtLocal ?? '',
            f?.findingText ?? '',
            maskPersonalText(f?.rectification ?? ''),
            f?.repliedAtLocal ?? '',
            f?.rectificationText ?? '',
            r.excluded ? '是' : '否',
            maskPersonalText(r.excludedReason ?? ''),
            f?.mobileMasked ?? ''
          ]
        })
      )
      return {
        fileName: `ratings-${from}-${to}.csv`,
        csv,
        rows: rows.length,
        truncated: docs.length > rows.length
      }
    }
  }
}
