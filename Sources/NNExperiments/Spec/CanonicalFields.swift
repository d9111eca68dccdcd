import NNEngine

/// The canonical config derived from the resolved config's own fields, so that a new setting needs no
/// line of its own to enter the run fingerprint (issue 19: a key forgotten in a hand-written writer
/// silently kept stale results).
///
/// Each section (`ModelConfig`, `TrainingSection`, …) is written by reflection over its stored
/// properties, in declaration order, each under its spec key (the property name in snake_case unless
/// `keys` renames it). A property is written when it differs from the section's default instance, or
/// always when it is `spelledOut` — the settings that existed when the canonical form was fixed, whose
/// defaults every stored config.yaml spells out (a frozen list: it never grows, so existing fingerprints
/// keep their bytes and a new setting left at its default changes no fingerprint). Properties that
/// decide no result are `excluded`, each with its reason; a few have a `custom` form (a key that
/// depends on the value, a list written without quotes).
struct CanonicalSection {
    /// A property written its own way, from its value and the whole section: zero or more (key, YAML value) lines.
    typealias Custom = (_ value: Any, _ section: Any) -> [(String, String)]
    /// Properties written even at their default value.
    var spelledOut: Set<String> = []
    /// Properties that are not part of a run's identity, each with the reason.
    var excluded: [String: String] = [:]
    /// Spec keys of properties whose snake_case name is not their key.
    var keys: [String: String] = [:]
    /// Properties with their own form.
    var custom: [String: Custom] = [:]

    /// The (key, value) lines of `value`, judged against `defaults` (an instance with every default).
    func lines(_ value: Any, defaults: Any) -> [(String, String)] {
        let base = Dictionary(
            Mirror(reflecting: defaults).children.compactMap { c in c.label.map { ($0, c.value) } },
            uniquingKeysWith: { a, _ in a })
        var out: [(String, String)] = []
        for child in Mirror(reflecting: value).children {
            guard let label = child.label, excluded[label] == nil else { continue }
            let mine = render(label, child.value, in: value)
            if !spelledOut.contains(label), let d = base[label],
                render(label, d, in: defaults).map({ "\($0)" }) == mine.map({ "\($0)" })
            {
                continue
            }
            out += mine
        }
        return out
    }

    func render(_ label: String, _ v: Any, in section: Any) -> [(String, String)] {
        if let c = custom[label] { return c(v, section) }
        guard let text = CanonicalValue.text(v) else { return [] }  // an optional left unset
        return [(keys[label] ?? CanonicalValue.snakeCase(label), text)]
    }
}

/// A value nested in a section (`EarlyStopping`) that is written as a flow mapping by reflection: its
/// default instance and the fields it spells out, so that a field added later is written only when set.
protocol CanonicalNested {
    /// The instance with every default.
    static var canonicalDefault: Self { get }
    /// Fields written even at their default (those the canonical form had when it was fixed).
    static var spelledOut: Set<String> { get }
}

extension EarlyStopping: CanonicalNested {
    /// `EarlyStopping()`: tolerance 1e-4, patience 10.
    static var canonicalDefault: EarlyStopping { EarlyStopping() }
    /// Both, as config.yaml has always written them.
    static var spelledOut: Set<String> { ["tolerance", "patience"] }
}

/// YAML text of any config value by reflection: numbers in their shortest round-trip form, strings
/// quoted, words (raw-valued and described enums) bare, lists and structs as flow collections.
enum CanonicalValue {
    /// The text of `v`, or nil for an unset optional.
    static func text(_ v: Any) -> String? {
        let m = Mirror(reflecting: v)
        if m.displayStyle == .optional {
            guard let wrapped = m.children.first?.value else { return nil }
            return text(wrapped)
        }
        switch v {
        case let b as Bool: return "\(b)"
        case let d as Double: return YAMLWriter.num(d)
        case let f as Float: return YAMLWriter.num(Double(f))
        case let i as any BinaryInteger: return "\(i)"
        case let s as String: return YAMLWriter.quote(s)
        case let w as SettingsWriter.Value: return YAMLWriter.text(w)
        case let r as any RawRepresentable: return "\(r.rawValue)"
        default: break
        }
        switch m.displayStyle {
        case .collection?, .set?, .tuple?:
            return YAMLWriter.list(m.children.map { text($0.value) ?? "null" })
        case .struct?:
            return "{" + fields(v, m).map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
        case .enum?:
            if let d = v as? CustomStringConvertible { return d.description }
            guard let c = m.children.first, let label = c.label else { return "\(v)" }
            return "{\(snakeCase(label)): \(text(c.value) ?? "null")}"
        default:
            return YAMLWriter.quote("\(v)")
        }
    }

    /// A struct's fields: all of them, or for a `CanonicalNested` type those spelled out or set.
    static func fields(_ v: Any, _ m: Mirror) -> [(String, String)] {
        let nested = type(of: v) as? any CanonicalNested.Type
        let section = CanonicalSection(spelledOut: nested?.spelledOut ?? Set(m.children.compactMap(\.label)))
        guard let nested else { return section.lines(v, defaults: v) }
        return section.lines(v, defaults: nested.canonicalDefault)
    }

    /// `initBiases` → `init_biases`.
    static func snakeCase(_ s: String) -> String {
        var out = ""
        for c in s {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}
