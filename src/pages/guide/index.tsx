/**
 * 办事指南 (a tab): every service of the station by category, with the search box. The same
 * list as on the home page, on a page of its own so the tab bar can open it.
 */
import { PageShell } from '../../components/page-shell'
import { useResult } from '../../components/use-result'
import { GuideList, loadGuide } from './guide-list'

export default function Guide() {
  const guide = useResult(loadGuide, 'guide')
  return (
    <PageShell className="guide" testId="guide-page">
      <GuideList guide={guide} />
    </PageShell>
  )
}
