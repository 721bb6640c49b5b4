/**
 * Delivering the ratings CSV (rating.export → {fileName, csv}). One implementation per build,
 * chosen by Taro's platform suffix (as src/officer/queue/scan.* does):
 * - export.h5.ts: a Blob downloaded through an <a download> link;
 * - export.weapp.ts: written to the mini-program's user data folder (wx.env.USER_DATA_PATH), then
 *   handed to WeChat's "send file to a chat" (shareFileMessage), the only way a mini-program lets
 *   a file leave the phone.
 * Both prefix a UTF-8 byte-order mark when the CSV has none, so Excel and WPS read the Chinese.
 * Never throws: resolves what happened, in words for the supervisor.
 */
export interface SaveCsvResult {
  saved: boolean
  message: string
}

export declare function saveCsv(fileName: string, csv: string): Promise<SaveCsvResult>
