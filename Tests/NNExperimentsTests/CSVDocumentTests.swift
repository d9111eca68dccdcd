import XCTest

@testable import NNExperiments

/// Result CSVs read back through the shared tokenizer (`CSVRecords`, exact rules): quoted commas,
/// quotes and line ends, and the errors that name the file and line.
final class CSVDocumentTests: XCTestCase {
    func testQuotedFieldsAndErrors() throws {
        let doc = try CSVDocument.parse(Array("run,note\nr1,\"a, \"\"b\"\"\nc\"\r\nr2,\n".utf8), path: "s.csv")
        XCTAssertEqual(doc.header, ["run", "note"])
        XCTAssertEqual(doc.rows, [["r1", "a, \"b\"\nc"], ["r2", ""]])
        func message(_ text: String) -> String {
            do {
                _ = try CSVDocument.parse(Array(text.utf8), path: "s.csv")
                return ""
            } catch { return "\(error)" }
        }
        XCTAssertEqual(
            message("x,y\n\"1\n2\",2\n1,2,3\n"), "s.csv: line 4 has 3 fields, the header has 2", "lines, not records")
        XCTAssertEqual(message("x\n\"open\nmore\n"), "s.csv: line 2: a quoted field is not closed")
        XCTAssertEqual(message(""), "s.csv: the file is empty (expected a header line)")
    }
}
