import Foundation

/// Transparent huge pages for the arrays minibatches are gathered from.
///
/// A shuffled gather reads rows at random places in a training set of tens of megabytes: with 4 KiB
/// pages nearly every row misses the TLB and waits for a page walk on top of its cache misses. Linux
/// backs a region with 2 MiB pages when it is advised to (`MADV_HUGEPAGE`, the kernel's default
/// `madvise` mode) before the pages are first touched, so the advice is given on fresh, unwritten
/// storage. Only a hint: where huge pages are off or unavailable nothing changes, never a value.
public enum HugePages {
    /// Regions smaller than this are left alone (they fit the TLB's reach anyway).
    public static let threshold = 4 << 20

    /// Advises the kernel to back the whole 4 KiB pages inside `[start, start + bytes)` with huge pages.
    public static func advise(_ start: UnsafeMutableRawPointer?, bytes: Int) {
        #if os(Linux)
            guard let start, bytes >= threshold else { return }
            let page = 4096
            let first = (Int(bitPattern: start) + page - 1) & ~(page - 1)
            let end = (Int(bitPattern: start) + bytes) & ~(page - 1)
            guard end > first, let p = UnsafeMutableRawPointer(bitPattern: first) else { return }
            _ = madvise(p, end - first, MADV_HUGEPAGE)
        #endif
    }

    /// A new array of `count` bytes filled by `body`, its storage advised before `body` writes it.
    public static func bytes(count: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Void) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { b, n in
            advise(UnsafeMutableRawPointer(b.baseAddress), bytes: count)
            body(b)
            n = count
        }
    }
}
