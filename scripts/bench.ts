// npm run bench — figures, printed, not asserted (deterministic budgets are asserted in tests:
// the capacity figure in tests/conformance/concurrency.test.ts). About a minute on 2 cores.
import os from 'node:os'
import { benchBooking } from './bench/booking'
import { benchDatabase } from './bench/database'
import { benchFunctions } from './bench/functions'
import { benchHistory } from './bench/history'
import { benchRatings } from './bench/ratings'
import { benchRequests } from './bench/requests'
import { benchQueue } from './bench/queue'
import { benchPrereview } from './bench/prereview'
import { benchStorage } from './bench/storage'
import { benchStore } from './bench/store'

async function main(): Promise<void> {
  const started = performance.now()
  console.log(
    `户政便民 local cloud benchmarks — Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})\n`
  )
  await benchDatabase()
  console.log()
  await benchFunctions()
  console.log()
  await benchStore()
  console.log()
  await benchBooking()
  console.log()
  await benchRequests()
  console.log()
  await benchQueue()
  console.log()
  await benchRatings()
  console.log()
  await benchStorage()
  console.log()
  await benchPrereview()
  console.log()
  benchHistory()
  console.log(`\nDone in ${Math.round((performance.now() - started) / 1000)} s.`)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err)
  process.exit(1)
})
