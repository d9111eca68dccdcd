import Foundation

/// Delimited text tables: one sample per line, features and target(s) in columns.
///
/// Hand-written because the only Swift dependency allowed is argument-parser and Foundation has no
/// CSV reader; fields are split by `CSVRecords` (the `table` rules, shared with nnexp's reader of its own
/// result files). Supported: a header line or not, any one-character delimiter, fields in double quotes
/// (with "" for a quote; they may span lines), blank lines and lines starting with `#` skipped, `\r\n`
/// endings, gzip-compressed files. Every problem names `file:line` (and `:column` for a bad value).
public struct CSVOptions: Hashable, Sendable {
    /// A column by 0-based position (negative counts from the end: -1 is the last) or by header name.
    public enum Column: Hashable, Sendable, CustomStringConvertible {
        case index(Int)
        case name(String)
        /// The position or the quoted header name, for messages.
        public var description: String {
            switch self {
            case .index(let i): return "\(i)"
            case .name(let n): return "\"\(n)\""
            }
        }
    }
    /// What the non-feature columns hold.
    public enum Target: Hashable, Sendable {
        /// One column of class labels (numbers or strings).
        case label(Column)
        /// One or more columns of regression targets.
        case values([Column])
    }
    /// The file (plain or gzip).
    public var path: String
    /// The first non-comment line names the columns. Default true.
    public var header: Bool
    /// The field separator. Default `,`.
    public var delimiter: Character
    /// The target column(s). Default the last column, as class labels.
    public var target: Target

    /// Options with the defaults above.
    public init(path: String, header: Bool = true, delimiter: Character = ",", target: Target = .label(.index(-1))) {
        self.path = path
        self.header = header
        self.delimiter = delimiter
        self.target = target
    }
}

/// The CSV reader (rules in the comment on `CSVOptions`).
public enum CSV {
    /// Loads a table as a dataset: every column that is not a target is a feature.
    public static func load(_ o: CSVOptions) throws -> Dataset {
        var rows: [(line: Int, fields: [String])] = []
        var headerFields: [String]? = nil
        for r in try records(o.path, delimiter: o.delimiter) {
            if o.header && headerFields == nil {
                headerFields = r.fields
                continue
            }
            rows.append((r.line, r.fields))
        }
        guard let first = rows.first else { throw DatasetError("\(o.path): no data rows") }
        let width = headerFields?.count ?? first.fields.count
        let widthSource = headerFields != nil ? "the header" : "line \(first.line)"
        for r in rows where r.fields.count != width {
            throw DatasetError(
                "\(o.path):\(r.line): ragged row: \(r.fields.count) fields, expected \(width) like \(widthSource)")
        }

        let role: String
        if case .label = o.target { role = "label column" } else { role = "target column" }
        func resolve(_ c: CSVOptions.Column) throws -> Int {
            switch c {
            case .index(let i):
                let j = i < 0 ? width + i : i
                guard j >= 0 && j < width else {
                    throw DatasetError(
                        "\(o.path): \(role) \(i) is out of range: the file has \(width) columns (0...\(width - 1), or -1 for the last)"
                    )
                }
                return j
            case .name(let n):
                guard let h = headerFields else {
                    throw DatasetError(
                        "\(o.path): \(role) \"\(n)\" named but the file is read without a header (set header: true or give a column number)"
                    )
                }
                guard let j = h.firstIndex(of: n) else {
                    throw DatasetError(
                        "\(o.path): no column named \"\(n)\" in the header (columns: \(h.joined(separator: ", ")))")
                }
                return j
            }
        }
        let targetColumns: [Int]
        switch o.target {
        case .label(let c): targetColumns = [try resolve(c)]
        case .values(let cs):
            guard !cs.isEmpty else { throw DatasetError("\(o.path): no target columns given") }
            targetColumns = try cs.map(resolve)
        }
        guard Set(targetColumns).count == targetColumns.count else {
            throw DatasetError("\(o.path): a target column is listed twice")
        }
        let featureColumns = (0..<width).filter { !targetColumns.contains($0) }
        guard !featureColumns.isEmpty else {
            throw DatasetError("\(o.path): every column is a target; no feature columns left")
        }

        var features = [Double]()
        features.reserveCapacity(rows.count * featureColumns.count)
        for r in rows {
            for c in featureColumns { features.append(try number(r.fields[c], path: o.path, line: r.line, column: c)) }
        }
        let name = ((o.path as NSString).lastPathComponent as NSString).deletingPathExtension
        let targets: Dataset.Targets
        switch o.target {
        case .label:
            let (labels, names) = ClassLabels.encode(rows.map { $0.fields[targetColumns[0]] })
            targets = .classes(labels, names: names)
        case .values:
            var v = [Double]()
            v.reserveCapacity(rows.count * targetColumns.count)
            for r in rows {
                for c in targetColumns { v.append(try number(r.fields[c], path: o.path, line: r.line, column: c)) }
            }
            targets = .values(v, dimension: targetColumns.count)
        }
        return Dataset(
            name: name, features: features, count: rows.count, dimension: featureColumns.count, targets: targets)
    }

    /// The file's records (blank and `#` lines skipped, fields trimmed unless quoted), each with its line.
    static func records(_ path: String, delimiter: Character) throws -> [CSVRecords.Record] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DatasetError("\(path): CSV file not found")
        }
        let bytes = try FileBytes.read(path)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw DatasetError("\(path): not UTF-8 text")
        }
        do { return try CSVRecords.split(bytes, delimiter: delimiter, rules: .table) } catch let e
            as CSVRecords.UnterminatedQuote
        {
            throw DatasetError("\(path):\(e.line): unterminated quoted field")
        }
    }

    /// A finite number, or an error at file:line:column (column 1-based, as editors count).
    static func number(_ field: String, path: String, line: Int, column: Int) throws -> Double {
        guard let v = Double(field), v.isFinite else {
            let shown = field.isEmpty ? "an empty field" : "\"\(field)\""
            throw DatasetError("\(path):\(line):\(column + 1): non-numeric feature value \(shown)")
        }
        return v
    }
}

/// Turning class labels as written (numbers or names) into indices 0..<k.
public enum ClassLabels {
    /// Distinct labels sorted — numerically when all are numbers, else by their text — and numbered in
    /// that order, so the mapping does not depend on row order and 0...k-1 labels keep their values.
    /// Returns the index per sample and the names (the labels as written) per index.
    public static func encode(_ raw: [String]) -> (labels: [Int], names: [String]) {
        let distinct = Array(Set(raw))
        let numbers = distinct.map { Double($0) }
        let sorted: [String]
        if numbers.allSatisfy({ $0 != nil && $0!.isFinite }) {
            sorted = zip(distinct, numbers).sorted { ($0.1!, $0.0) < ($1.1!, $1.0) }.map { $0.0 }
        } else {
            sorted = distinct.sorted()
        }
        var index: [String: Int] = [:]
        for (i, s) in sorted.enumerated() { index[s] = i }
        return (raw.map { index[$0]! }, sorted)
    }
}
