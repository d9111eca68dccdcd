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
        guard let path = resourcePath else {
            throw DatasetError("iris: bundled resource iris.csv is missing from the build")
        }
        return try parse(try CSV.records(path, delimiter: ","), path: path)
    }

    /// scikit-learn's layout: a first line `samples,features,class names…`, then `features…,class index`.
    static func parse(_ records: [CSVRecords.Record], path: String) throws -> Dataset {
        guard let head = records.first else { throw DatasetError("\(path): empty") }
        let h = head.fields
        guard h.count >= 3, let n = Int(h[0]), let d = Int(h[1]) else {
            throw DatasetError("\(path):\(head.line): expected `samples,features,class names…`")
        }
        let names = Array(h[2...])
        guard records.count - 1 == n else {
            throw DatasetError("\(path): header says \(n) samples, found \(records.count - 1) rows")
        }
        var features = [Double]()
        features.reserveCapacity(n * d)
        var labels = [Int]()
        for r in records.dropFirst() {
            let f = r.fields
            guard f.count == d + 1 else {
                throw DatasetError("\(path):\(r.line): ragged row: \(f.count) fields, expected \(d + 1)")
            }
            for c in 0..<d { features.append(try CSV.number(f[c], path: path, line: r.line, column: c)) }
            guard let y = Int(f[d]), y >= 0, y < names.count else {
                throw DatasetError("\(path):\(r.line):\(d + 1): class index \(f[d]) out of range 0..<\(names.count)")
            }
            labels.append(y)
        }
        return Dataset(
            name: "iris", features: features, count: n, dimension: d, targets: .classes(labels, names: names))
    }
}
