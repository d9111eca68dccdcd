import Foundation

/// A snapshot of a run in training, from which it continues bit-identically (issue 14, item 5): the
/// epochs done, named scalars (exact text: step counts, RNG stream states as decimal UInt64, the
/// current learning rate, early-stopping counters) and named arrays (weights, optimizer state such as momentum
/// velocity or Adam's moments, best weights, every history row written so far), all as Float64
/// (every Float32 value is exact in a Float64). It carries the run's fingerprint and is used only for
/// that run.
///
/// File format (version 1), written by `encoded()`:
///
///     nnexp-checkpoint 1\n
///     fingerprint: <64 hex>\n
///     epoch: <epochs done>\n
///     scalar <name>: <text>\n          (any number, by name)
///     array <name> <count>\n           (any number, by name)
///     end\n
///     <the arrays' values, in header order, IEEE 754 binary64 little-endian>
///     <SHA-256 of every byte before it, 32 bytes>
///
/// Names are printable ASCII without spaces, colons or line breaks.
public struct Checkpoint: Equatable, Sendable {
    /// The format version written and read: 1.
    public static let formatVersion = 1
    /// SHA-256 (hex) of the run's canonical config: the checkpoint is used only for that config.
    public var fingerprint: String
    /// Epochs (or iterations) done.
    public var epoch: Int
    /// Named scalars as exact text.
    public var scalars: [String: String]
    /// Named Float64 arrays.
    public var arrays: [String: [Double]]

    /// A checkpoint with the given contents.
    public init(fingerprint: String, epoch: Int, scalars: [String: String] = [:], arrays: [String: [Double]] = [:]) {
        self.fingerprint = fingerprint
        self.epoch = epoch
        self.scalars = scalars
        self.arrays = arrays
    }

    /// The fingerprint of a run: SHA-256 of its resolved config (which holds the nnexp version, the
    /// BLAS kernel where recorded, and the hashes of its input files).
    public static func fingerprint(of c: RunConfig) -> String { SHA256.hex(Array(c.canonicalYAML.utf8)) }

    /// True for names the format can hold.
    public static func isValidName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }
    }

    /// The file's bytes in the format above, SHA-256 trailer included.
    public func encoded() -> [UInt8] {
        var header = "nnexp-checkpoint \(Self.formatVersion)\nfingerprint: \(fingerprint)\nepoch: \(epoch)\n"
        for (k, v) in scalars.sorted(by: { $0.key < $1.key }) {
            precondition(Self.isValidName(k) && !v.contains("\n"), "checkpoint scalar \(k)")
            header += "scalar \(k): \(v)\n"
        }
        let names = arrays.keys.sorted()
        for k in names {
            precondition(Self.isValidName(k), "checkpoint array \(k)")
            header += "array \(k) \(arrays[k]!.count)\n"
        }
        header += "end\n"
        var out = Array(header.utf8)
        out.reserveCapacity(out.count + arrays.values.reduce(0) { $0 + $1.count } * 8 + 32)
        for k in names {
            for v in arrays[k]! { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        }
        out.append(contentsOf: Self.digest(out[...]))
        return out
    }

    /// Reads a checkpoint; every problem is an error naming `path` (never a trap): a wrong header,
    /// sizes that disagree with the file's length (checked before anything is allocated), or bytes
    /// that do not match the trailing SHA-256.
    public static func decode(_ bytes: [UInt8], path: String) throws -> Checkpoint {
        func bad(_ m: String) -> CheckpointError { CheckpointError(path: path, message: m) }
        guard bytes.count >= 32 else { throw bad("too short to be a checkpoint") }
        let body = bytes[..<(bytes.count - 32)]
        guard digest(body) == Array(bytes[(bytes.count - 32)...]) else {
            throw bad("damaged: its SHA-256 does not match")
        }
        guard let endRange = findHeaderEnd(body) else { throw bad("no header end") }
        let header = String(decoding: body[..<endRange], as: UTF8.self)
        var lines = header.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first == "nnexp-checkpoint \(formatVersion)" else {
            throw bad(
                "not an nnexp checkpoint of format \(formatVersion) (first line \(lines.first.map { "'\($0.prefix(40))'" } ?? "missing"))"
            )
        }
        lines.removeFirst()
        guard lines.count >= 2, lines[0].hasPrefix("fingerprint: "), lines[1].hasPrefix("epoch: "),
            let epoch = Int(lines[1].dropFirst(7)), epoch >= 0
        else { throw bad("fingerprint and epoch lines missing") }
        var c = Checkpoint(fingerprint: String(lines[0].dropFirst(13)), epoch: epoch)
        var order: [(String, Int)] = []
        var total = 0
        for line in lines.dropFirst(2) where !line.isEmpty {
            if line.hasPrefix("scalar "), let colon = line.firstIndex(of: ":") {
                let name = String(line[line.index(line.startIndex, offsetBy: 7)..<colon])
                guard isValidName(name) else { throw bad("bad scalar name '\(name)'") }
                c.scalars[name] = String(line[line.index(after: colon)...].dropFirst())
            } else if line.hasPrefix("array ") {
                let parts = line.split(separator: " ")
                guard parts.count == 3, isValidName(String(parts[1])), let n = Int(parts[2]), n >= 0 else {
                    throw bad("bad array line '\(line.prefix(60))'")
                }
                let (sum, overflow) = total.addingReportingOverflow(n)
                guard !overflow, sum <= (body.count - endRange - 4) / 8 else {
                    throw bad("arrays larger than the file")
                }
                total = sum
                order.append((String(parts[1]), n))
            } else {
                throw bad("unexpected header line '\(line.prefix(60))'")
            }
        }
        let payload = body.count - endRange - 4  // "end\n"
        guard payload == total * 8 else { throw bad("\(payload) bytes of values, the header describes \(total * 8)") }
        var at = endRange + 4
        for (name, n) in order {
            var values = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var bits: UInt64 = 0
                for b in 0..<8 { bits |= UInt64(body[at + b]) << (8 * UInt64(b)) }
                values[i] = Double(bitPattern: bits)
                at += 8
            }
            c.arrays[name] = values
        }
        return c
    }

    /// Index of the `end\n` line that closes the header.
    private static func findHeaderEnd(_ b: ArraySlice<UInt8>) -> Int? {
        let marker = Array("\nend\n".utf8)
        var i = b.startIndex
        while i + marker.count <= b.endIndex {
            if b[i] == marker[0], Array(b[i..<(i + marker.count)]) == marker { return i + 1 }
            i += 1
        }
        return nil
    }

    private static func digest(_ b: ArraySlice<UInt8>) -> [UInt8] {
        let hex = Array(SHA256.hex(Array(b)).utf8)
        func v(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
        return stride(from: 0, to: 64, by: 2).map { v(hex[$0]) << 4 | v(hex[$0 + 1]) }
    }
}

/// A checkpoint file that cannot be used: the file and the problem.
public struct CheckpointError: Error, CustomStringConvertible, Sendable {
    /// The checkpoint file.
    public let path: String
    /// What is wrong with it.
    public let message: String
    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}

/// Where checkpoints live: `<experiment>/.checkpoint-<run>`, beside the run's temporary folder,
/// replaced atomically and durably (`DurableFiles.replace`), removed once the run's folder is in place.
public struct CheckpointStore: Sendable {
    /// The experiment folder holding the checkpoints.
    public let experimentDirectory: String
    /// A store for `experimentDirectory`.
    public init(experimentDirectory: String) { self.experimentDirectory = experimentDirectory }

    /// `<experiment>/.checkpoint-<run>`.
    public func path(_ run: String) -> String {
        (experimentDirectory as NSString).appendingPathComponent(".checkpoint-\(run)")
    }

    /// Writes (or replaces) a run's checkpoint. Only the process holding the run's claim calls this.
    public func save(_ c: Checkpoint, run: String) throws {
        try DurableFiles.makeDirectory(experimentDirectory)
        try DurableFiles.replace(path(run), with: c.encoded())
    }

    /// What `load` found.
    public enum Loaded: Equatable, Sendable {
        case none
        /// The run's checkpoint, made for this config.
        case resumable(Checkpoint)
        /// A checkpoint that cannot be used (another config, or unreadable): the reason, to be said.
        case ignored(String)
    }

    /// The run's checkpoint when it was made for `config` (same fingerprint).
    public func load(_ run: String, for config: RunConfig) -> Loaded {
        guard let data = FileManager.default.contents(atPath: path(run)) else { return .none }
        do {
            let c = try Checkpoint.decode([UInt8](data), path: path(run))
            if c.fingerprint != Checkpoint.fingerprint(of: config) {
                return .ignored("its fingerprint differs (made for another config, input or nnexp version)")
            }
            return .resumable(c)
        } catch {
            return .ignored("\(error)")
        }
    }

    /// The run's checkpoint whatever config it was made for (`nnexp status`: "checkpointed at epoch
    /// N"); nil when there is none, an error naming the file when it is damaged.
    public func read(_ run: String) throws -> Checkpoint? {
        guard let data = FileManager.default.contents(atPath: path(run)) else { return nil }
        return try Checkpoint.decode([UInt8](data), path: path(run))
    }

    /// Removes the run's checkpoint, if any (errors ignored).
    public func remove(_ run: String) { try? FileManager.default.removeItem(atPath: path(run)) }
}
