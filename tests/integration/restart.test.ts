/** A second start reuses the data folder: what was written is still there, demo data is not reloaded. */
import { callFunction, freshCloud } from '../helpers/cloud'

test('data survives a restart and the demo data is loaded once only', async () => {
  const first = await freshCloud()
  const servicesBefore = first.store.count('services')
  first.store.commit([
    {
      coll: 'services',
      id: 'svc-written-before-restart',
      doc: { _id: 'svc-written-before-restart', stationId: 'x' }
    }
  ])
  first.store.commit([
    {
      coll: 'stations',
      id: 'st-yunxi-chengguan',
      doc: { ...first.store.get('stations', 'st-yunxi-chengguan')!, consultPhone: '0123-0000000' }
    }
  ])
  await first.close()

  const second = await freshCloud({ dataDir: first.dataDir })
  try {
    expect(second.store.count('services')).toBe(servicesBefore + 1)
    expect(second.store.get('services', 'svc-written-before-restart')).toBeDefined()
    const res = await callFunction<{ ok: boolean; data: { consultPhone: string }[] }>(second, 'guide', {
      action: 'listStations'
    })
    // The edit made before the restart stands: the seed did not overwrite it.
    expect(res.body.data[0]?.consultPhone).toBe('0123-0000000')
  } finally {
    await second.close()
  }
})
