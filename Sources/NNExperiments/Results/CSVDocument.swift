import Foundation
import NNDatasets

/// A CSV file as read back from a results folder: what `CSVTable` writes (comma separated, `\n` or
/// `\r\n` line ends, fields quoted with `"` when they hold a comma, quote or newline), split by
/// NNDatasets' `CSVRecords` under its `exact` rules (the tokenizer the dataset reader uses too).
public struct CSVDocument: Sendable, Equatable {
    /// The first line's fields.
    public var header: [String]
    /// The remaining lines' fields.
    public var rows: [[String]]

    /// A document with the given header and rows.
    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// Parses `bytes`; `path` only names the file in errors. Every row must have as many fields as the
    /// header.
    public static func parse(_ bytes: [UInt8], path: String) throws -> CSVDocument {
        let records: [CSVRecords.Record]
        do { records = try CSVRecords.split(bytes, rules: .exact) } catch let e as CSVRecords.UnterminatedQuote {
            throw ResultsReadError(path: path, message: "line \(e.line): a quoted field is not closed")
        }
        guard let header = records.first?.fields, !(header.count == 1 && header[0].isEmpty) else {
            throw ResultsReadError(path: path, message: "the file is empty (expected a header line)")
        }
        for r in records.dropFirst() where r.fields.count != header.count {
            throw ResultsReadError(
                path: path, message: "line \(r.line) has \(r.fields.count) fields, the header has \(header.count)")
        }
        return CSVDocument(header: header, rows: records.dropFirst().map(\.fields))
    }

    /// The index of the header field `name`, or nil.
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// The values of a column as numbers (`nan`, `inf`, `-inf` and empty fields read as NaN).
    public func numbers(_ column: Int, path: String) throws -> [Double] {
        try rows.enumerated().map { n, r in
            guard let v = CSVDocument.number(r[column]) else {
                throw ResultsReadError(
                    path: path, message: "line \(n + 2), column `\(header[column])`: `\(r[column])` is not a number")
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
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
