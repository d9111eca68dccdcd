/// A CSV file built in memory and written in one go (rows in a stable order, `\n` line ends, fields
/// quoted only when they need it).
public struct CSVTable {
    /// The column names.
    public var header: [String]
    /// The rows appended so far, in order.
    public private(set) var rows: [[String]] = []
    /// An empty table with these columns.
    public init(header: [String]) { self.header = header }
    /// Appends a row (its field count must match the header's, checked by precondition).
    public mutating func append(_ row: [String]) {
        precondition(row.count == header.count, "CSV row has \(row.count) fields, header \(header.count)")
        rows.append(row)
    }
    /// The file's text: header and rows, comma-separated, fields quoted only when needed, `\n` line ends.
    public var text: String {
        var out = ""
        for r in [header] + rows { out += r.map(Self.field).joined(separator: ",") + "\n" }
        return out
    }
    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
