// The scheduler with a clock the test moves: no test here depends on the machine's speed.
import { describe, expect, it } from '@jest/globals'
import type { Clock } from '../../src/core/util/clock.js'
import { AdaptiveLimit, AUTO_FLOOR, AUTO_START, EPISODE_MS } from '../../src/core/execute/adaptive-limit.js'
import { PROGRESS_EVERY_MS, schedule, type ScheduleOptions } from '../../src/core/execute/scheduler.js'

class ManualClock implements Clock {
  time = 0
  private timers: { at: number; fire: () => void; every?: number }[] = []
  now = (): number => this.time
  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => this.timers.push({ at: this.time + ms, fire: resolve }))
  every = (ms: number, tick: () => void): (() => void) => {
    const timer = { at: this.time + ms, fire: tick, every: ms }
    this.timers.push(timer)
    return () => (this.timers = this.timers.filter((t) => t !== timer))
  }
  /** Moves time forward by `ms`, firing every timer due on the way, and lets promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms
    for (;;) {
      await flush()
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0]
      if (!due) break
      this.time = due.at
      if (due.every) due.at += due.every
      else this.timers = this.timers.filter((t) => t !== due)
      due.fire()
    }
    this.time = end
    await flush()
  }
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}

/** Work whose entries end when the test says, recording how many ran at once. */
function controlledWork() {
  const pending = new Map<number, (result: string) => void>()
  let running = 0
  let most = 0
  const started: number[] = []
  return {
    started,
    get most() {
      return most
    },
    get running() {
      return running
    },
    finish(index: number, result = 'ok') {
      running--
      pending.get(index)!(result)
    },
    work: (_item: number, index: number) => {
      started.push(index)
      running++
      most = Math.max(most, running)
      return new Promise<string>((resolve) => pending.set(index, resolve))
    }
  }
}

function options(clock: ManualClock, extra: Partial<ScheduleOptions<string>> = {}) {
  const lines: string[] = []
  return {
    lines,
    options: {
      concurrency: 'auto' as const,
      failFast: false,
      clock,
      progress: (line: string) => lines.push(line),
      isFailure: (result: string) => result === 'failed',
      notStarted: (index: number) => `not started ${index}`,
      ...extra
    }
  }
}

const items = (n: number) => Array.from({ length: n }, (_, i) => i)

describe('schedule', () => {
  it('auto sends a batch of 50 at once and keeps results in input order', async () => {
    const clock = new ManualClock()
    const control = controlledWork()
    const run = schedule(items(50), options(clock).options, control.work)
    await flush()
    expect(control.running).toBe(50)
    for (const index of items(50).reverse()) control.finish(index, `r${index}`)
    expect(await run).toEqual(items(50).map((i) => `r${i}`))
  })

  it('a number gives at most that many in flight, fixed', async () => {
    const clock = new ManualClock()
    const control = controlledWork()
    const run = schedule(items(10), options(clock, { concurrency: 3 }).options, async (item, index) => {
      const result = await control.work(item, index)
      return result
    })
    for (let i = 0; i < 10; i++) {
      await flush()
      control.finish(control.started[i])
    }
    await run
    expect(control.most).toBe(3)
  })

  it('on throttling, pauses new starts for the Retry-After and halves the number in flight', async () => {
    const clock = new ManualClock()
    const control = controlledWork()
    const signals: { throttled(ms: number): void }[] = []
    const run = schedule(items(AUTO_START + 40), options(clock).options, (item, index, s) => {
      signals[index] = s
      return control.work(item, index)
    })
    await flush()
    expect(control.running).toBe(AUTO_START)
    // Every entry in flight is throttled at once: one episode, one decrease.
    for (let i = 0; i < AUTO_START; i++) signals[i].throttled(5000)
    for (let i = 0; i < AUTO_START; i++) control.finish(i)
    await flush()
    expect(control.started).toHaveLength(AUTO_START)
    await clock.advance(4999)
    expect(control.started).toHaveLength(AUTO_START)
    await clock.advance(1)
    // Halved to 32, then one more for each of the 64 that ended: all 40 left fit.
    expect(control.started).toHaveLength(AUTO_START + 40)
    for (let i = AUTO_START; i < AUTO_START + 40; i++) control.finish(i)
    await run
  })

  it('with fail-fast, starts nothing after the first failure; the rest are not started', async () => {
    const clock = new ManualClock()
    const control = controlledWork()
    const run = schedule(items(5), options(clock, { concurrency: 2, failFast: true }).options, control.work)
    await flush()
    control.finish(0, 'failed')
    await flush()
    control.finish(1, 'ok')
    expect(await run).toEqual(['failed', 'ok', 'not started 2', 'not started 3', 'not started 4'])
    expect(control.started).toEqual([0, 1])
  })

  it('without fail-fast, a failure stops nothing', async () => {
    const clock = new ManualClock()
    const control = controlledWork()
    const run = schedule(items(3), options(clock, { concurrency: 1 }).options, control.work)
    for (const i of items(3)) {
      await flush()
      control.finish(i, i === 0 ? 'failed' : 'ok')
    }
    expect(await run).toEqual(['failed', 'ok', 'ok'])
  })

  it('prints progress every 10 s while work runs, and stops when it ends', async () => {
    const clock = new ManualClock()
    const control = controlledWork()
    const { lines, options: opts } = options(clock, { concurrency: 8 })
    const run = schedule(items(50), opts, control.work)
    await flush()
    await clock.advance(PROGRESS_EVERY_MS - 1)
    expect(lines).toEqual([])
    for (let i = 0; i < 12; i++) {
      await flush()
      control.finish(control.started[i])
    }
    await clock.advance(1)
    expect(lines).toEqual(['12/50 done, 8 running, 0 failed, 30 waiting, about 32 s left'])
    for (let i = 12; i < 50; i++) {
      await flush()
      control.finish(control.started[i])
    }
    await run
    await clock.advance(PROGRESS_EVERY_MS * 3)
    expect(lines).toHaveLength(1)
  })

  it('says new work waits while throttled', async () => {
    const clock = new ManualClock()
    const control = controlledWork()
    const { lines, options: opts } = options(clock, { concurrency: 2 })
    let signal: { throttled(ms: number): void } | undefined
    const run = schedule(items(3), opts, (item, index, s) => {
      signal ??= s
      return control.work(item, index)
    })
    await flush()
    await clock.advance(9000)
    signal!.throttled(20_000)
    await clock.advance(1000)
    expect(lines[0]).toMatch(/^0\/3 done, 2 running, 0 failed, 1 waiting, throttled: new imports wait 19 s$/)
    control.finish(0)
    control.finish(1)
    await clock.advance(20_000)
    control.finish(2)
    await run
  })
})

describe('AdaptiveLimit', () => {
  it('auto halves once per episode, never below its floor, and grows by one per entry that ends', () => {
    let now = 0
    const limit = new AdaptiveLimit('auto', () => now)
    expect(limit.current).toBe(AUTO_START)
    limit.throttled(1000, AUTO_START)
    limit.throttled(1000, AUTO_START)
    expect(limit.current).toBe(AUTO_START / 2)
    expect(limit.resumeAt).toBe(1000)
    for (let episode = 0; episode < 6; episode++) {
      now += EPISODE_MS
      limit.throttled(2000, AUTO_START)
    }
    expect(limit.current).toBe(AUTO_FLOOR)
    expect(limit.resumeAt).toBe(now + 2000)
    limit.succeeded()
    expect(limit.current).toBe(AUTO_FLOOR + 1)
    for (let i = 0; i < 100; i++) limit.succeeded()
    expect(limit.current).toBe(AUTO_START)
  })

  it('halves what is in flight, not an unused width', () => {
    const limit = new AdaptiveLimit('auto', () => 0)
    limit.throttled(1000, 10)
    expect(limit.current).toBe(AUTO_FLOOR + 1)
  })

  it('a number stays fixed, and still waits out the Retry-After', () => {
    const limit = new AdaptiveLimit(7, () => 0)
    limit.throttled(3000, 7)
    limit.succeeded()
    expect(limit.current).toBe(7)
    expect(limit.resumeAt).toBe(3000)
  })
})

describe('fail-fast with concurrency auto: the first entry goes alone, as a canary', () => {
  it('a failing canary: nothing else starts, every other entry is not started', async () => {
    const clock = new ManualClock()
    const control = controlledWork()
    const run = schedule(items(5), options(clock, { failFast: true }).options, control.work)
    await flush()
    expect(control.started).toEqual([0])
    control.finish(0, 'failed')
    expect(await run).toEqual(['failed', 'not started 1', 'not started 2', 'not started 3', 'not started 4'])
    expect(control.started).toEqual([0])
  })

  it('a canary that succeeds: the rest start together, as auto does', async () => {
    const clock = new ManualClock()
    const control = controlledWork()
    const run = schedule(items(5), options(clock, { failFast: true }).options, control.work)
    await flush()
    expect(control.running).toBe(1)
    control.finish(0)
    await flush()
    expect(control.started).toEqual([0, 1, 2, 3, 4])
    expect(control.running).toBe(4)
    for (const i of [1, 2, 3, 4]) control.finish(i)
    expect(await run).toEqual(['ok', 'ok', 'ok', 'ok', 'ok'])
  })

  it('no canary without fail-fast, nor with a fixed number', async () => {
    for (const extra of [{ failFast: false }, { failFast: true, concurrency: 3 }] as const) {
      const clock = new ManualClock()
      const control = controlledWork()
      const run = schedule(items(3), options(clock, extra).options, control.work)
      await flush()
      expect(control.running).toBe(3)
      for (const i of items(3)) control.finish(i)
      await run
    }
  })
})
