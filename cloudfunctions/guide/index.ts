/**
 * guide — 办事指南: the stations and the services they offer. Public: needs no identity.
 */
import { addDays, localDate } from '../../types/time'
import {
  guideInputs,
  STATION_DAYS,
  type StationDay,
  SERVICE_SUMMARY_FIELDS,
  searchServices,
  type ServiceSummary,
  type Station
} from '../../types/guide'
import { AppError, defineFunction } from '../_shared/handler'
import { stationCalendar } from '../_shared/calendars'
import { repo } from '../_shared/db'
import { optional } from '../_shared/fields'

const stations = repo('stations')
const services = repo('services')

async function station(id: string): Promise<Station> {
  const found = await stations.byId(id)
  if (!found) throw new AppError('NOT_FOUND', '没有找到这个派出所窗口')
  return found
}

export const main = defineFunction('guide', guideInputs, {
  listStations: {
    access: 'public',
    async handler() {
      return stations.find({}, { orderBy: [['name', 'asc']] })
    }
  },

  listServices: {
    access: 'public',
    async handler({ stationId, q }) {
      const [st, list] = await Promise.all([
        station(stationId),
        services.find({ stationId }, { fields: SERVICE_SUMMARY_FIELDS, limit: 1000 }) as Promise<
          ServiceSummary[]
        >
      ])
      return { station: st, services: searchServices(list, q) }
    }
  },

  getService: {
    access: 'public',
    async handler({ serviceId }) {
      const service = await services.byId(serviceId)
      if (!service) throw new AppError('NOT_FOUND', '没有找到这个办事事项，可能已经下线')
      return { station: await station(service.stationId), service }
    }
  },

  // Two requests at most: the station (to say when it does not exist) and its closures of the
  // coming month; the holiday table comes from the instance's cache.
  days: {
    access: 'public',
    async handler({ stationId }, ctx) {
      const today = localDate(ctx.now)
      const last = addDays(today, STATION_DAYS - 1)
      const [, calendar] = await Promise.all([station(stationId), stationCalendar(stationId, today, last)])
      const days = Array.from({ length: STATION_DAYS }, (_, i): StationDay => {
        const d = calendar.day(addDays(today, i))
        return {
          date: d.date,
          status: d.status,
          ...optional({
            name: d.name,
            makeUp: d.makeUp,
            closures:
              d.closures.length > 0 &&
              d.closures.map((c) => ({ reason: c.reason, ...optional({ start: c.start, end: c.end }) }))
          })
        }
      })
      return { today, days }
    }
  }
})
