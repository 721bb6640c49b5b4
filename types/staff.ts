/** Staff and their roles: looked up by OPENID in the staff collection, never taken from a request. */
export type StaffRole = 'officer' | 'leader' | 'supervisor'

export interface Staff {
  _id: string
  openid: string
  name: string
  role: StaffRole
  /** The station they act for. */
  stationId: string
  active: boolean
}
