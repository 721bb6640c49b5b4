/**
 * Reading a resident's booking code. One implementation per build, chosen by Taro's platform
 * suffix (as src/api/transport does): scan.weapp.ts opens WeChat's scanner (Taro.scanCode) on
 * the QR code the resident shows; scan.h5.ts has no camera scanner — the officer types the code.
 *
 * Resolves the text read (a booking code, normalised on the server), or null when the officer
 * closed the scanner or this build cannot scan.
 */
export declare const canScan: boolean

export declare function scanBookingCode(): Promise<string | null>
