/**
 * A process that opens a Store on the given file and keeps it open until killed — "another local
 * cloud on the same data folder" for the fault tests. Prints `ready <pid>` once the file is owned.
 * Run: node --import tsx tests/helpers/hold-store.ts <file>
 */
import { Store } from '../../local-cloud/db/store'

const file = process.argv[2]
if (!file) throw new Error('usage: hold-store.ts <sqlite file>')
const store = new Store(file)
store.ensureCollection('held')
process.stdout.write(`ready ${process.pid}\n`)
setInterval(() => undefined, 60_000)
process.on('SIGTERM', () => {
  store.close()
  process.exit(0)
})
