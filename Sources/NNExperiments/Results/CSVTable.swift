/// A CSV file built in memory and written in one go (rows in a stable order, `\n` line ends, fields
/// quoted only when they need it).
public struct CSVTable {
    public var header: [String]
    public private(set) var rows: [[String]] = []
    public init(header: [String]) { self.header = header }
    public mutating func append(_ row: [String]) {
        precondition(row.count == header.count, "CSV row has \(row.count) fields, header \(header.count)")
        rows.append(row)
    }
    public var text: String {
        var out = ""
        for r in [header] + rows { out += r.map(Self.field).joined(separator: ",") + "\n" }
        return out
    }
    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
