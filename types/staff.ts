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
  /**
   * The member of staff's own mobile, given when they bind their invite: alerts that WeChat cannot
   * deliver go to it as a text message. Shown in full only to the leaders of their station.
   */
  mobile?: string
}
