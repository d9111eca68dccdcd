import Foundation

/// Set once (by a signal handler or a test) to stop a sweep: no new run starts and running ones are
/// cancelled at their next epoch. Thread-safe.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    public init() {}
    public var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    public func set() { lock.lock(); value = true; lock.unlock() }
}
