/// Fitting preprocessing steps on the training part and applying them to every part.
public enum Preprocessing {
    /// Runs `steps` in order over `split`, each fitted on `split.train` as it stands after the steps
    /// before it, so validation and test statistics never reach the training data.
    public static func apply(_ steps: [PreprocessStep], to split: inout SplitDataset) throws {
        for step in steps {
            let fitted = try Fitted(step, train: split.train)
            fitted.transform(&split.train)
            if split.validation != nil { fitted.transform(&split.validation!) }
            if split.test != nil { fitted.transform(&split.test!) }
        }
    }

    /// A step with its training statistics.
    struct Fitted {
        enum Kind {
            /// Applied to features as they are read (views keep sharing the loaded pool).
            case features(FeatureStep)
            case scaleTargets(Double)
        }
        let kind: Kind

        /// Statistics stream over the training rows (each read through the steps before this one), in
        /// row order, so no transformed copy of the training part is ever made.
        init(_ step: PreprocessStep, train: Dataset) throws {
            let d = train.dimension
            let n = train.count
            switch step {
            case .scale(let f):
                guard f != 0, f.isFinite else {
                    throw DatasetError(
                        "preprocessing: scale factor must be a non-zero number, got \(f)", key: "preprocess")
                }
                kind = .features(.divide(f))
            case .binarize(let t):
                kind = .features(.binarize(t))
            case .scaleTargets(let f):
                guard f != 0, f.isFinite else {
                    throw DatasetError(
                        "preprocessing: target scale factor must be a non-zero number, got \(f)", key: "preprocess")
                }
                guard case .values = train.targets else {
                    throw DatasetError(
                        "preprocessing: scale-targets applies to regression targets, but \(train.name) has class labels",
                        key: "preprocess")
                }
                kind = .scaleTargets(f)
            case .standardize:
                guard n > 0 else {
                    throw DatasetError("preprocessing: cannot standardise an empty training set", key: "preprocess")
                }
                var mean = [Double](repeating: 0, count: d)
                var sq = [Double](repeating: 0, count: d)
                train.forEachRow { _, x in for j in 0..<d { mean[j] += x[j] } }
                for j in 0..<d { mean[j] /= Double(n) }
                // Two passes (mean, then squared deviations) for accuracy on large-offset data.
                train.forEachRow { _, x in
                    for j in 0..<d {
                        let e = x[j] - mean[j]
                        sq[j] += e * e
                    }
                }
                let std = sq.map { s -> Double in
                    let v = (s / Double(n)).squareRoot()
                    return v > 0 ? v : 1
                }
                kind = .features(.affine(shift: mean, divisor: std))
            case .maxScale:
                var m = [Double](repeating: 0, count: d)
                train.forEachRow { _, x in for j in 0..<d { m[j] = max(m[j], abs(x[j])) } }
                kind = .features(.affine(shift: [Double](repeating: 0, count: d), divisor: m.map { $0 > 0 ? $0 : 1 }))
            }
        }

        func transform(_ ds: inout Dataset) {
            switch kind {
            case .features(let step):
                ds = ds.appending(step)
            case .scaleTargets(let f):
                if case .values(var v, let dim) = ds.targets {
                    ds.targets = .values([], dimension: dim)  // release the old storage before mutating
                    for k in v.indices { v[k] /= f }
                    ds.targets = .values(v, dimension: dim)
                    ds = ds.withOwnView()  // new targets, so a view identity of its own (converted samples are cached per view)
                }
            }
        }
    }
}
