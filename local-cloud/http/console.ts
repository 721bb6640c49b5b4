/** The read-only web console. PLACEHOLDER until the console work lands: no route yet. */
import type { CloudServices } from '../context'
import type { Route } from './util'

export function consoleRoute(_cloud: CloudServices): Route {
  return async () => false
}
