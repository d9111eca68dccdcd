import Foundation

/// A run's `config.yaml` (or a spec) read back as leaves: every value that is not a block mapping, as
/// (dotted key path, value as written), in file order. Parsed with `YAMLParser` (libyaml), so nesting,
/// quoting and comments follow YAML; the text of a key or value is its source text — `0.5`, `[64]`,
/// `{type: sgd, learning_rate: 0.1}`, `"q: r"` with its quotes — because that is what summary.csv,
/// the report's axes and `nnexp diff` show (flow collections stay one leaf, as `config.yaml` writes
/// sweep values and small settings). Lives beside the writers of `config.yaml` (`ResultFiles`).
public struct ConfigLeaves: Sendable {
    /// The leaves in file order.
    public var leaves: [(key: String, value: String)]

    /// Reads `text`; `path` names the file in a YAML syntax error (thrown as `ResultsReadError`).
    public init(_ text: String, path: String) throws {
        let root: YAMLNode
        do { root = try YAMLParser.parse(text, file: path) } catch {
            throw ResultsReadError(
                path: path,
                message:
                    "not valid YAML: line \(error.location.line), column \(error.location.column): \(error.message)")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        var out: [(String, String)] = []
        ConfigLeaves.collect(root, prefix: nil, lines: lines, into: &out)
        leaves = out
    }

    /// The `sweep:` block's axis values (the key after `sweep.`).
    public var sweepValues: [(key: String, value: String)] {
        leaves.compactMap { k, v in k.hasPrefix("sweep.") ? (String(k.dropFirst(6)), v) : nil }
    }

    /// The sweep values of an orphaned run folder's `config.yaml`, for its summary row: none when the
    /// file is missing or unreadable (the row is flagged `orphaned` either way).
    static func orphanSweepValues(_ runDir: String) -> [(key: String, value: String)] {
        let path = (runDir as NSString).appendingPathComponent("config.yaml")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return (try? ConfigLeaves(text, path: path))?.sweepValues ?? []
    }

    /// The leaves as a dictionary (the first of repeated keys wins).
    public var dictionary: [String: String] {
        Dictionary(leaves.map { ($0.key, $0.value) }, uniquingKeysWith: { x, _ in x })
    }

    static func collect(
        _ node: YAMLNode, prefix: String?, lines: [[Unicode.Scalar]], into out: inout [(String, String)]
    ) {
        if let m = node.mapping, prefix == nil || !isFlow(node, lines) {
            for (k, v) in m {
                // A quoted key keeps its quotes (`inputs."mnist/t10k-images-idx3-ubyte.gz"`), as values do.
                let key = k.isPlainScalar ? k.scalar ?? "" : sourceText(k, lines)
                collect(v, prefix: prefix.map { "\($0).\(key)" } ?? key, lines: lines, into: &out)
            }
            return
        }
        guard let prefix else { return }
        // `key:` with nothing after it (an empty block) is no leaf.
        if case .scalar("", plain: true) = node.value { return }
        if let items = node.sequence, !isFlow(node, lines) {
            let texts = items.map { $0.isPlainScalar ? $0.scalar ?? "" : sourceText($0, lines) }
            out.append((prefix, "[" + texts.joined(separator: ", ") + "]"))
            return
        }
        out.append((prefix, node.isPlainScalar ? node.scalar ?? "" : sourceText(node, lines)))
    }

    /// Whether a collection is written in flow style (`{…}` or `[…]` where it starts).
    static func isFlow(_ node: YAMLNode, _ lines: [[Unicode.Scalar]]) -> Bool {
        guard let c = scalarAt(node.location, lines) else { return false }
        return c == "{" || c == "["
    }

    static func scalarAt(_ l: SourceLocation, _ lines: [[Unicode.Scalar]]) -> Unicode.Scalar? {
        guard l.line >= 1, l.line <= lines.count, l.column >= 1, l.column <= lines[l.line - 1].count else { return nil }
        return lines[l.line - 1][l.column - 1]
    }

    /// A quoted scalar or a collection as written: from where it starts to its closing quote or bracket
    /// (on the same or later lines, joined by a space), else to the end of the line.
    static func sourceText(_ node: YAMLNode, _ lines: [[Unicode.Scalar]]) -> String {
        let l = node.location
        guard l.line >= 1, l.line <= lines.count else { return node.scalar ?? "" }
        var text: [Unicode.Scalar] = []
        var depth = 0
        var quote: Unicode.Scalar? = nil
        var row = l.line - 1
        var col = l.column - 1
        while row < lines.count {
            let line = lines[row]
            while col < line.count {
                let c = line[col]
                text.append(c)
                if let q = quote {
                    if q == "\"" && c == "\\" && col + 1 < line.count {
                        col += 1
                        text.append(line[col])
                    } else if c == q {
                        if q == "'" && col + 1 < line.count && line[col + 1] == "'" {
                            col += 1
                            text.append(line[col])
                        } else {
                            quote = nil
                            if depth == 0 { return String(String.UnicodeScalarView(text)) }
                        }
                    }
                } else if c == "\"" || c == "'" {
                    quote = c
                } else if c == "{" || c == "[" {
                    depth += 1
                } else if c == "}" || c == "]" {
                    depth -= 1
                    if depth == 0 { return String(String.UnicodeScalarView(text)) }
                }
                col += 1
            }
            if depth == 0 && quote == nil { break }
            while text.last == " " { text.removeLast() }
            text.append(" ")
            row += 1
            col = 0
            while row < lines.count, col < lines[row].count, lines[row][col] == " " { col += 1 }
        }
        let s = String(String.UnicodeScalarView(text))
        return s.trimmingCharacters(in: .whitespaces)
    }
}
