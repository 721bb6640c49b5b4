// The H5 build has no camera scanner: the officer types the code the resident reads out or shows.
export const canScan = false

export function scanBookingCode(): Promise<string | null> {
  return Promise.resolve(null)
}
