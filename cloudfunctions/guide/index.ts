/**
 * guide — 办事指南: the stations and the services they offer. Public: needs no identity.
 */
import {
  guideInputs,
  SERVICE_SUMMARY_FIELDS,
  searchServices,
  type ServiceSummary,
  type Station
} from '../../types/guide'
import { AppError, defineFunction } from '../_shared/handler'
import { repo } from '../_shared/db'

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
  }
})
