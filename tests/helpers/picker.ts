/**
 * Drives Taro's H5 picker (Picker mode="time" / "date" renders weui columns that scroll under a
 * finger or a mouse): opens it from the element that wraps it, drags each column to the wanted
 * value the way a person would, and taps 确定. Columns are 34 px a row; dragging up moves on.
 */
import type { Locator, Page } from 'playwright-core'

const ROW = 34
const TOP = 102

/** The row a column shows as chosen, from its content's translateY. */
async function chosenRow(column: Locator): Promise<number> {
  const transform = await column
    .locator('.weui-picker__content')
    .evaluate((el) => (el as HTMLElement).style.transform)
  const y = Number(
    /translate3d\(0px,\s*(-?[\d.]+)px/.exec(transform)?.[1] ?? /translateY\((-?[\d.]+)px/.exec(transform)?.[1]
  )
  return Math.round((TOP - y) / ROW)
}

async function dragColumn(page: Page, column: Locator, value: number): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const texts = await column.locator('.weui-picker__item').allTextContents()
    const current = await chosenRow(column)
    if (Number(texts[current]?.replace(/\D/g, '')) === value) return
    const targets = texts
      .map((t, i) => (Number(t.replace(/\D/g, '')) === value ? i : -1))
      .filter((i) => i >= 0)
    if (!targets.length) throw new Error(`no ${value} in the picker column (${texts.join(',')})`)
    const target = targets.reduce((a, b) => (Math.abs(b - current) < Math.abs(a - current) ? b : a))
    const rows = Math.max(-4, Math.min(4, target - current))
    const box = await column.boundingBox()
    if (!box) throw new Error('picker column not on screen')
    const x = box.x + box.width / 2
    const y = box.y + box.height / 2
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x, y - rows * ROW, { steps: 6 })
    await page.mouse.up()
    await page.waitForTimeout(350) // the column's settling transition
  }
  throw new Error(`could not reach ${value} in the picker column`)
}

/** Opens the picker behind `opener`, sets each column (e.g. [20, 0] for 20:00), confirms. */
export async function pick(page: Page, opener: Locator, values: number[]): Promise<void> {
  await opener.click()
  const picker = page.locator('.weui-picker:visible')
  await picker.waitFor()
  const columns = picker.locator('.weui-picker__group')
  for (const [i, value] of values.entries()) await dragColumn(page, columns.nth(i), value)
  await picker.getByText('确定', { exact: true }).click()
  await picker.waitFor({ state: 'hidden' })
}

export const pickTime = (page: Page, opener: Locator, time: string) =>
  pick(page, opener, time.split(':').map(Number))

export const pickDate = (page: Page, opener: Locator, date: string) =>
  pick(page, opener, date.split('-').map(Number))
