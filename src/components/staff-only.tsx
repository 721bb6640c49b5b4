/**
 * Staff pages: load `staff.me` once, refuse anyone whose role the page is not for in plain words,
 * and hand the caller's staff record to the page. The server checks every action again; this
 * only decides what the page offers. Without `roles`, every staff role (not residents) is let in.
 */
import type { ReactNode } from 'react'
import { ERROR_MESSAGES } from '../../types/errors'
import type { StaffView } from '../../types/staff-admin'
import { call } from '../api/client'
import { Async, ErrorState } from './states'
import { useResult } from './use-result'

type Role = StaffView['role']

export function StaffOnly({
  roles,
  children
}: {
  roles?: readonly Exclude<Role, 'resident'>[]
  children: (me: StaffView) => ReactNode
}) {
  const me = useResult(() => call('staff', 'me', {}), 'me')
  return (
    <Async result={me}>
      {(data) =>
        data.role === 'resident' || (roles && !roles.includes(data.role)) ? (
          <ErrorState error={{ code: 'FORBIDDEN', message: ERROR_MESSAGES.FORBIDDEN }} />
        ) : (
          children(data)
        )
      }
    </Async>
  )
}

/** Leaders and supervisors read the station's ratings, follow-ups and feedback. */
export function manages(me: StaffView): boolean {
  return me.role === 'leader' || me.role === 'supervisor'
}
