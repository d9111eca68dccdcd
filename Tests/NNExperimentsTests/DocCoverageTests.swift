import XCTest

/// Every public declaration in Sources/ has a `///` doc comment (the project's standard; issue 19).
///
/// The same rule as scripts/doc-coverage.py, which prints the counts: a line whose first keyword after
/// attributes and modifiers is `public` or `open` declares API, except `public import` and `public
/// extension` (their members are counted one by one). It is documented when the nearest line above it
/// that is not an attribute (`@inline`, `@_specialize` …) or a plain `//` comment (such as the reason
/// beside an `@_specialize`) is a `///` line.
final class DocCoverageTests: XCTestCase {
    /// The repository's Sources/ folder, found from this file's path (the tests run from anywhere).
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources").standardized

    /// (file:line: declaration) of every public declaration without a doc comment in `text`.
    static func undocumented(in text: String, file: String) -> (total: Int, missing: [String]) {
        let lines = text.components(separatedBy: "\n")
        let declaration = try! NSRegularExpression(
            pattern:
                #"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:final|static|class|override|nonisolated|mutating|nonmutating|"#
                + #"indirect|convenience|required|lazy|weak|dynamic|@\w+)\s+)*(public|open)\b(?!\s*import\b)"#)
        let extensionOnly = try! NSRegularExpression(pattern: #"^\s*(public|open)\s+extension\b"#)
        func matches(_ r: NSRegularExpression, _ s: String) -> Bool {
            r.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
        }
        var total = 0
        var missing: [String] = []
        for (i, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.hasPrefix("//"), matches(declaration, line), !matches(extensionOnly, line) else { continue }
            total += 1
            var j = i - 1
            while j >= 0 {
                let above = lines[j].trimmingCharacters(in: .whitespaces)
                if above.hasPrefix("///") { break }
                let attribute = above.hasPrefix("@") && !matches(declaration, lines[j])
                if attribute || above.hasPrefix("//") {
                    j -= 1
                    continue
                }
                break
            }
            if !(j >= 0 && lines[j].trimmingCharacters(in: .whitespaces).hasPrefix("///")) {
                missing.append("\(file):\(i + 1): \(trimmed)")
            }
        }
        return (total, missing)
    }

    func testEveryPublicDeclarationHasADocComment() throws {
        let files = FileManager.default.enumerator(atPath: Self.sources.path)!
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted()
        var total = 0
        var missing: [String] = []
        for file in files {
            let text = try String(contentsOf: Self.sources.appendingPathComponent(file), encoding: .utf8)
            let r = Self.undocumented(in: text, file: "Sources/" + file)
            total += r.total
            missing += r.missing
        }
        XCTAssertGreaterThan(total, 1000, "too few public declarations found: is Sources/ at \(Self.sources.path)?")
        XCTAssertEqual(
            missing, [],
            "\(missing.count) of \(total) public declarations have no /// comment:\n"
                + missing.joined(separator: "\n"))
    }

    /// The rule itself: attributes and reason comments may sit between the doc comment and the
    /// declaration; a plain comment alone does not document; extensions and imports are not counted.
    func testTheRuleOnKnownText() {
        let text = """
            /// Documented.
            // @_specialize: a reason.
            @_specialize(where T == Float)
            @inlinable public func a<T>(_ x: T) {}
            // Not a doc comment.
            public var b: Int
            public extension Int {}
            public import Foundation

            public static let c = 1
            /// Documented.
            public private(set) var d = 2
            """
        let r = Self.undocumented(in: text, file: "F.swift")
        XCTAssertEqual(r.total, 4)
        XCTAssertEqual(r.missing, ["F.swift:6: public var b: Int", "F.swift:10: public static let c = 1"])
    }
}
