import Dispatch
import Foundation
import NNExperiments

/// SIGINT and SIGTERM stop a sweep cleanly: the first sets the cancellation flag (no new run starts,
/// running runs stop at their next epoch and are not written), a second one exits at once. Handled
/// with dispatch signal sources, so the work happens on a queue rather than inside a signal handler.
final class SignalHandlers {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var count = 0

    init(cancel: CancellationFlag, onFirst: @escaping @Sendable () -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)  // the dispatch source sees it; the default action must not kill us
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in
                lock.lock(); count += 1; let n = count; lock.unlock()
                if n == 1 { cancel.set(); onFirst() } else { exit(130) }
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
    }
}
