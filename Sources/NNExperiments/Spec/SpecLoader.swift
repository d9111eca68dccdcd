import Foundation
import NNDatasets

/// Reads a spec file and applies its `extends` chain: `extends: base.yaml` (a path relative to the
/// file that says it, or a list of such paths applied in order) deep-merges the base spec underneath.
/// Every node keeps the file it came from, so a mistake in a base spec is reported in the base file.
enum SpecLoader {
    /// The merged tree of `path`, or nil when it could not be read or parsed (the reason is in `sink`).
    /// Throws only when the top-level file itself cannot be read.
    static func load(path: String, sink: DiagnosticSink) throws -> YAMLNode? {
        let text: String
        switch readText(path) {
        case .success(let t): text = t
        case .failure(let why): throw SpecFileError(path: path, message: "cannot read the spec: \(why.message)")
        }
        return resolve(text: text, path: path, chain: [canonical(path)], sink: sink)
    }

    /// Parses `text` (the contents of `path`) and merges its bases under it.
    static func resolve(text: String, path: String, chain: [String], sink: DiagnosticSink) -> YAMLNode? {
        let root: YAMLNode
        do { root = try YAMLParser.parse(text, file: path) } catch {
            sink.error(at: error.location, error.message)
            return nil
        }
        guard let pairs = root.mapping, let ext = root["extends"] else { return root }
        let targets: [YAMLNode]
        if ext.scalar != nil, !ext.isNull {
            targets = [ext]
        } else if let list = ext.sequence, !list.isEmpty {
            targets = list
        } else {
            sink.error(
                ext,
                "`extends` takes a spec path (relative to this file) or a list of them, found \(ext.kindDescription)")
            return root
        }
        var merged: YAMLNode? = nil
        let dir = (path as NSString).deletingLastPathComponent
        for target in targets {
            guard let rel = target.scalar, !target.isNull, !rel.isEmpty else {
                sink.error(target, "`extends` entries must be spec paths, found \(target.kindDescription)")
                continue
            }
            let basePath = rel.hasPrefix("/") || dir.isEmpty ? rel : (dir as NSString).appendingPathComponent(rel)
            let key = canonical(basePath)
            if let i = chain.firstIndex(of: key) {
                let cycle =
                    (chain[i...].map { ($0 as NSString).lastPathComponent } + [(basePath as NSString).lastPathComponent])
                sink.error(target, "`extends` makes a cycle: \(cycle.joined(separator: " → "))")
                continue
            }
            let baseText: String
            switch readText(basePath) {
            case .success(let t): baseText = t
            case .failure(let why):
                let looked = basePath == rel ? "" : " (looked for \(basePath))"
                sink.error(target, "cannot read the extended spec `\(rel)`\(looked): \(why.message)")
                continue
            }
            // Parsed apart first: a file that is not a spec (say /etc/shadow) is reported as such,
            // never echoed line by line through "unknown key" errors.
            let parsed: YAMLNode
            do { parsed = try YAMLParser.parse(baseText, file: basePath) } catch {
                sink.error(target, "`\(rel)` is not a YAML spec (\(error.message) at line \(error.location.line))")
                continue
            }
            if let why = notASpec(parsed) {
                sink.error(target, "`\(rel)` is not a spec: \(why)")
                continue
            }
            guard let base = resolve(text: baseText, path: basePath, chain: chain + [key], sink: sink) else { continue }
            merged = merged.map { deepMerge(base: $0, over: base) } ?? base
        }
        // The bases themselves never carry `extends` any more (already resolved), so drop only ours.
        var own = root
        own.value = .mapping(pairs.filter { $0.key.scalar != "extends" })
        guard let merged else { return own }
        return deepMerge(base: merged, over: own)
    }

    /// Mappings merge key by key (recursively, base keys first in their order, new keys after);
    /// anything else in `over` replaces what `base` had. Three rules make a child able to switch
    /// what a base chose (docs/spec.md, `extends`):
    /// - `key: ~` in `over` removes the inherited key, at any depth (its default applies);
    /// - an `optimizer` whose `type` differs from the base's replaces the base's whole section (the
    ///   options of one optimizer do not carry over to another);
    /// - `model.layers` in `over` replaces a base's `model.hidden`, and `hidden` a base's `layers`.
    static func deepMerge(base: YAMLNode, over: YAMLNode, path: String = "") -> YAMLNode {
        guard var b = base.mapping, let o = over.mapping else { return over }
        if path == "optimizer", let t = over["type"]?.scalar, let bt = base["type"]?.scalar, t != bt {
            return YAMLNode(.mapping(o.filter { !$0.value.isNull }), at: over.location)
        }
        if path == "model" {
            if over["layers"] != nil { b.removeAll { $0.key.scalar == "hidden" } }
            if over["hidden"] != nil { b.removeAll { $0.key.scalar == "layers" } }
        }
        var result: [(key: YAMLNode, value: YAMLNode)] = []
        var mine: [YAMLNode: (key: YAMLNode, value: YAMLNode)] = [:]  // hashed: linear in the number of keys
        for pair in o { mine[pair.key] = pair }
        let baseKeys = Set(b.map(\.key))
        for (k, v) in b {
            if let m = mine[k] {
                if m.value.isNull { continue }  // `key: ~` removes what the base set
                let sub = k.scalar.map { path.isEmpty ? $0 : "\(path).\($0)" } ?? path
                result.append((m.key, deepMerge(base: v, over: m.value, path: sub)))
            } else {
                result.append((k, v))
            }
        }
        for pair in o where !baseKeys.contains(pair.key) && !pair.value.isNull { result.append(pair) }
        return YAMLNode(.mapping(result), at: over.location)
    }

    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Why a parsed file cannot be a spec at all, described without its contents (the file may be
    /// anything, such as a password file: echoing its keys as "unknown key" errors would leak it);
    /// nil when it is a mapping with at least one spec key.
    static func notASpec(_ root: YAMLNode) -> String? {
        guard let pairs = root.mapping else { return "it holds \(root.kindName), not a YAML mapping of spec keys" }
        if pairs.isEmpty { return nil }
        let known = pairs.contains { p in
            p.key.scalar.map { SpecDecoder.topLevelKeys.contains($0) || $0.hasPrefix("x-") } ?? false
        }
        return known ? nil : "none of its \(pairs.count) top-level keys is a spec key (experiment, dataset, model, …)"
    }

    /// A spec file's text: a regular file (never a folder, device or FIFO, which could hang), at
    /// most `SpecLimits.maxSpecBytes`, in UTF-8; else the reason as a plain sentence.
    static func readText(_ path: String) -> Result<String, SpecReadProblem> {
        if let why = FileCheck.problem(path) { return .failure(SpecReadProblem(message: why)) }
        var st = stat()
        if stat(path, &st) == 0, Int(st.st_size) > SpecLimits.maxSpecBytes {
            return .failure(
                SpecReadProblem(message: "\(st.st_size) bytes; a spec may have at most \(SpecLimits.maxSpecBytes)"))
        }
        let bytes: [UInt8]
        do { bytes = try FileBytes.read(path) } catch let e as DatasetError {
            let m = e.message.hasPrefix(path + ": ") ? String(e.message.dropFirst(path.count + 2)) : e.message
            return .failure(SpecReadProblem(message: m))
        } catch { return .failure(SpecReadProblem(message: ErrorText.reason(error))) }
        guard bytes.count <= SpecLimits.maxSpecBytes else {
            return .failure(
                SpecReadProblem(message: "more than \(SpecLimits.maxSpecBytes) bytes; a spec may have at most that"))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(SpecReadProblem(message: "not UTF-8 text"))
        }
        return .success(text)
    }
}

/// Why a spec file could not be read, as a plain sentence.
struct SpecReadProblem: Error {
    var message: String
}
