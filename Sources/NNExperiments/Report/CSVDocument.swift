/// A CSV file as read back from a results folder: the subset nnexp writes (comma separated, `\n` or
/// `\r\n` line ends, fields quoted with `"` when they hold a comma, quote or newline). Hand-written
/// because Foundation has no CSV reader and this subset is small; it works on UTF-8 bytes so that
/// hundreds of runs read quickly.
public struct CSVDocument: Sendable, Equatable {
    /// The first line's fields.
    public var header: [String]
    /// The remaining lines' fields.
    public var rows: [[String]]

    /// A document with the given header and rows.
    public init(header: [String], rows: [[String]]) { self.header = header; self.rows = rows }

    /// Parses `bytes`; `path` only names the file in errors. Every row must have as many fields as the
    /// header.
    public static func parse(_ bytes: [UInt8], path: String) throws -> CSVDocument {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var inQuotes = false, quotedField = false, line = 1
        var i = 0
        func endField() { record.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true); quotedField = false }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == 0x22 {
                    if i + 1 < bytes.count, bytes[i + 1] == 0x22 { field.append(0x22); i += 1 } else { inQuotes = false }
                } else {
                    if b == 0x0A { line += 1 }
                    field.append(b)
                }
            } else if b == 0x22, field.isEmpty, !quotedField {
                inQuotes = true; quotedField = true
            } else if b == 0x2C {
                endField()
            } else if b == 0x0A || b == 0x0D {
                if b == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                endField(); records.append(record); record.removeAll(keepingCapacity: true); line += 1
            } else {
                field.append(b)
            }
            i += 1
        }
        if inQuotes { throw ResultsReadError(path: path, message: "line \(line): a quoted field is not closed") }
        if !field.isEmpty || !record.isEmpty || quotedField { endField(); records.append(record) }
        guard let header = records.first, !(header.count == 1 && header[0].isEmpty) else {
            throw ResultsReadError(path: path, message: "the file is empty (expected a header line)")
        }
        for (n, r) in records.enumerated().dropFirst() where r.count != header.count {
            throw ResultsReadError(path: path, message: "line \(n + 1) has \(r.count) fields, the header has \(header.count)")
        }
        return CSVDocument(header: header, rows: Array(records.dropFirst()))
    }

    /// The index of the header field `name`, or nil.
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// The values of a column as numbers (`nan`, `inf`, `-inf` and empty fields read as NaN).
    public func numbers(_ column: Int, path: String) throws -> [Double] {
        try rows.enumerated().map { n, r in
            guard let v = CSVDocument.number(r[column]) else {
                throw ResultsReadError(path: path, message: "line \(n + 2), column `\(header[column])`: `\(r[column])` is not a number")
            }
            return v
        }
    }

    /// Reads a number as written by `NumberFormat.shortest`; nil when the text is not a number.
    public static func number(_ s: String) -> Double? {
        switch s {
        case "", "nan", "NaN": return .nan
        case "inf": return .infinity
        case "-inf": return -.infinity
        default: return Double(s)
        }
    }
}

/// A results file that exists but cannot be understood.
public struct ResultsReadError: Error, CustomStringConvertible {
    /// The file.
    public var path: String
    /// What is wrong with it.
    public var message: String
    /// An error about `path`.
    public init(path: String, message: String) { self.path = path; self.message = message }
    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
