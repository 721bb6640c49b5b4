/**
 * Local runs only: which demo account the H5 app speaks as. The local cloud turns the
 * X-Local-OpenId header into the caller's OPENID, as WeChat does from the session.
 */
const KEY = 'hukou.localOpenId'
export const DEFAULT_OPENID = 'demo-resident-wang'

export function currentOpenId(): string {
  try {
    return window.localStorage.getItem(KEY) ?? DEFAULT_OPENID
  } catch {
    return DEFAULT_OPENID
  }
}

export function setOpenId(openid: string): void {
  window.localStorage.setItem(KEY, openid)
}
