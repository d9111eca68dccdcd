import Dispatch
import Foundation
import NNExperiments

/// SIGINT, SIGTERM and SIGUSR1 (what Slurm sends before a job's time limit with `--signal`) stop a
/// sweep cleanly: the first sets the cancellation flag (no new run starts; running runs stop at their
/// next epoch or iteration, write a checkpoint there and are not written otherwise, so the same command
/// resumes them), a second one exits at once with status 130. Handled with dispatch signal sources, so the work happens on a queue rather than inside a
/// signal handler. The second signal quits with `_exit`, not `exit`: `exit` runs atexit handlers and
/// static destructors (OpenBLAS's among them) while worker threads are still inside OpenBLAS or
/// writing result bytes, which crashed the process in most tries. Nothing half-written is lost by
/// skipping teardown: results are published by rename only when complete.
final class SignalHandlers {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var count = 0

    init(cancel: CancellationFlag, onFirst: @escaping @Sendable () -> Void) {
        for sig in [SIGINT, SIGTERM, SIGUSR1] {
            signal(sig, SIG_IGN)  // the dispatch source sees it; the default action must not kill us
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self, source] in
                // Signals that arrive together are coalesced into one event; `data` counts them.
                lock.lock(); count += max(Int(source.data), 1); let n = count; lock.unlock()
                if n >= 2 { _exit(130) }
                cancel.set(); onFirst()
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Back to the default actions once the sweep is over.
    func disarm() {
        sources.forEach { $0.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        signal(SIGUSR1, SIG_DFL)
    }
}
