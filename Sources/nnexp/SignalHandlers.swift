import Dispatch
import Foundation
import NNExperiments

/// SIGINT, SIGTERM and SIGUSR1 (what Slurm sends before a job's time limit: `nnexp slurm` asks for
/// `--signal=B:USR1@120`; its default action would kill the process without a word) stop a sweep
/// cleanly: the first sets the cancellation flag (no new run starts; running runs stop at their next
/// epoch or iteration, write a checkpoint there and are not written otherwise, so the same command
/// resumes them), a second one exits at once with status 130. Handled with dispatch signal sources, so
/// the work happens on a queue rather than inside a signal handler. The second signal quits with
/// `_exit`, not `exit`: `exit` runs atexit handlers and static destructors (OpenBLAS's among them)
/// while worker threads are still inside OpenBLAS or writing result bytes, which crashed the process
/// in most tries. Nothing half-written is lost by skipping teardown: results are published by rename
/// only when complete.
final class SignalHandlers {
    static let handled: [(Int32, String)] = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGUSR1, "SIGUSR1")]
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var count = 0
    private var firstSignal: Int32?

    /// The signal that stopped the sweep, if any (`--requeue-on-usr1` acts on SIGUSR1 only).
    var first: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return firstSignal
    }

    init(cancel: CancellationFlag, onFirst: @escaping @Sendable (String) -> Void) {
        for (sig, name) in Self.handled {
            signal(sig, SIG_IGN)  // the dispatch source sees it; the default action must not kill us
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self, source] in
                // Signals that arrive together are coalesced into one event; `data` counts them.
                lock.lock()
                let before = count
                count += max(Int(source.data), 1)
                let n = count
                if before == 0 { firstSignal = sig }
                lock.unlock()
                if n >= 2 { _exit(130) }
                cancel.set()
                onFirst(name)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Back to the default actions once the sweep is over.
    func disarm() {
        sources.forEach { $0.cancel() }
        for (sig, _) in Self.handled { signal(sig, SIG_DFL) }
    }
}
