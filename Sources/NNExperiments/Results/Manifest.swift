import Foundation

/// `manifest.csv`: the last file written into a run folder, listing every other result file with its
/// size and SHA-256 (`file,bytes,sha256`, by file name). A run folder is complete only when its
/// manifest is present and every file it lists is there with that size and hash, so a truncated or
/// deleted file, or a folder cut short by a power failure, is found when planning and retrained.
/// `run.log` (timings, ignored by git) is not listed.
public enum Manifest {
    /// The manifest's file name in a run folder.
    public static let fileName = "manifest.csv"

    /// The manifest of a run's files (name → bytes).
    public static func make(_ files: [String: [UInt8]]) -> [UInt8] {
        var t = CSVTable(header: ["file", "bytes", "sha256"])
        for (name, bytes) in files.sorted(by: { $0.key < $1.key }) where name != fileName {
            t.append([name, "\(bytes.count)", SHA256.hex(bytes)])
        }
        return Array(t.text.utf8)
    }

    /// Why the folder at `dir` is not a complete run, or nil when its manifest holds.
    public static func problem(in dir: String) -> String? {
        let fm = FileManager.default
        let path = (dir as NSString).appendingPathComponent(fileName)
        guard let data = fm.contents(atPath: path) else {
            return "no \(fileName) (written last, so the run never finished writing, or an older nnexp wrote it)"
        }
        let rows = CSVReader.rows(String(decoding: data, as: UTF8.self))
        guard rows.first == ["file", "bytes", "sha256"], rows.count > 1 else { return "\(fileName) is unreadable" }
        for row in rows.dropFirst() {
            guard row.count == 3, let size = UInt64(row[1]), !row[0].contains("/"), !row[0].hasPrefix(".") else {
                return "\(fileName) is unreadable"
            }
            let file = (dir as NSString).appendingPathComponent(row[0])
            guard let attributes = try? fm.attributesOfItem(atPath: file),
                attributes[.type] as? FileAttributeType == .typeRegular,
                let actual = (attributes[.size] as? NSNumber)?.uint64Value
            else { return "\(row[0]) is missing" }
            if actual != size { return "\(row[0]) has \(actual) bytes, the manifest says \(size)" }
            guard let hash = try? SHA256.hex(file: file) else { return "\(row[0]) cannot be read" }
            if hash != row[2] { return "\(row[0]) does not match its SHA-256 in the manifest" }
        }
        return nil
    }
}
