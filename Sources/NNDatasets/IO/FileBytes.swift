import Foundation
import NNZlib

/// Reading whole data files into memory, transparently gunzipping `.gz` content.
///
/// Gzip is recognised by its magic bytes (1f 8b), not by the file name, so a renamed or unpacked file
/// reads the same. Decompression streams through NNZlib's `Zlib.inflate` (zlib checks the gzip header
/// and the CRC-32 and length trailer) in fixed-size chunks, checked against `Limit` after each; no shell
/// tool is involved. Concatenated gzip members, which `gzip` itself accepts, are read one after another.
public enum FileBytes {
    /// Input is read in chunks of this size; output grows in chunks of the same size.
    static let chunkSize = 1 << 20

    /// The most bytes one data file may hold, or inflate to: half the machine's physical memory.
    public static var maxBytes: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory / 2) }

    /// The file's bytes, decompressed when they are gzip.
    ///
    /// Only regular files are read: a folder, a device such as /dev/zero, a FIFO or a socket is refused
    /// with its path before a byte is read (the file is opened non-blocking, so a FIFO without a writer
    /// cannot hang the open). No read goes past `maxBytes`. When the format has a header that declares
    /// its length, `declaredSize` receives the first `headerBytes` bytes of content (fewer when the
    /// content is shorter) and returns that length; gzip inflation stops with an error as soon as the
    /// content passes it, so a small file that inflates to gigabytes is refused after one chunk.
    public static func read(
        _ path: String, headerBytes: Int = 0,
        declaredSize: (([UInt8]) throws -> Int?)? = nil
    ) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw DatasetError("\(path): cannot open (\(String(cString: strerror(errno))))") }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw DatasetError("\(path): cannot read (\(why))")
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR:
            close(fd)
            throw DatasetError("\(path): is a folder, not a file")
        default:
            close(fd)
            throw DatasetError(
                "\(path): is not a regular file (a device, pipe or socket); nnexp reads only regular files")
        }
        guard Int(st.st_size) <= maxBytes else {
            close(fd)
            throw DatasetError(
                "\(path): \(st.st_size) bytes, more than the \(maxBytes) a data file may have on this machine (half its memory)"
            )
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        guard let file = fdopen(fd, "rb") else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw DatasetError("\(path): cannot open (\(why))")
        }
        defer { fclose(file) }
        var head = [UInt8](repeating: 0, count: 2)
        let n = fread(&head, 1, 2, file)
        var limit = Limit(path: path, headerBytes: headerBytes, declaredSize: declaredSize)
        rewind(file)
        if n == 2 && head[0] == 0x1f && head[1] == 0x8b {
            return try gunzip(file, path: path, size: Int(st.st_size), limit: &limit)
        }
        // A plain file is bounded by its length; the caller compares that with its header.
        return try readAll(file, path: path, size: Int(st.st_size))
    }

    /// The most content bytes a read may produce: `maxBytes`, then what the header declares.
    struct Limit {
        let path: String
        let headerBytes: Int
        let declaredSize: (([UInt8]) throws -> Int?)?
        var bytes = FileBytes.maxBytes
        var known = false

        init(path: String, headerBytes: Int, declaredSize: (([UInt8]) throws -> Int?)?) {
            self.path = path
            self.headerBytes = headerBytes
            self.declaredSize = declaredSize
            known = declaredSize == nil
        }

        /// Throws when `out` (the content so far; `finished` when it is all) passes the limit.
        mutating func check(_ out: [UInt8], finished: Bool = true) throws {
            if !known, let declaredSize, out.count >= headerBytes || finished {
                known = true
                if let d = try declaredSize(Array(out.prefix(headerBytes))) {
                    guard d <= FileBytes.maxBytes else {
                        throw DatasetError(
                            "\(path): its header declares \(d) bytes, more than the \(FileBytes.maxBytes) a data file may have on this machine (half its memory)"
                        )
                    }
                    bytes = d
                }
            }
            if out.count > bytes {
                throw DatasetError(
                    bytes == FileBytes.maxBytes
                        ? "\(path): inflates to more than \(bytes) bytes, the most a data file may have on this machine (half its memory)"
                        : "\(path): holds more data than the \(bytes) bytes its header declares (stopped inflating there)"
                )
            }
        }
    }

    private static func readAll(_ file: UnsafeMutablePointer<FILE>, path: String, size: Int) throws -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(size)
        let step = min(chunkSize, size + 1)  // a small file needs no 1 MiB buffer
        var chunk = [UInt8](repeating: 0, count: step)
        while true {
            let got = fread(&chunk, 1, step, file)
            if got > 0 { out.append(contentsOf: chunk[0..<got]) }
            if out.count > maxBytes { throw DatasetError("\(path): grew past \(maxBytes) bytes while being read") }
            if got < step {
                if ferror(file) != 0 { throw DatasetError("\(path): read error (\(String(cString: strerror(errno))))") }
                break
            }
        }
        return out
    }

    /// The gzip trailer's ISIZE (uncompressed length mod 2^32), used only as a capacity hint.
    private static func sizeHint(_ file: UnsafeMutablePointer<FILE>) -> Int {
        guard fseeko(file, -4, SEEK_END) == 0 else {
            rewind(file)
            return 0
        }
        var t = [UInt8](repeating: 0, count: 4)
        let got = fread(&t, 1, 4, file)
        rewind(file)
        guard got == 4 else { return 0 }
        let v = Int(t[0]) | Int(t[1]) << 8 | Int(t[2]) << 16 | Int(t[3]) << 24
        return min(v, 1 << 30)
    }

    private static func gunzip(_ file: UnsafeMutablePointer<FILE>, path: String, size: Int, limit: inout Limit) throws
        -> [UInt8]
    {
        // The trailer's ISIZE is only a hint (any file can claim 4 GB): never reserve more than
        // deflate's largest ratio (1032:1) allows for this file's length.
        let expected = min(sizeHint(file), limit.bytes, size.multipliedReportingOverflow(by: 1032).partialValue)
        // Buffers sized to the file: a small file does not need two 1 MiB buffers.
        let inStep = min(chunkSize, size + 1)
        let outStep = min(chunkSize, max(1 << 16, expected))
        do {
            return try Zlib.inflate(
                .gzip, inputChunk: inStep, outputChunk: outStep, reserve: min(max(expected, 0), 64 << 20),
                read: { buf in
                    let got = fread(buf.baseAddress, 1, buf.count, file)
                    if got == 0 && ferror(file) != 0 { throw DatasetError("\(path): read error") }
                    return got
                },
                grew: { out in try limit.check(out, finished: false) })
        } catch let e as Zlib.InflateError {
            switch e {
            case .cannotStart(let code): throw DatasetError("\(path): zlib could not start (code \(code))")
            case .cannotReset(let code): throw DatasetError("\(path): zlib reset failed (code \(code))")
            case .corrupt(let why, let after):
                throw DatasetError("\(path): corrupt gzip data (\(why)) after \(after) decompressed bytes")
            case .empty: throw DatasetError("\(path): empty file")
            case .truncated(let after):
                throw DatasetError("\(path): truncated gzip file (stream ends early after \(after) decompressed bytes)")
            }
        }
    }
}
