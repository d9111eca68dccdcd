import NNDatasets
import NNEngine

/// The optional per-run files the report draws pictures from (formats in docs/report.md):
/// decision regions and data points for 2-D classification sets, and the first misclassified test
/// images for image sets. Written only where they mean something, so results stay small.
enum PictureFiles {
    /// Grid cells per side of the decision-boundary grid.
    static let gridSize = 80
    /// Misclassified test images kept (the report shows 25).
    static let misclassifiedLimit = 25

    static func make<T: Real>(
        _ net: Network<T>, data: SplitDataset, ws: Workspace<T>,
        testPredictions: [Int]?
    ) -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        let train = data.train
        if train.dimension == 2, train.labels != nil {
            files["decision-boundary.csv"] = Array(decisionGrid(net, data: data, ws: ws).text.utf8)
            files["points.csv"] = Array(points(data).text.utf8)
        }
        if let (h, w) = train.imageShape, let test = data.test, let labels = test.labels,
            let predicted = testPredictions
        {
            var t = CSVTable(header: ["index", "true", "predicted", "width", "height"] + (0..<(w * h)).map { "p\($0)" })
            for i in 0..<test.count where labels[i] != predicted[i] {
                // Drawn as loaded, before preprocessing (standardised pixels would draw as grey noise):
                // the split's own row, read from the shared raw pixels, so no unpreprocessed copy is kept.
                let pixels = grey(test.unpreprocessedRow(i)[...])
                t.append(["\(i)", "\(labels[i])", "\(predicted[i])", "\(w)", "\(h)"] + pixels)
                if t.rows.count == misclassifiedLimit { break }
            }
            files["misclassified.csv"] = Array(t.text.utf8)
        }
        return files
    }

    /// An image's values as 0…255 between its own lowest and highest value (how the report draws it),
    /// so the file stays small whatever preprocessing the features went through.
    static func grey(_ values: ArraySlice<Double>) -> [String] {
        let lo = values.min() ?? 0
        let hi = values.max() ?? 0
        let span = hi - lo
        return values.map { span > 0 ? String(Int(((($0 - lo) / span) * 255).rounded())) : "0" }
    }

    /// The network's class at the centre of every cell of a grid over the data's box, padded by 10 %.
    static func decisionGrid<T: Real>(_ net: Network<T>, data: SplitDataset, ws: Workspace<T>) -> CSVTable {
        var lo = [Double.infinity, .infinity]
        var hi = [-Double.infinity, -.infinity]
        for d in [data.train, data.validation, data.test].compactMap({ $0 }) {
            d.forEachRow { _, x in
                for k in 0..<2 {
                    lo[k] = min(lo[k], x[k])
                    hi[k] = max(hi[k], x[k])
                }
            }
        }
        for k in 0..<2 {
            let pad = max((hi[k] - lo[k]) * 0.1, 1e-3)
            lo[k] -= pad
            hi[k] += pad
        }
        let n = gridSize
        // Coordinates rounded to 4 decimals so the file stays small and identical across platforms.
        func coord(_ k: Int, _ j: Int) -> Double {
            ((lo[k] + (Double(j) + 0.5) * (hi[k] - lo[k]) / Double(n)) * 1e4).rounded() / 1e4
        }
        var x = [T]()
        x.reserveCapacity(n * n * 2)
        for row in 0..<n {
            for col in 0..<n {
                x.append(T(coord(0, col)))
                x.append(T(coord(1, row)))
            }
        }
        let classes = net.predict(x, count: n * n, workspace: ws).classes
        var t = CSVTable(header: ["x", "y", "predicted"])
        for row in 0..<n {
            for col in 0..<n {
                t.append([
                    NumberFormat.shortest(coord(0, col)), NumberFormat.shortest(coord(1, row)),
                    "\(classes[row * n + col])"
                ])
            }
        }
        return t
    }

    static func points(_ data: SplitDataset) -> CSVTable {
        var t = CSVTable(header: ["x", "y", "label", "split"])
        for (name, d) in [("train", data.train), ("validation", data.validation), ("test", data.test)] {
            guard let d, let labels = d.labels else { continue }
            d.forEachRow { i, x in
                t.append([NumberFormat.shortest(x[0]), NumberFormat.shortest(x[1]), "\(labels[i])", name])
            }
        }
        return t
    }
}
