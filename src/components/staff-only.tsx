/**
 * The staff pages of this subpackage (ratings, questions, feedback box): load `staff.me` once,
 * refuse residents in plain words, and hand the caller's staff record to the page. The server
 * checks every action again; this only decides what the page offers.
 */
import type { ReactNode } from 'react'
import { ERROR_MESSAGES } from '../../types/errors'
import type { StaffView } from '../../types/staff-admin'
import { call } from '../api/client'
import { ErrorState, Loading } from '../components/states'
import { useResult } from '../components/use-result'

export function StaffOnly({ children }: { children: (me: StaffView) => ReactNode }) {
  const me = useResult(() => call('staff', 'me', {}), 'me')
  if (me.status === 'loading') return <Loading />
  if (me.status === 'error') return <ErrorState error={me.error} onRetry={me.reload} />
  if (me.data.role === 'resident')
    return <ErrorState error={{ code: 'FORBIDDEN', message: ERROR_MESSAGES.FORBIDDEN }} />
  return <>{children(me.data)}</>
}

/** Leaders and supervisors read the station's ratings, follow-ups and feedback. */
export function manages(me: StaffView): boolean {
  return me.role === 'leader' || me.role === 'supervisor'
}
