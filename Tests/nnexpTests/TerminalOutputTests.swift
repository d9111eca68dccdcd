import Foundation
import XCTest

/// `nnexp run` under a pseudo-terminal (script(1)), replayed through a small terminal model: at 80
/// and 160 columns no line is wider than the terminal and the live block leaves no stale copy; with
/// `TERM=dumb` there is no escape code at all; the run ends with a leaderboard and the paths.
final class TerminalOutputTests: XCTestCase {
    let spec = """
        experiment: terminal-width-check-with-a-rather-long-experiment-name
        dataset: {name: xor, repeats: 20}
        model: {hidden: [4], activation: tanh, output: sigmoid, loss: logistic}
        optimizer: {type: sgd, learning_rate: 0.1}
        training: {epochs: 600, batch_size: 8, shuffle: true, precision: float32}
        sweep:
          model.activation: [tanh, relu]
          optimizer.learning_rate: [0.1, 0.2]
          seed: [1, 2]
        """

    /// Runs `nnexp args` inside script(1) with the given environment; returns the raw bytes of the pty.
    func underPTY(_ args: [String], columns: Int, term: String, cwd: URL) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            throw XCTSkip("script(1) is not installed")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        let command = ([binary.path] + args).map { "'\($0)'" }.joined(separator: " ")
        p.arguments = ["-qfec", command, "/dev/null"]
        p.currentDirectoryURL = cwd
        var env = ProcessInfo.processInfo.environment
        env["COLUMNS"] = "\(columns)"
        env["TERM"] = term
        p.environment = env
        let out = cwd.appendingPathComponent("pty-\(columns)-\(term).txt")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        return try String(contentsOf: out, encoding: .utf8)
    }

    /// The screen after replaying `bytes` on a terminal `width` columns wide that wraps long lines:
    /// printable characters, CR, LF, CSI n A (cursor up) and CSI J (erase below). Also every line
    /// as it was ever written, to check widths.
    func replay(_ bytes: String, width: Int) -> (screen: [String], widest: Int) {
        var screen: [[Unicode.Scalar]] = [[]]
        var row = 0
        var col = 0
        var widest = 0
        var chars = Array(bytes.unicodeScalars)[...]
        func put(_ c: Unicode.Scalar) {
            if col == width {
                row += 1
                col = 0
            }
            while screen.count <= row { screen.append([]) }
            while screen[row].count < col { screen[row].append(" ") }
            if col < screen[row].count { screen[row][col] = c } else { screen[row].append(c) }
            col += 1
            widest = max(widest, col)
        }
        while let c = chars.popFirst() {
            switch c {
            case "\n":
                row += 1
                col = 0
                while screen.count <= row { screen.append([]) }
            case "\r": col = 0
            case "\u{1B}":
                guard chars.first == "[" else { continue }
                chars.removeFirst()
                var digits = ""
                while let d = chars.first, ("0"..."9").contains(d) || d == ";" {
                    digits.unicodeScalars.append(d)
                    chars.removeFirst()
                }
                let command = chars.popFirst()
                if command == "A" { row = max(0, row - (Int(digits) ?? 1)) }
                if command == "J" {
                    screen.removeSubrange(min(row + 1, screen.count)...)
                    if row < screen.count { screen[row] = Array(screen[row].prefix(col)) }
                }
            default: put(c)
            }
        }
        return (screen.map { String(String.UnicodeScalarView($0)) }, widest)
    }

    /// Lines split at every CR and LF (scalars: Swift takes CR LF as one Character).
    static func lines(_ s: String) -> [String] {
        s.unicodeScalars.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map {
            String(String.UnicodeScalarView($0))
        }
    }

    func check(columns: Int) throws {
        let dir = try tempDir()
        try write(spec, to: "t.yaml", in: dir)
        let raw = try underPTY(["run", "t.yaml", "--jobs", "2"], columns: columns, term: "xterm", cwd: dir)
        XCTAssertTrue(raw.contains("\u{1B}[J"), "a terminal gets the live block")
        let (screen, widest) = replay(raw, width: columns)
        XCTAssertLessThanOrEqual(widest, columns)
        // Nothing wrapped: every line as written fits (the model above wraps exactly as a terminal).
        let plain = raw.replacingOccurrences(of: "\u{1B}\\[[0-9;]*[A-Za-z]", with: "", options: .regularExpression)
        for piece in Self.lines(plain) { XCTAssertLessThanOrEqual(piece.count, columns, piece) }
        // The live block (lines with "epoch n/N" or the overall "runs done") is gone once the run ends.
        XCTAssertFalse(
            screen.contains { $0.contains("runs done,") || $0.contains(" epoch ") }, screen.joined(separator: "\n"))
        let text = screen.joined(separator: "\n")
        XCTAssertTrue(text.contains("in 4 cells"), text)
        XCTAssertTrue(text.contains("★"), text)
        XCTAssertTrue(text.contains("report:"), text)
        XCTAssertTrue(
            text.contains("results/terminal-width-check-with-a-rather-long-experiment-name/report.html"), text)
        // Sorted by the selection metric, best first and marked.
        XCTAssertTrue(screen.contains { $0.hasPrefix("★") }, text)
    }

    func testEightyColumns() throws { try check(columns: 80) }
    func testOneHundredSixtyColumns() throws { try check(columns: 160) }

    func testDumbTerminalGetsNoEscapes() throws {
        let dir = try tempDir()
        try write(spec, to: "t.yaml", in: dir)
        let raw = try underPTY(["run", "t.yaml", "--jobs", "2"], columns: 80, term: "dumb", cwd: dir)
        XCTAssertFalse(raw.contains("\u{1B}"), raw)
        XCTAssertTrue(raw.contains("[8/8]"), raw)
        for line in Self.lines(raw) { XCTAssertLessThanOrEqual(line.count, 80, line) }
    }

    func testMarkdownAndCSVFormats() throws {
        let dir = try tempDir()
        try write(spec.replacingOccurrences(of: "epochs: 600", with: "epochs: 20"), to: "t.yaml", in: dir)
        let md = try run(["run", "t.yaml", "--format", "markdown"], cwd: dir)
        XCTAssertEqual(md.status, 0, md.err)
        let rows = md.out.split(separator: "\n").filter { $0.hasPrefix("|") }
        XCTAssertEqual(rows.count, 2 + 4, md.out)
        XCTAssertTrue(rows[0].contains("| activation | learning_rate |"), md.out)
        let csv = try run(["run", "t.yaml", "--format", "csv"], cwd: dir)
        let lines = csv.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 5, csv.out)
        XCTAssertTrue(
            lines[0].hasPrefix("experiment,rank,best,model.activation,optimizer.learning_rate,status,n,"), csv.out)
        XCTAssertTrue(lines[1].contains(",1,yes,"), csv.out)
    }
}
