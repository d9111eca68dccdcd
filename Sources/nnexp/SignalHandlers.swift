import Dispatch
import Foundation
import NNExperiments

/// SIGINT, SIGTERM and SIGUSR1 stop a sweep cleanly: the first sets the cancellation flag (no new run
/// starts, running runs stop at their next epoch and are not written), a second one exits at once.
/// SIGUSR1 is what `nnexp slurm` asks Slurm to send before a task's time limit (`--signal=B:USR1@120`);
/// its default action would kill the process without a word. Handled with dispatch signal sources,
/// so the work happens on a queue rather than inside a signal handler.
final class SignalHandlers {
    static let handled: [(Int32, String)] = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGUSR1, "SIGUSR1")]
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var count = 0
    private var firstSignal: Int32?

    /// The signal that stopped the sweep, if any.
    var first: Int32? { lock.lock(); defer { lock.unlock() }; return firstSignal }

    init(cancel: CancellationFlag, onFirst: @escaping @Sendable (String) -> Void) {
        for (sig, name) in Self.handled {
            signal(sig, SIG_IGN)  // the dispatch source sees it; the default action must not kill us
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in
                lock.lock(); count += 1; let n = count; if n == 1 { firstSignal = sig }; lock.unlock()
                if n == 1 { cancel.set(); onFirst(name) } else { exit(130) }
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
