// Prints a run's check files as they finish, in a reader's order: the open step's own check as
// soon as it is known, then the earlier steps' checks in step order.
import { type CheckSection, sectionLines } from './check-reporter.js'

export class SectionPrinter {
  private readonly waiting = new Map<string, CheckSection>()
  private ownPrinted = false
  private next = 0

  /**
   * `checks`: every check file of the run ("01-bare-express", …); `own`: the step's own check,
   * printed first.
   */
  constructor(
    private readonly checks: string[],
    private readonly own: string,
    private readonly print: (line: string) => void,
  ) {}

  add(section: CheckSection): void {
    this.waiting.set(section.check, section)
    this.flush()
  }

  private flush(): void {
    if (!this.ownPrinted) {
      const own = this.waiting.get(this.own)
      if (!own) return
      this.show(own)
      this.ownPrinted = true
    }
    const others = this.checks.filter((check) => check !== this.own)
    while (this.next < others.length) {
      const section = this.waiting.get(others[this.next] ?? '')
      if (!section) return
      this.show(section)
      this.next++
    }
  }

  private show(section: CheckSection): void {
    this.waiting.delete(section.check)
    this.print('')
    for (const line of sectionLines(section)) this.print(line)
  }
}
