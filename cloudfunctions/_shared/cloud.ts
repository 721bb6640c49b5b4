/** The one place functions touch wx-server-sdk's setup. */
import cloud from 'wx-server-sdk'

let initialised = false

export function getCloud(): typeof cloud {
  if (!initialised) {
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
    initialised = true
  }
  return cloud
}
