import XCTest

/// The layering as written down matches the code (issue 19, "drift"): every target of Package.swift
/// declares exactly the modules its files import, and the dependency diagram of docs/architecture.md and
/// the header comment of Package.swift list exactly the declared edges of the non-test targets.
final class ArchitectureTests: XCTestCase {
    /// The repository root, found from this file's path (the tests run from anywhere).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardized

    /// One target of Package.swift: its kind, folder and declared dependencies (target or product names).
    struct Target {
        var name: String
        var kind: String
        var path: String
        var dependencies: Set<String>
    }

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    static func matches(_ pattern: String, _ text: String, options: NSRegularExpression.Options = []) -> [[String]] {
        let r = try! NSRegularExpression(pattern: pattern, options: options)
        return r.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
            (0..<m.numberOfRanges).map { i in
                Range(m.range(at: i), in: text).map { String(text[$0]) } ?? ""
            }
        }
    }

    /// The targets declared in `manifest` (Package.swift's text), with their folders (the default
    /// `Sources/<name>` or `Tests/<name>`, or the explicit `path:`).
    static func targets(_ manifest: String) -> [Target] {
        // Each declaration runs from `.target(name:` (or its executable/test/system forms) to the next one.
        let starts = matches(#"\.(target|executableTarget|testTarget|systemLibrary)\(name:\s*"([^"]+)""#, manifest)
        var chunks: [String] = []
        let r = try! NSRegularExpression(pattern: #"\.(target|executableTarget|testTarget|systemLibrary)\(name:"#)
        let ranges = r.matches(in: manifest, range: NSRange(manifest.startIndex..., in: manifest)).map(\.range.location)
        let ns = manifest as NSString
        for (i, start) in ranges.enumerated() {
            let end = i + 1 < ranges.count ? ranges[i + 1] : ns.length
            chunks.append(ns.substring(with: NSRange(location: start, length: end - start)))
        }
        return zip(starts, chunks).map { start, chunk in
            let kind = start[1]
            let name = start[2]
            var deps: Set<String> = []
            if let list = matches(#"dependencies:\s*\[([^\]]*)\]"#, chunk).first?[1] {
                let products = matches(#"\.product\(name:\s*"([^"]+)""#, list).map { $0[1] }
                let plain = list.replacingOccurrences(of: #"\.product\([^)]*\)"#, with: "", options: .regularExpression)
                deps = Set(products + matches(#""([^"]+)""#, plain).map { $0[1] })
            }
            let path =
                matches(#"path:\s*"([^"]+)""#, chunk).first?[1]
                ?? (kind == "testTarget" ? "Tests/" : "Sources/") + name
            return Target(name: name, kind: kind, path: path, dependencies: deps)
        }
    }

    /// The modules named by `import` lines in the Swift files under `folder` (with `@testable` and
    /// the like, and `import struct M.X` forms).
    static func imports(under folder: String) throws -> Set<String> {
        let dir = root.appendingPathComponent(folder)
        var found: Set<String> = []
        let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            let pattern =
                #"^\s*(?:@\w+\s+)*import\s+(?:(?:struct|class|enum|protocol|typealias|func|var|let)\s+)?(\w+)"#
            for m in matches(pattern, text, options: .anchorsMatchLines) { found.insert(m[1]) }
        }
        return found
    }

    /// Dependency edges in lines `A ─→ B, C` (`arrow` is the line's arrow; a parenthesised
    /// `(D, E ─→ F)` adds D→F and E→F; `nnexp (CLI)` is `nnexp`).
    static func edges(_ lines: [String], arrow: String) -> Set<[String]> {
        var out: Set<[String]> = []
        func add(_ from: String, _ to: String) {
            for f in from.split(separator: ",") {
                let source = f.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
                for t in to.split(separator: ",") { out.insert([source, t.trimmingCharacters(in: .whitespaces)]) }
            }
        }
        for line in lines where line.contains(arrow) {
            var line = line
            for m in matches(#"\(([^()]*)\)"#, line) where m[1].contains(arrow) {
                let parts = m[1].components(separatedBy: arrow)
                add(parts[0], parts[1])
                line = line.replacingOccurrences(of: m[0], with: "")
            }
            let parts = line.components(separatedBy: arrow)
            guard parts.count == 2 else { continue }
            add(parts[0].replacingOccurrences(of: "(CLI)", with: ""), parts[1])
        }
        return out
    }

    func testEveryTargetDeclaresExactlyWhatItImports() throws {
        let all = Self.targets(try Self.read("Package.swift"))
        XCTAssertGreaterThan(all.count, 15, "too few targets found in Package.swift")
        let executables = Set(all.filter { $0.kind == "executableTarget" }.map(\.name))
        // Modules that an import may name and a dependency may declare: the package's own importable
        // targets and its one product dependency.
        let modules = Set(all.filter { $0.kind != "executableTarget" && $0.kind != "testTarget" }.map(\.name))
            .union(["ArgumentParser"])
        for t in all where t.kind != "systemLibrary" {
            let folder = Self.root.appendingPathComponent(t.path).path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                XCTFail("\(t.name): no folder \(t.path)")
                continue
            }
            let imported = try Self.imports(under: t.path).intersection(modules)
            // A test target may depend on an executable (it runs it; an executable cannot be imported).
            let declared = t.dependencies.subtracting(executables)
            XCTAssertEqual(
                imported.subtracting(declared).sorted(), [], "\(t.name) imports modules Package.swift does not declare")
            XCTAssertEqual(
                declared.subtracting(imported).sorted(), [], "\(t.name) declares dependencies nothing imports")
        }
        XCTAssertEqual(
            Set(all.map(\.name)).intersection(["NNEngine", "nnexp", "nnexp-bench", "NNExperimentsTests"]).count, 4)
    }

    func testDiagramsListTheDeclaredEdges() throws {
        let manifest = try Self.read("Package.swift")
        var declared: Set<[String]> = []
        for t in Self.targets(manifest) where t.kind != "testTarget" {
            for d in t.dependencies { declared.insert([t.name, d]) }
        }
        XCTAssertTrue(declared.contains(["NNExperiments", "CYAML"]))

        // docs/architecture.md: the first code block.
        let doc = try Self.read("docs/architecture.md")
        let block = try XCTUnwrap(
            doc.components(separatedBy: "```").dropFirst().first, "no code block in docs/architecture.md")
        let drawn = Self.edges(block.components(separatedBy: "\n"), arrow: "─→")
        XCTAssertEqual(
            drawn.subtracting(declared).map { $0.joined(separator: " → ") }.sorted(), [],
            "docs/architecture.md draws dependencies Package.swift does not declare")
        XCTAssertEqual(
            declared.subtracting(drawn).map { $0.joined(separator: " → ") }.sorted(), [],
            "docs/architecture.md misses dependencies Package.swift declares")

        // Package.swift's header: the comment lines before `import PackageDescription`.
        let header = manifest.components(separatedBy: "import PackageDescription")[0]
            .components(separatedBy: "\n").filter { $0.hasPrefix("//") }.map { String($0.dropFirst(2)) }
        let listed = Self.edges(header, arrow: "→")
        XCTAssertEqual(
            listed.subtracting(declared).map { $0.joined(separator: " → ") }.sorted(), [],
            "Package.swift's header lists dependencies it does not declare")
        XCTAssertEqual(
            declared.subtracting(listed).map { $0.joined(separator: " → ") }.sorted(), [],
            "Package.swift's header misses dependencies it declares")
    }
}
