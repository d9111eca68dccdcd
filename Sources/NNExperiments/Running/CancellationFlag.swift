import Foundation

/// Set once (by a signal handler or a test) to stop a sweep: no new run starts and running ones are
/// cancelled at their next epoch. Thread-safe.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    /// A flag not yet set.
    public init() {}
    /// Whether `set()` was called.
    public var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
    /// Sets the flag (idempotent; safe from any thread).
    public func set() {
        lock.lock()
        value = true
        lock.unlock()
    }
}
