// Runs the workshop's checks in this process and returns what they found. One CheckRunner keeps
// vitest warm between runs (guided mode checks again on every save); runChecks() is one run.
// Each folder under test is a vitest project; a step's own check runs first, so its verdict is
// known first, and the checks of the earlier steps follow.
import { resolve } from 'node:path'
import { BaseSequencer, createVitest, type TestSpecification, type Vitest } from 'vitest/node'
import { CheckReporter, type CheckSection, type CheckSummary } from './check-reporter.js'
import { type CheckProvide, checkProject, maxWorkers, timeouts } from './check-settings.js'
import { UserError } from './errors.js'
import { display, listSteps, rootDir, type Step } from './steps.js'
import { checkFilesFor, checkName, summarize } from './verdict.js'

export interface CheckTarget {
  step: Step
  /** The folder under test: the learner's steps/NN, solutions/NN, or a copy. */
  dir: string
  /** Check files to run (absolute paths). Default: checks 1..N, N being the step's number. */
  files?: string[]
  /** Only the first failure of each check file matters: the rest are skipped (the mistake catalogue). */
  firstFailureOnly?: boolean
  /** The folder's type-check, done already by the caller (its 🚨 sentences): the check does not run it again. */
  typeSentences?: string[]
}

export interface RunOptions {
  /** Called as each check file finishes, with the target it belongs to. */
  onSection?: (target: CheckTarget, section: CheckSection) => void
  /** Stops a run under way (guided mode quitting mid-run). */
  signal?: AbortSignal
  /** Only these check files (absolute paths) of the targets run; default: all of them. */
  files?: string[]
}

export interface RunnerOptions {
  /**
   * The MongoDB the checks use (a connection string without a database); only folders whose step
   * keeps sessions in MongoDB get it, and without one such folder it may be left out.
   */
  mongoUrl?: string
  root?: string
  /**
   * The caller handles Ctrl+C and SIGTERM itself (guided mode). Otherwise vitest's own handlers
   * end the whole process when a signal arrives during a run.
   */
  ownSignals?: boolean
  /** Worker threads at once (default: one per core); more when the checks mostly wait, on a MongoDB far away. */
  workers?: number
}

/**
 * In each project the step's own check starts first, its verdict being the one that matters; the
 * others follow as vitest orders files (failed last time first, then the longest, or the largest
 * before any run), so that a long check does not start last and hold up the whole verdict. The
 * verdict is told in its own order whatever the order they run in (verdict.ts).
 */
class OwnCheckFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const own = (file: TestSpecification) => {
      const { provide, root } = file.project.config
      const held = listSteps(root).find((step) => step.name === (provide as Partial<CheckProvide>).stepUnderTest)
      return held !== undefined && checkName(file.moduleId) === held.name
    }
    const sorted = await super.sort(files)
    return [...sorted.filter(own), ...sorted.filter((file) => !own(file))]
  }
}

/** A project's name: the folder under test, unique per target. */
const projectName = (target: CheckTarget, root: string) => display(target.dir, root)

export class CheckRunner {
  private constructor(
    private readonly vitest: Vitest,
    private readonly reporter: CheckReporter,
    private readonly targets: CheckTarget[],
    private readonly root: string,
    private readonly listeners: { onSection?: RunOptions['onSection'] },
  ) {}

  /** Starts vitest once, with a project for each target (the targets a later run may choose from). */
  static async create(targets: CheckTarget[], steps: Step[], options: RunnerOptions): Promise<CheckRunner> {
    const root = options.root ?? rootDir
    const listeners: { onSection?: RunOptions['onSection'] } = {}
    let runner: CheckRunner | undefined
    const reporter = new CheckReporter((section) => {
      const target = runner?.targetOf(section.project)
      if (target) listeners.onSection?.(target, section)
    })
    const projects = targets.map((target) => {
      if (target.step.usesMongo && !options.mongoUrl) throw new Error(`${target.step.name} needs a MongoDB`)
      return checkProject(
        projectName(target, root),
        (target.files ?? checkFilesFor(target.step, steps)).map((file) => display(file, root)),
        {
          workshopDir: target.dir,
          stepUnderTest: target.step.name,
          mongoUrl: target.step.usesMongo ? (options.mongoUrl ?? '') : '',
          firstFailureOnly: target.firstFailureOnly ?? false,
          ...(target.typeSentences ? { typeSentences: target.typeSentences } : {}),
        },
      )
    })
    // What startVitest() sets before a run, for code that looks at it.
    process.env.TEST = 'true'
    process.env.VITEST = 'true'
    process.env.NODE_ENV ??= 'test'
    // vitest's logger ends the process on SIGINT/SIGTERM. A caller that owns its signals has each
    // of those handlers removed as it is added, in a microtask: no signal can arrive in between.
    const strip = (event: string | symbol, listener: (...args: unknown[]) => void) => {
      if (event === 'SIGINT' || event === 'SIGTERM') queueMicrotask(() => process.off(event, listener))
    }
    if (options.ownSignals) process.on('newListener', strip)
    try {
      const vitest = await createVitest('test', {
        root,
        config: false,
        watch: false,
        maxWorkers: options.workers ?? maxWorkers,
        ...timeouts,
        reporters: [reporter],
        sequence: { sequencer: OwnCheckFirst },
        // Transformed modules kept on disk (node_modules/.experimental-vitest-cache), keyed by each
        // file's content: a check's own files are not compiled again on every run, a learner's
        // file again only once it changed. About 10 % off `npm run check 1`.
        experimental: { fsModuleCache: true },
        projects,
      })
      runner = new CheckRunner(vitest, reporter, targets, root, listeners)
      return runner
    } finally {
      process.off('newListener', strip)
    }
  }

  private targetOf(project: string): CheckTarget | undefined {
    return this.targets.find((target) => projectName(target, this.root) === project)
  }

  /** The learner saved these files: the next run loads them afresh. */
  invalidate(files: string[]): void {
    for (const file of files) {
      this.vitest.invalidateFile(file)
      this.vitest.watcher.invalidates.add(file)
    }
  }

  /** Runs the checks of the given targets (all of them by default); one summary per target. */
  async run(targets: CheckTarget[] = this.targets, options: RunOptions = {}): Promise<CheckSummary[]> {
    const names = new Set(targets.map((target) => projectName(target, this.root)))
    const only = options.files && new Set(options.files.map((file) => resolve(file)))
    const specifications = (await this.vitest.globTestSpecifications()).filter(
      (spec) => names.has(spec.project.name) && (!only || only.has(resolve(spec.moduleId))),
    )
    this.listeners.onSection = options.onSection
    const abort = () => void this.vitest.cancelCurrentRun('keyboard-input')
    options.signal?.addEventListener('abort', abort, { once: true })
    try {
      if (!options.signal?.aborted) await this.vitest.runTestSpecifications(specifications)
    } catch (error) {
      // A setup error speaking a sentence (a UserError, loaded anew by vitest, so recognised by name).
      if (error instanceof Error && error.name === 'UserError') throw new UserError(error.message)
      throw error
    } finally {
      options.signal?.removeEventListener('abort', abort)
      this.listeners.onSection = undefined
    }
    return targets.map((target) => {
      const project = projectName(target, this.root)
      return summarize(
        this.reporter.sections.filter((section) => section.project === project),
        target.step.name,
      )
    })
  }

  async close(): Promise<void> {
    await this.vitest.close()
  }
}

/** One run: starts vitest, runs checks 1..N against each target, closes vitest. */
export async function runChecks(
  targets: CheckTarget[],
  steps: Step[],
  options: RunnerOptions & RunOptions,
): Promise<CheckSummary[]> {
  if (targets.length === 0) return []
  const runner = await CheckRunner.create(targets, steps, options)
  try {
    return await runner.run(targets, options)
  } finally {
    await runner.close()
  }
}
