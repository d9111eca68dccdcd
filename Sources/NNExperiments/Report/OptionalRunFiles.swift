/// Readers for the optional per-run files that only some datasets produce (formats in docs/report.md):
/// `decision-boundary.csv` (`x,y,predicted`), `points.csv` (`x,y,label[,split]`) and
/// `misclassified.csv` (`index,true,predicted,width,height,<pixels…>`). Classes are 0-based indices
/// into the class names of the run's confusion matrices.
enum OptionalRunFiles {
    static func grid(_ c: CSVDocument, path: String) throws -> DecisionGrid {
        guard let xc = c.column("x"), let yc = c.column("y"), let pc = c.column("predicted") else {
            throw ResultsReadError(path: path, message: "expected the columns `x,y,predicted`")
        }
        let x = try c.numbers(xc, path: path)
        let y = try c.numbers(yc, path: path)
        let p = try classes(c, pc, path: path)
        let xs = Array(Set(x)).sorted()
        let ys = Array(Set(y)).sorted()
        guard xs.count >= 2, ys.count >= 2, xs.count * ys.count == c.rows.count, xs.allSatisfy(\.isFinite),
            ys.allSatisfy(\.isFinite)
        else {
            throw ResultsReadError(
                path: path,
                message:
                    "expected one row per cell of a regular grid (at least 2×2): \(xs.count) distinct x and \(ys.count) distinct y for \(c.rows.count) rows"
            )
        }
        let xi = Dictionary(uniqueKeysWithValues: xs.enumerated().map { ($1, $0) })
        let yi = Dictionary(uniqueKeysWithValues: ys.enumerated().map { ($1, $0) })
        var predicted = [[Int]](repeating: [Int](repeating: -1, count: xs.count), count: ys.count)
        for r in 0..<c.rows.count {
            let (row, col) = (yi[y[r]]!, xi[x[r]]!)
            if predicted[row][col] != -1 {
                throw ResultsReadError(
                    path: path, message: "line \(r + 2): the cell (\(c.rows[r][xc]), \(c.rows[r][yc])) appears twice")
            }
            predicted[row][col] = p[r]
        }
        return DecisionGrid(xs: xs, ys: ys, predicted: predicted)
    }

    static func points(_ c: CSVDocument, path: String) throws -> [LabeledPoint] {
        guard let xc = c.column("x"), let yc = c.column("y"), let lc = c.column("label") else {
            throw ResultsReadError(path: path, message: "expected the columns `x,y,label` (and optionally `split`)")
        }
        let x = try c.numbers(xc, path: path)
        let y = try c.numbers(yc, path: path)
        let l = try classes(c, lc, path: path)
        let sc = c.column("split")
        return (0..<c.rows.count).map { i in
            LabeledPoint(x: x[i], y: y[i], label: l[i], split: sc.map { c.rows[i][$0] } ?? "")
        }
    }

    static func images(_ c: CSVDocument, path: String) throws -> [MisclassifiedImage] {
        guard c.header.count > 5, Array(c.header.prefix(5)) == ["index", "true", "predicted", "width", "height"] else {
            throw ResultsReadError(
                path: path,
                message: "expected the header `index,true,predicted,width,height,` followed by one column per pixel")
        }
        let pixelCount = c.header.count - 5
        return try c.rows.enumerated().map { n, row in
            guard let index = Int(row[0]), let t = Int(row[1]), let p = Int(row[2]), let w = Int(row[3]),
                let h = Int(row[4]),
                t >= 0, p >= 0, w > 0, h > 0
            else {
                throw ResultsReadError(
                    path: path,
                    message: "line \(n + 2): index, true, predicted, width and height must be non-negative integers")
            }
            guard w * h <= pixelCount else {
                throw ResultsReadError(
                    path: path,
                    message: "line \(n + 2): a \(w)×\(h) image needs \(w * h) pixel columns, the file has \(pixelCount)"
                )
            }
            let pixels = try row[5..<(5 + w * h)].map { s -> Double in
                guard let v = Double(s), v.isFinite else {
                    throw ResultsReadError(path: path, message: "line \(n + 2): pixel `\(s)` is not a finite number")
                }
                return v
            }
            return MisclassifiedImage(index: index, trueClass: t, predicted: p, width: w, height: h, pixels: pixels)
        }
    }

    static func classes(_ c: CSVDocument, _ col: Int, path: String) throws -> [Int] {
        try c.rows.enumerated().map { n, r in
            guard let v = Int(r[col]), v >= 0 else {
                throw ResultsReadError(
                    path: path,
                    message: "line \(n + 2), column `\(c.header[col])`: `\(r[col])` is not a class index (0, 1, …)")
            }
            return v
        }
    }
}
