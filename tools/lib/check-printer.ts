// Hands on a run's check files as they finish, in a reader's order: the open step's own check as
// soon as it is known, then the earlier steps' checks in step order.
import type { CheckSection } from './check-reporter.js'

export class OwnCheckFirst {
  private readonly waiting = new Map<string, CheckSection>()
  private ownDone = false
  private next = 0

  /**
   * `checks`: every check file of the run ("01-bare-express", …); `own`: the step's own check,
   * handed on first.
   */
  constructor(
    private readonly checks: string[],
    private readonly own: string,
    private readonly emit: (section: CheckSection) => void,
  ) {}

  add(section: CheckSection): void {
    this.waiting.set(section.check, section)
    if (!this.ownDone) {
      const own = this.waiting.get(this.own)
      if (!own) return
      this.hand(own)
      this.ownDone = true
    }
    const others = this.checks.filter((check) => check !== this.own)
    while (this.next < others.length) {
      const next = this.waiting.get(others[this.next] ?? '')
      if (!next) return
      this.hand(next)
      this.next++
    }
  }

  private hand(section: CheckSection): void {
    this.waiting.delete(section.check)
    this.emit(section)
  }
}
