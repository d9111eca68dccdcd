import Foundation
import NNDatasets
import NNEngine

/// `outputs.epoch_accuracy`: the accuracy of every labelled split after every epoch, for the extra
/// columns of cost.csv. One prediction pass per split per epoch, with its own workspace.
final class EpochAccuracy<T: Real> {
    private let architecture: Architecture
    private let splits: [(name: String, x: [T], labels: [Int], count: Int)]
    private let workspace: Workspace<T>
    private var values: [[Double]]

    init(architecture: Architecture, data: SplitDataset, outputs: Int) {
        self.architecture = architecture
        var s: [(String, [T], [Int], Int)] = []
        for (name, d) in [("train", Optional(data.train)), ("validation", data.validation), ("test", data.test)] {
            guard let d, let labels = d.labels else { continue }
            s.append(("\(name)_accuracy", SampleCache.samples(T.self, d, outputs: outputs).x, labels, d.count))
        }
        splits = s
        workspace = Workspace<T>(architecture: architecture, capacity: 1024)
        values = Array(repeating: [], count: s.count)
    }

    func record(_ parameters: [T]) {
        let net = Network<T>(architecture: architecture, parameters: parameters)
        for (k, split) in splits.enumerated() {
            let predicted = net.predict(split.x, count: split.count, workspace: workspace).classes
            let correct = zip(predicted, split.labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
            values[k].append(split.count > 0 ? Double(correct) / Double(split.count) : 0)
        }
    }

    var columns: [(name: String, values: [Double])] { zip(splits, values).map { ($0.name, $1) } }

    /// The columns of `saved` (any order) in this run's order, when it has each of them with `epochs`
    /// rows and nothing else; nil otherwise.
    func matching(_ saved: [(name: String, values: [Double])], epochs: Int) -> [[Double]]? {
        guard saved.count == splits.count else { return nil }
        var out: [[Double]] = []
        for split in splits {
            guard let c = saved.first(where: { $0.name == split.name }), c.values.count == epochs else { return nil }
            out.append(c.values)
        }
        return out
    }

    /// The values of the epochs a resumed run did before its checkpoint (`columns` as saved then);
    /// false, changing nothing, when they do not fit (`matching`).
    func restore(_ saved: [(name: String, values: [Double])], epochs: Int) -> Bool {
        guard let v = matching(saved, epochs: epochs) else { return false }
        values = v
        return true
    }
}
