import XCTest

@testable import NNDatasets

/// The one CSV tokenizer: RFC 4180 quoting under both rule sets, the `table` rules of data files
/// (trimming, blank and `#` lines) and the `exact` rules of nnexp's own result files. Expected fields
/// are written out by hand.
final class CSVRecordsTests: XCTestCase {
    func split(_ s: String, _ d: Character = ",", rules: CSVRecords.Rules) throws -> [[String]] {
        try CSVRecords.split(Array(s.utf8), delimiter: d, rules: rules).map(\.fields)
    }

    func testQuotingUnderBothRules() throws {
        for rules in [CSVRecords.Rules.exact, .table] {
            XCTAssertEqual(try split("a,b\n\"x, y\",\"q\"\"r\"\n", rules: rules), [["a", "b"], ["x, y", "q\"r"]])
            XCTAssertEqual(
                try split("\"l1\nl2\",z\r\nw,\"\"", rules: rules), [["l1\nl2", "z"], ["w", ""]],
                "a quoted line end; an empty last field")
            XCTAssertEqual(
                try split("ab\"c,\"ab\"c\rnext", rules: rules), [["ab\"c", "abc"], ["next"]],
                "a quote inside a field is text; \\r ends a line")
        }
    }

    func testRecordLinesCountQuotedLineEndsAndSkippedLines() throws {
        let exact = try CSVRecords.split(Array("h\n\"a\nb\"\nc\n".utf8), rules: .exact)
        XCTAssertEqual(exact.map(\.line), [1, 2, 4])
        let table = try CSVRecords.split(Array("# comment\n\nh\n   \n  # indented\nv\n".utf8), rules: .table)
        XCTAssertEqual(table.map(\.fields), [["h"], ["v"]])
        XCTAssertEqual(table.map(\.line), [3, 6])
    }

    func testExactKeepsEveryByteTableTrims() throws {
        XCTAssertEqual(try split(" a , b \n\n", rules: .exact), [[" a ", " b "], [""]])
        XCTAssertEqual(try split(" a , b \n\n", rules: .table), [["a", "b"]])
        // Under `table`, a quote after blanks still opens a quoted field, kept as written.
        XCTAssertEqual(try split("  \" x \" ,y", rules: .table), [[" x  ", "y"]])
        XCTAssertEqual(try split("  \" x \" ,y", rules: .exact), [["  \" x \" ", "y"]])
    }

    func testAnyOneCharacterDelimiter() throws {
        XCTAssertEqual(try split("1\t2\t\"3\t4\"", "\t", rules: .table), [["1", "2", "3\t4"]])
        XCTAssertEqual(try split("1；2；é", "；", rules: .table), [["1", "2", "é"]])
        XCTAssertEqual(try split("1;2,3", ";", rules: .exact), [["1", "2,3"]])
    }

    func testUnterminatedQuoteNamesTheLineItOpensOn() {
        for rules in [CSVRecords.Rules.exact, .table] {
            XCTAssertThrowsError(try CSVRecords.split(Array("a\nb,\"c\nd\n".utf8), rules: rules)) {
                XCTAssertEqual($0 as? CSVRecords.UnterminatedQuote, CSVRecords.UnterminatedQuote(line: 2))
            }
        }
    }
}
