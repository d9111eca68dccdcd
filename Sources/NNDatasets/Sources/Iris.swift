import Foundation

/// Fisher's Iris data, bundled (Resources/iris.csv, scikit-learn's copy; see Resources/README.md).
public enum Iris {
    /// The bundled file's location.
    public static var resourcePath: String? {
        Bundle.module.url(forResource: "iris", withExtension: "csv", subdirectory: "Resources")?.path
            ?? Bundle.module.url(forResource: "iris", withExtension: "csv")?.path
    }

    /// 150 samples × 4 features, classes setosa / versicolor / virginica (50 each, in that order).
    public static func load() throws -> Dataset {
        guard let path = resourcePath else { throw DatasetError("iris: bundled resource iris.csv is missing from the build") }
        return try parse(try CSV.readText(path), path: path)
    }

    /// scikit-learn's layout: a first line `samples,features,class names…`, then `features…,class index`.
    static func parse(_ text: String, path: String) throws -> Dataset {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard let head = lines.first else { throw DatasetError("\(path): empty") }
        let h = head.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard h.count >= 3, let n = Int(h[0]), let d = Int(h[1]) else {
            throw DatasetError("\(path):1: expected `samples,features,class names…`")
        }
        let names = Array(h[2...])
        guard lines.count - 1 == n else { throw DatasetError("\(path): header says \(n) samples, found \(lines.count - 1) rows") }
        var features = [Double](); features.reserveCapacity(n * d)
        var labels = [Int]()
        for (k, line) in lines.dropFirst().enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count == d + 1 else { throw DatasetError("\(path):\(k + 2): ragged row: \(f.count) fields, expected \(d + 1)") }
            for c in 0..<d { features.append(try CSV.number(f[c], path: path, line: k + 2, column: c)) }
            guard let y = Int(f[d]), y >= 0, y < names.count else {
                throw DatasetError("\(path):\(k + 2):\(d + 1): class index \(f[d]) out of range 0..<\(names.count)")
            }
            labels.append(y)
        }
        return Dataset(name: "iris", features: features, count: n, dimension: d, targets: .classes(labels, names: names))
    }
}
