// H5: the browser downloads the CSV as a file (see export.d.ts).
import type { SaveCsvResult } from './export'

const BOM = '\ufeff'

export function saveCsv(fileName: string, csv: string): Promise<SaveCsvResult> {
  try {
    const blob = new Blob([csv.startsWith(BOM) ? csv : BOM + csv], { type: 'text/csv;charset=utf-8' })
    const url = URL.createObjectURL(blob)
    const a = document.createElement('a')
    a.href = url
    a.download = fileName
    a.style.display = 'none'
    document.body.appendChild(a)
    a.click()
    a.remove()
    // Give the browser time to start the download before the URL is released.
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
    return Promise.resolve({ saved: true, message: `已下载 ${fileName}` })
  } catch {
    return Promise.resolve({ saved: false, message: '浏览器未能下载文件，请换用其他浏览器再试' })
  }
}
