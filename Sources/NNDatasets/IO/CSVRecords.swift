import Foundation

/// Delimited text split into records of fields, honouring double quotes: the one CSV tokenizer, under
/// both the dataset reader (`CSV`, the `table` rules) and nnexp's reader of its own result files
/// (`CSVDocument`, the `exact` rules).
///
/// Common to both: a record ends at `\n`, `\r\n` or `\r`; a field that starts with `"` is quoted until
/// the next lone `"` (`""` inside stands for one quote), may hold the delimiter and line ends, and keeps
/// any text after its closing quote; a `"` anywhere else is an ordinary character. Works on UTF-8 bytes
/// (the delimiter may be any one character, matched as its UTF-8 bytes), so hundreds of result files
/// read quickly.
public enum CSVRecords {
    /// How text around the fields is read.
    public enum Rules: Sendable {
        /// Tables people write: unquoted fields are trimmed of white space (and a quote after leading
        /// white space still opens a quoted field, whose text is kept as is); blank lines and lines whose
        /// first non-blank character is `#` are skipped.
        case table
        /// Files nnexp writes: every byte counts, a blank line is a record with one empty field.
        case exact
    }

    /// One record: where it starts and its fields.
    public struct Record: Equatable, Sendable {
        /// The 1-based line the record starts on.
        public var line: Int
        /// Its fields, in order.
        public var fields: [String]
    }

    /// A quoted field that is still open at the end of the text.
    public struct UnterminatedQuote: Error, Equatable, Sendable {
        /// The 1-based line the field's opening quote is on.
        public var line: Int
    }

    /// Splits `bytes` into records (rules above); throws `UnterminatedQuote` when a quoted field is not
    /// closed.
    public static func split(_ bytes: [UInt8], delimiter: Character = ",", rules: Rules) throws -> [Record] {
        let quote: UInt8 = 0x22
        let lf: UInt8 = 0x0A
        let cr: UInt8 = 0x0D
        let delim = Array(String(delimiter).utf8)
        let trims = rules == .table
        var records: [Record] = []
        var record: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var quoted = false
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var i = 0
        func text(_ f: [UInt8], quoted: Bool) -> String {
            let s = String(decoding: f, as: UTF8.self)
            return trims && !quoted ? s.trimmingCharacters(in: .whitespaces) : s
        }
        func endField() {
            record.append(text(field, quoted: quoted))
            field.removeAll(keepingCapacity: true)
            quoted = false
        }
        func isDelimiter(at i: Int) -> Bool {
            guard i + delim.count <= bytes.count else { return false }
            for k in 0..<delim.count where bytes[i + k] != delim[k] { return false }
            return true
        }
        /// With `table` rules, at the start of a record: the end of the line when the line is blank or a comment.
        func skippableLine(from i: Int) -> Int? {
            let b = bytes[i]
            // Fast path: a line starting with a character that is neither white space nor `#` is data.
            if b != lf && b != cr && b != 0x20 && b != 0x09 && b != 0x23 && b < 0x80 { return nil }
            var end = i
            while end < bytes.count && bytes[end] != lf && bytes[end] != cr { end += 1 }
            let t = String(decoding: bytes[i..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            return t.isEmpty || t.hasPrefix("#") ? end : nil
        }
        while i < bytes.count {
            if trims, !inQuotes, record.isEmpty, field.isEmpty, !quoted, let end = skippableLine(from: i) {
                i = end
                if i < bytes.count {
                    if bytes[i] == cr, i + 1 < bytes.count, bytes[i + 1] == lf { i += 1 }
                    i += 1
                    line += 1
                }
                recordLine = line
                continue
            }
            let b = bytes[i]
            if inQuotes {
                if b == quote {
                    if i + 1 < bytes.count, bytes[i + 1] == quote {
                        field.append(quote)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if b == lf { line += 1 }
                    field.append(b)
                }
            } else if b == quote, !quoted,
                field.isEmpty
                    || (trims && String(decoding: field, as: UTF8.self).trimmingCharacters(in: .whitespaces).isEmpty)
            {
                inQuotes = true
                quoted = true
                field.removeAll(keepingCapacity: true)
                quoteLine = line
            } else if b == lf || b == cr {
                if b == cr, i + 1 < bytes.count, bytes[i + 1] == lf { i += 1 }
                endField()
                records.append(Record(line: recordLine, fields: record))
                record.removeAll(keepingCapacity: true)
                line += 1
                recordLine = line
            } else if isDelimiter(at: i) {
                endField()
                i += delim.count
                continue
            } else {
                field.append(b)
            }
            i += 1
        }
        if inQuotes { throw UnterminatedQuote(line: quoteLine) }
        if !field.isEmpty || !record.isEmpty || quoted {
            endField()
            records.append(Record(line: recordLine, fields: record))
        }
        return records
    }
}
