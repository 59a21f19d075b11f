// What the summary says of each import besides its result: the name the user knows it by and where it is
// written, taken from the plans (parallel to the results, one per plan, in order).
import { importName, type PlannedImport } from '../plan/planned-import.js'

export interface SummaryEntry {
  /** What the user wrote, or a tag pattern's import by its tags: `nginx:1.27.1 (+ 1.27, mainline)`. */
  name: string
  /** Where it is written: "images.yaml line 4", "source line 1". */
  origin: string
}

export function summaryEntries(plans: PlannedImport[]): SummaryEntry[] {
  return plans.map((plan) => ({ name: importName(plan), origin: plan.entry.origin }))
}
