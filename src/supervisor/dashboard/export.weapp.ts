// WeChat: write the CSV to the user data folder, then send it to a chat (see export.d.ts).
// Taro.env is wx.env on WeChat (Taro copies it); wx itself is not typed in this project.
import Taro from '@tarojs/taro'
import type { SaveCsvResult } from './export'

const BOM = '\ufeff'

export async function saveCsv(fileName: string, csv: string): Promise<SaveCsvResult> {
  const filePath = `${Taro.env.USER_DATA_PATH ?? 'wxfile://usr'}/${fileName}`
  try {
    Taro.getFileSystemManager().writeFileSync(filePath, csv.startsWith(BOM) ? csv : BOM + csv, 'utf8')
  } catch {
    return { saved: false, message: '手机存储空间不足或无法写入，未能生成文件' }
  }
  try {
    await Taro.shareFileMessage({ filePath, fileName })
    return { saved: true, message: `已生成并发送 ${fileName}` }
  } catch {
    // Cancelled in the chat picker, or a WeChat too old for shareFileMessage (base library < 2.16.1).
    return {
      saved: true,
      message: `已生成 ${fileName}，未发送到聊天；可再次导出后选择聊天发送，在电脑微信中打开`
    }
  }
}
