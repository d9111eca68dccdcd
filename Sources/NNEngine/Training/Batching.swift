/// How the training set is cut into minibatches each epoch.
public enum Batching: Hashable, Sendable {
    /// k nearly equal batches, the first `n mod k` one sample larger (NumPy's `array_split`, Raschka).
    case count(Int)
    /// Consecutive batches of this size, the last one smaller (`1` is per-sample SGD).
    case size(Int)
    /// The whole training set at once (plain gradient descent).
    case full

    /// Batch boundaries for `n` samples.
    public func ranges(samples n: Int) -> [Range<Int>] {
        switch self {
        case .full: return n > 0 ? [0..<n] : []
        case .size(let s):
            return stride(from: 0, to: n, by: max(s, 1)).map { $0..<min($0 + max(s, 1), n) }
        case .count(let k):
            let k = max(1, min(k, n))
            let base = n / k
            let extra = n % k
            var start = 0
            return (0..<k).map { i in
                let len = base + (i < extra ? 1 : 0)
                defer { start += len }
                return start..<(start + len)
            }
        }
    }
    /// Rows of the largest batch for `n` samples (1 when there are none): the workspace capacity needed.
    public func largestBatch(samples n: Int) -> Int { ranges(samples: n).map(\.count).max() ?? 1 }
}
