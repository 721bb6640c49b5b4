import type { AppointmentView } from '../../../types/appointment'
import { pageUrl } from '../../../types/routes'
import { formatLocalDate } from '../../../types/time'

/**
 * What a shared booking shows: the service, the day and time, the station — no name, mobile, ID
 * number or booking code — and it opens the service's guide (its materials list), which anyone
 * can read.
 */
export function shareCard(
  a: Pick<AppointmentView, 'serviceId' | 'serviceName' | 'date' | 'start' | 'stationName'>
) {
  return {
    title: `${formatLocalDate(a.date)} ${a.start} 到${a.stationName}办理${a.serviceName}`,
    path: `/${pageUrl('pages/service/index', { id: a.serviceId })}`
  }
}
