import Foundation

/// Shows a sweep's progress. On a terminal (`live`), a block redrawn in place with ANSI cursor
/// movement: one line per active run (name, epoch/total, cost, ETA) and an overall line (done/total,
/// failures, elapsed, ETA from the estimated work left, `WorkProgress`). Off a terminal, plain lines: one per finished run and a status line at
/// most every `plainInterval` seconds. `quiet` shows nothing but problems.
public final class ProgressDisplay: SchedulerObserver, @unchecked Sendable {
    /// How the display behaves (from the command's options and the terminal).
    public struct Options: Sendable {
        /// Redraw a block in place (a terminal); else plain lines.
        public var live: Bool
        /// Show only problems.
        public var quiet: Bool
        /// Seconds between plain status lines. Default 10.
        public var plainInterval: TimeInterval
        /// Terminal columns, when known: the live block's lines are shortened to fit (a line as wide as
        /// the terminal would wrap and leave a stale copy on every redraw), other lines wrapped.
        public var width: Int?
        /// Options with the defaults above.
        public init(live: Bool, quiet: Bool, plainInterval: TimeInterval = 10, width: Int? = nil) {
            self.live = live
            self.quiet = quiet
            self.plainInterval = plainInterval
            self.width = width
        }
    }

    private struct Active {
        var name: String
        var step = -1
        var total: Int
        var cost: Double?
        var started: Date
    }

    private let options: Options
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private let total: Int
    private var active: [String: Active] = [:]
    private var order: [String] = []
    private var done = 0
    private var problems = 0
    private let started = Date()
    private var lastPlain = Date()
    private var drawnLines = 0
    private var stopped = false
    private var ticker: Thread?
    /// The estimated work done and left (nil: the ETA counts runs).
    private var work: WorkProgress?

    /// `total` is the number of runs that will train; `work` their estimated work
    /// (`RunConfig.estimatedFlops` summed, halving rungs included: `HalvingRunner.expectedFlops`), from which the overall ETA is
    /// computed (nil: from the run counts).
    public init(total: Int, work: Double? = nil, options: Options, write: @escaping @Sendable (String) -> Void) {
        self.total = total
        self.options = options
        self.write = write
        self.work = work.map(WorkProgress.init(total:))
    }

    /// Starts the redraw/status clock.
    public func start() {
        guard !options.quiet else { return }
        let t = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: options.live ? 0.25 : 1)
                lock.lock()
                if stopped {
                    lock.unlock()
                    return
                }
                if options.live {
                    redraw()
                } else if Date().timeIntervalSince(lastPlain) >= options.plainInterval, done < total {
                    lastPlain = Date()
                    write(Leaderboard.wrap(overallLine(), options.width))
                }
                lock.unlock()
            }
        }
        ticker = t
        t.start()
    }

    /// Stops the clock and erases the live block.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        stopped = true
        if options.live { erase() }
    }

    /// A line printed above the live block (or plainly), e.g. a note that the sweep is stopping.
    public func note(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        emit(line)
    }

    /// Adds the run to the live block.
    public func started(_ run: PlannedRun) {
        lock.lock()
        defer { lock.unlock() }
        let key = Self.name(run)
        active[key] = Active(name: key, total: RunExecutor.plannedSteps(run.config), started: Date())
        order.append(key)
        work?.start(key, work: run.config.estimatedFlops, steps: RunExecutor.plannedSteps(run.config))
    }

    /// Records the run's step, total and cost, shown at the next redraw.
    public func progress(_ run: PlannedRun, step: Int, total: Int, cost: Double) {
        lock.lock()
        defer { lock.unlock() }
        let key = Self.name(run)
        active[key]?.step = step
        active[key]?.total = total
        active[key]?.cost = cost
        // Full-batch optimizers report the iteration number (from 1), first-order ones the epoch index (from 0).
        work?.progress(key, stepsDone: run.config.optimizer.isFullBatch ? step : step + 1)
    }

    /// Removes the run from the live block and prints its result line (and any write error).
    public func finished(_ run: PlannedRun, outcome: RunOutcome, writeError: Error?) {
        lock.lock()
        defer { lock.unlock() }
        let key = Self.name(run)
        let seconds = active[key].map { Date().timeIntervalSince($0.started) } ?? 0
        active[key] = nil
        order.removeAll { $0 == key }
        work?.finish(key, completed: outcome.status == .completed)
        if outcome.status == .cancelled {
            if !options.quiet {
                if let at = outcome.checkpointed {
                    emit(
                        "\(key): cancelled, checkpoint saved after \(run.config.optimizer.isFullBatch ? "iteration" : "epoch") \(at) (the same command resumes it)"
                    )
                } else {
                    emit("\(key): cancelled (not written; it starts over next time)")
                }
            }
            return
        }
        done += 1
        var line = "[\(done)/\(total)] \(key): \(outcome.status.label)"
        switch outcome.status {
        case .diverged(let e): line += " at epoch \(e + 1)"
        case .failed(let m): line += ": \(m)"
        default: break
        }
        if let c = outcome.finalCost, outcome.status == .completed {
            line += ", final cost \(TableNumbers.significant(c))"
        }
        line += " (\(Self.duration(seconds)))"
        let bad = outcome.status != .completed || writeError != nil
        if bad { problems += 1 }
        if let writeError { line += "; cannot write its results: \(ErrorText.describe(writeError))" }
        if !options.quiet || bad { emit(line) }
    }

    /// A claim message: a run left to another process counts as done here; a takeover is only said.
    public func notice(_ run: PlannedRun, message: String, skipped: Bool) {
        lock.lock()
        defer { lock.unlock() }
        let key = Self.name(run)
        if skipped {
            done += 1
            work?.skip(work: run.config.estimatedFlops)
            if !options.quiet { emit("[\(done)/\(total)] \(key): skipped, \(message)") }
        } else if !options.quiet {
            emit("\(key): \(message)")
        }
    }

    // MARK: drawing (called with the lock held)

    private func emit(_ line: String) {
        if options.live { erase() }
        write(Leaderboard.wrap(line, options.width))
        if options.live, !stopped { redraw() }
    }

    private func erase() {
        guard drawnLines > 0 else { return }
        write("\u{1B}[\(drawnLines)A\r\u{1B}[J")
        drawnLines = 0
    }

    private func redraw() {
        guard !options.quiet else { return }
        erase()
        var lines = order.compactMap { active[$0] }.map(activeLine)
        lines.append(overallLine())
        // One column short of the width: a line filling the last column makes some terminals wrap.
        if let w = options.width { lines = lines.map { Self.fit($0, w - 1) } }
        write(lines.joined(separator: "\n") + "\n")
        drawnLines = lines.count
    }

    private func activeLine(_ a: Active) -> String {
        let step = max(a.step + 1, 0)
        var s = "  \(a.name)  epoch \(step)/\(a.total)"
        if let c = a.cost { s += "  cost \(String(format: "%.6g", c))" }
        if step > 0 {
            let per = Date().timeIntervalSince(a.started) / Double(step)
            s += "  ETA \(Self.duration(per * Double(max(a.total - step, 0))))"
        }
        return s
    }

    private func overallLine() -> String {
        let elapsed = Date().timeIntervalSince(started)
        var s =
            "\(done)/\(total) runs done, \(active.count) running, \(problems) failed or diverged, elapsed \(Self.duration(elapsed))"
        if let work {
            if let eta = work.eta(elapsed: elapsed) { s += ", ETA \(Self.duration(eta))" }
            return s
        }
        var fraction = Double(done)
        for a in active.values where a.total > 0 { fraction += Double(max(a.step + 1, 0)) / Double(a.total) }
        fraction /= Double(max(total, 1))
        if fraction > 0, fraction < 1 { s += ", ETA \(Self.duration(elapsed * (1 - fraction) / fraction))" }
        return s
    }

    /// A live line shortened to `n` characters, the middle (the run name's) dropped first.
    static func fit(_ line: String, _ n: Int) -> String {
        guard line.count > n else { return line }
        return Leaderboard.middle(line, max(n, 1))
    }

    static func name(_ run: PlannedRun) -> String { "\(run.config.experiment)/\(run.config.runName)" }

    /// 5s, 3m07s, 2h05m.
    public static func duration(_ t: TimeInterval) -> String {
        let s = Int(t.rounded())
        if s < 60 { return t < 10 ? String(format: "%.1fs", t) : "\(s)s" }
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
    }
}
