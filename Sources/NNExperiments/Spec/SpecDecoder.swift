import NNDatasets
import NNEngine

/// Decodes a spec's YAML tree (after `extends` and the sweep values are applied) into a `RunConfig`,
/// recording every mistake in `sink` rather than stopping at the first.
public struct SpecDecoder {
    /// The keys a spec may hold at the top level.
    public static let topLevelKeys = [
        "experiment", "description", "extends", "dataset", "model", "optimizer",
        "training", "regularization", "seed", "outputs", "sweep"
    ]
    static let modelKeys = [
        "layers", "hidden", "activation", "output", "loss", "reduction", "bias", "init",
        "init_biases", "leaky_slope", "elu_alpha", "dropout"
    ]
    static let trainingKeys = [
        "epochs", "minibatches", "batch_size", "shuffle", "precision", "early_stopping", "checkpoint"
    ]
    static let earlyStoppingKeys = ["tolerance", "patience", "monitor", "restore_best"]
    static let outputsKeys = ["cost", "confusion", "epoch_accuracy", "epoch_metrics", "weights", "diagnostics"]
    static let regularizationKeys = ["l1", "l2"]
    static let initKeys = ["uniform", "normal", "file"]
    static let sweepKeys = ["zip", "variants", "random", "halving"]
    /// `sweep.halving`'s keys (`Halving`).
    static var halvingKeys: [String] { Halving.keys }
    static let costGranularities = ["epoch", "minibatch"]
    static let activationNames = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "linear"]
    static let outputNames = ["sigmoid", "softmax", "linear"]

    /// Every optimizer option, in a stable order (for the schema and the docs test): the registry's.
    static var allOptimizerKeys: [String] { OptimizerRegistry.allKeys + firstOrderKeys }

    let sink: DiagnosticSink
    /// A decoder reporting into `sink`.
    public init(sink: DiagnosticSink) { self.sink = sink }

    /// The run `root` describes (relative paths against `specDirectory`), or nil after reporting its mistakes.
    public func decode(_ root: YAMLNode, specDirectory: String = ".") -> RunConfig? {
        // Top-level keys starting with `x-` are ignored: a place to define anchors for reuse.
        if let why = SpecLoader.notASpec(root) {
            // Never echo the content: the file may be anything (a password file given by mistake).
            sink.error(root, "this file is not a spec: \(why)")
            return nil
        }
        let scratch = (root.mapping ?? []).compactMap { $0.key.scalar }.filter { $0.hasPrefix("x-") }
        guard let top = MappingReader(root, path: "spec", sink: sink, allowed: Self.topLevelKeys + scratch) else {
            return nil
        }
        let name: String
        if let n = top["experiment"] {
            name = Scalars.string(n, name: "experiment", sink: sink) ?? "experiment"
            if !name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) || name.hasPrefix(".") {
                sink.error(
                    n,
                    "`experiment` names a results folder: use letters, digits, '-', '_' and '.' only, found '\(name)'")
            } else if name.utf8.count > SpecLimits.maxNameBytes {
                sink.error(
                    n,
                    "`experiment` names a results folder: at most \(SpecLimits.maxNameBytes) bytes, found \(name.utf8.count)"
                )
            }
        } else {
            sink.error(root, "missing key `experiment` (the experiment's name, used as its results folder)")
            name = "experiment"
        }
        let dataset = decodeDataset(top["dataset"], root: root, specDirectory: specDirectory)
        var config = RunConfig(experiment: name, dataset: dataset?.0 ?? DatasetConfig(source: .iris))
        config.dataSeed = dataset?.dataSeed
        config.specDirectory = specDirectory
        config.description = top.string("description", default: "") ?? ""
        if let s = top["seed"], let v = Scalars.int(s, name: "seed", sink: sink, min: 0) { config.seed = UInt64(v) }
        config.model = decodeModel(top["model"], root: root)
        config.training = decodeTraining(top["training"])
        config.optimizer = decodeOptimizer(top["optimizer"], root: root)
        config.regularization = decodeRegularization(top["regularization"])
        config.outputs = decodeOutputs(top["outputs"])
        checkPairings(config, top: top)
        config.experimentLocation = top["experiment"]?.location
        func record(_ node: YAMLNode, _ prefix: String, _ depth: Int) {
            guard depth > 0, let m = node.mapping else { return }
            for (k, v) in m {
                guard let key = k.scalar else { continue }
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                config.locations[path] = v.location
                record(v, path, depth - 1)
            }
        }
        record(root, "", 3)
        return config
    }

    // MARK: sections

    static var datasetKeys: [String] { DatasetSection.allKeys }

    func decodeDataset(_ node: YAMLNode?, root: YAMLNode, specDirectory: String) -> (DatasetConfig, dataSeed: UInt64?)?
    {
        guard let node else {
            sink.error(root, "missing key `dataset` (e.g. {name: mnist})")
            return nil
        }
        return DatasetSection(sink: sink, specDirectory: specDirectory).decode(node)
    }

    func decodeModel(_ node: YAMLNode?, root: YAMLNode) -> ModelConfig {
        var m = ModelConfig()
        guard let node else {
            sink.error(root, "missing key `model` (at least `layers` or `hidden`)")
            return m
        }
        guard let r = MappingReader(node, path: "model", sink: sink, allowed: Self.modelKeys) else { return m }
        if let l = r["layers"] ?? r["hidden"] { m.sizesLocation = l.location }
        if let l = r["layers"] {
            if r.has("hidden") { sink.error(r.keyNode("hidden")!, "give `model.layers` or `model.hidden`, not both") }
            if let sizes = Scalars.intList(l, name: "model.layers", sink: sink, min: 1, max: SpecLimits.maxLayerWidth) {
                if sizes.count < 2 {
                    sink.error(
                        l,
                        "`model.layers` needs at least an input and an output size, found \(sizes.count) entr\(sizes.count == 1 ? "y" : "ies")"
                    )
                }
                m.layers = .explicit(sizes)
            }
        } else if let h = r["hidden"] {
            if h.scalar != nil,
                let v = Scalars.int(h, name: "model.hidden", sink: sink, min: 1, max: SpecLimits.maxLayerWidth)
            {
                m.layers = .hidden([v])
            } else if h.scalar == nil,
                let sizes = Scalars.intList(h, name: "model.hidden", sink: sink, min: 1, max: SpecLimits.maxLayerWidth)
            {
                m.layers = .hidden(sizes)
            }
        } else {
            sink.error(
                node,
                "`model` needs `layers` (all sizes) or `hidden` (hidden sizes; input and output come from the data)")
        }
        let slope = r.double("leaky_slope", default: 0.01, min: 0)
        let alpha = r.double("elu_alpha", default: 1, min: 0, exclusiveMin: true)
        func activation(_ n: YAMLNode, _ names: [String], _ key: String) -> Activation? {
            guard let s = Scalars.choice(n, name: key, choices: names, sink: sink) else { return nil }
            switch s {
            case "sigmoid": return .sigmoid
            case "tanh": return .tanh
            case "relu": return .relu
            case "leaky_relu": return .leakyReLU(slope: slope)
            case "elu": return .elu(alpha: alpha)
            case "softmax": return .softmax
            default: return .linear
            }
        }
        if let a = r["activation"] {
            if let list = a.sequence {
                m.activations = list.compactMap { activation($0, Self.activationNames, "model.activation") }
                let hiddenCount: Int? = {
                    switch m.layers {
                    case .explicit(let s): return s.count - 2
                    case .hidden(let h): return h.count
                    }
                }()
                if let hc = hiddenCount, list.count != hc, list.count != 1 {
                    sink.error(
                        a,
                        "`model.activation` lists \(list.count) activations for \(hc) hidden layer\(hc == 1 ? "" : "s")"
                    )
                }
            } else if let act = activation(a, Self.activationNames, "model.activation") {
                m.activations = [act]
            }
        }
        if let o = r["output"], let act = activation(o, Self.outputNames, "model.output") { m.output = act }
        if let d = r["dropout"] { m.dropout = decodeDropout(d, layers: m.layers) }
        if let l = r["loss"],
            let s = Scalars.choice(l, name: "model.loss", choices: Loss.allCases.map(\.rawValue), sink: sink)
        {
            m.loss = Loss(rawValue: s)!
        }
        m.reduction = Reduction(rawValue: r.choice("reduction", Reduction.allCases.map(\.rawValue), default: "sum"))!
        m.bias = r.bool("bias", default: true)
        m.initBiases = r.bool("init_biases", default: false)
        if let i = r["init"] { decodeInit(i, into: &m) }
        return m
    }

    func decodeInit(_ node: YAMLNode, into m: inout ModelConfig) {
        let named = ["xavier", "xavier_uniform", "xavier_normal", "he", "epsilon"]
        if let s = node.scalar {
            switch Scalars.choice(node, name: "model.init", choices: named, sink: sink) {
            case "xavier", "xavier_uniform": m.initialization = .xavierUniform
            case "xavier_normal": m.initialization = .xavierNormal
            case "he": m.initialization = .he
            case "epsilon": m.initialization = .epsilon
            default: _ = s
            }
            return
        }
        guard let r = MappingReader(node, path: "model.init", sink: sink, allowed: Self.initKeys) else { return }
        guard let (k, v) = node.mapping?.first, node.mapping?.count == 1, let key = k.scalar else {
            sink.error(
                node,
                "`model.init` takes one of: a name (\(named.joined(separator: ", "))), {uniform: [low, high]}, {normal: [mean, std]} or {file: weights.npz}"
            )
            return
        }
        _ = r
        switch key {
        case "uniform", "normal":
            guard let pair = v.sequence, pair.count == 2,
                let a = Scalars.double(pair[0], name: "model.init.\(key)", sink: sink),
                let b = Scalars.double(pair[1], name: "model.init.\(key)", sink: sink)
            else {
                if v.sequence?.count != 2 {
                    sink.error(
                        v, "`model.init.\(key)` takes two numbers, [\(key == "uniform" ? "low, high" : "mean, std")]")
                }
                return
            }
            if key == "uniform" {
                if !(a < b) {
                    sink.error(
                        v, "`model.init.uniform` needs low < high, found [\(pair[0].scalar!), \(pair[1].scalar!)]")
                }
                m.initialization = .uniform(a, b)
            } else {
                if b < 0 {
                    sink.error(
                        pair[1], "`model.init.normal` standard deviation must be at least 0, found \(pair[1].scalar!)")
                }
                m.initialization = .normal(mean: a, std: b)
            }
        case "file":
            m.initFile = Scalars.string(v, name: "model.init.file", sink: sink)
        default: break
        }
    }

    func decodeTraining(_ node: YAMLNode?) -> TrainingSection {
        var t = TrainingSection()
        guard let r = MappingReader(node, path: "training", sink: sink, allowed: Self.trainingKeys) else { return t }
        t.epochs = r.int("epochs", default: t.epochs, min: 1, max: SpecLimits.maxSteps)
        if let k = r.optionalInt("minibatches", min: 1, max: SpecLimits.maxBatch) {
            t.batching = .count(k)
            if r.has("batch_size") {
                sink.error(r.keyNode("batch_size")!, "give `training.minibatches` or `training.batch_size`, not both")
            }
        } else if let s = r.optionalInt("batch_size", min: 1, max: SpecLimits.maxBatch) {
            t.batching = .size(s)
        }
        t.shuffle = r.bool("shuffle", default: false)
        t.precision = Precision(
            rawValue: r.choice("precision", Precision.allCases.map(\.rawValue), default: "float64"))!
        if let e = r["early_stopping"] {
            if e.scalar != nil {
                if Scalars.bool(e, name: "training.early_stopping", sink: sink) == true {
                    t.earlyStopping = EarlyStopping()
                }
            } else if let er = MappingReader(
                e, path: "training.early_stopping", sink: sink,
                allowed: Self.earlyStoppingKeys)
            {
                let monitor = er.choice(
                    "monitor", EarlyStopping.Monitor.allCases.map(\.rawValue),
                    default: EarlyStopping.Monitor.trainCost.rawValue)
                t.earlyStopping = EarlyStopping(
                    tolerance: er.double("tolerance", default: 1e-4, min: 0),
                    patience: er.int("patience", default: 10, min: 1, max: SpecLimits.maxSteps),
                    monitor: EarlyStopping.Monitor(rawValue: monitor) ?? .trainCost,
                    restoreBest: er.bool("restore_best", default: false))
            }
        }
        if let c = r["checkpoint"],
            let cr = MappingReader(c, path: "training.checkpoint", sink: sink, allowed: CheckpointSchedule.keys)
        {
            var schedule = CheckpointSchedule()
            schedule.every = cr.optionalInt("every", min: 1, max: SpecLimits.maxSteps)
            if cr.has("seconds") { schedule.seconds = cr.double("seconds", default: 60, min: 0, exclusiveMin: true) }
            if !cr.has("every") && !cr.has("seconds") {
                sink.error(
                    c, "`training.checkpoint` needs `every` (epochs or iterations) or `seconds`, e.g. {every: 10}")
            }
            t.checkpoint = schedule
        }
        return t
    }

    /// The optimizer named by `type`, its settings read by that optimizer's own unit (NNEngine's
    /// `OptimizerRegistry`); a key of another optimizer is reported with the keys this one takes.
    func decodeOptimizer(_ node: YAMLNode?, root: YAMLNode) -> OptimizerConfig {
        let fallback = OptimizerConfig.sgd(SGDConfig(learningRate: 0.1))
        guard let node else {
            sink.error(root, "missing key `optimizer` (e.g. {type: sgd, learning_rate: 0.1})")
            return fallback
        }
        guard node.mapping != nil else {
            sink.error(node, "`optimizer` must be a mapping, found \(node.kindDescription)")
            return fallback
        }
        let types = OptimizerRegistry.names
        guard let typeNode = node["type"] else {
            sink.error(node, "`optimizer` needs `type` (one of \(types.joined(separator: ", ")))")
            return fallback
        }
        guard let type = Scalars.choice(typeNode, name: "optimizer.type", choices: types, sink: sink),
            let kind = OptimizerRegistry.named(type)
        else { return fallback }
        // Keys every first-order optimizer takes besides its own (the trainer applies them).
        func shared(_ o: any Optimizer.Type) -> [String] {
            (o.isFullBatch ? [] : ["clip"]) + (o.acceptsSchedule ? ["schedule"] : [])
        }
        let mine = kind.keys + shared(kind)
        var notHere: [String: String] = [:]
        for other in OptimizerRegistry.all where other.name != type {
            for k in other.keys + shared(other) where !mine.contains(k) {
                notHere[k] =
                    "`optimizer.\(k)` does not apply to optimizer '\(type)' (it takes: \(mine.joined(separator: ", ")))"
            }
        }
        guard let r = MappingReader(node, path: "optimizer", sink: sink, allowed: ["type"] + mine, notHere: notHere)
        else { return fallback }
        let settings = kind.init(reading: r)
        let schedule = r["schedule"].flatMap(decodeSchedule)
        if schedule != nil, let decay = DecayRule.keys.first(where: r.has) {
            sink.error(r.keyNode(decay)!, "give `optimizer.\(decay)` (a decay rule) or `optimizer.schedule`, not both")
        }
        return OptimizerConfig(settings, clip: r["clip"].flatMap(decodeClip), schedule: schedule)
    }

    /// Keys first-order optimizers take beyond their own (`schedule` only those with a learning rate).
    static let firstOrderKeys = ["clip", "schedule"]

    /// `optimizer.schedule: {type: …, …}`.
    func decodeSchedule(_ node: YAMLNode) -> LearningRateSchedule? {
        guard node.mapping != nil else {
            sink.error(node, "`optimizer.schedule` must be a mapping, found \(node.kindDescription)")
            return nil
        }
        let types = LearningRateSchedule.typeNames
        guard let typeNode = node["type"] else {
            sink.error(node, "`optimizer.schedule` needs `type` (one of \(types.joined(separator: ", ")))")
            return nil
        }
        guard let type = Scalars.choice(typeNode, name: "optimizer.schedule.type", choices: types, sink: sink) else {
            return nil
        }
        let mine = ["type", "warmup"] + LearningRateSchedule.keys(type)
        var notHere: [String: String] = [:]
        for k in LearningRateSchedule.allKeys where !mine.contains(k) {
            notHere[k] =
                "`optimizer.schedule.\(k)` does not apply to schedule '\(type)' (it takes: \(mine.dropFirst().joined(separator: ", ")))"
        }
        guard let r = MappingReader(node, path: "optimizer.schedule", sink: sink, allowed: mine, notHere: notHere)
        else { return nil }
        return LearningRateSchedule(type: type, reading: r)
    }

    /// `optimizer.clip: {norm: X}` or `{value: X}`, X > 0.
    func decodeClip(_ node: YAMLNode) -> GradientClip? {
        guard let r = MappingReader(node, path: "optimizer.clip", sink: sink, allowed: GradientClip.kinds) else {
            return nil
        }
        guard node.mapping?.count == 1, let key = node.mapping?.first?.key.scalar, GradientClip.kinds.contains(key)
        else {
            sink.error(
                node,
                "`optimizer.clip` takes one of {norm: X} (cap the gradient's L2 norm) or {value: X} (cap each component)"
            )
            return nil
        }
        let c = r.double(key, default: 0, min: 0, exclusiveMin: true)
        guard c > 0 else { return nil }
        return key == "norm" ? .norm(c) : .value(c)
    }

    func decodeRegularization(_ node: YAMLNode?) -> Regularization {
        guard let r = MappingReader(node, path: "regularization", sink: sink, allowed: Self.regularizationKeys) else {
            return .none
        }
        return Regularization(l1: r.double("l1", default: 0, min: 0), l2: r.double("l2", default: 0, min: 0))
    }

    /// `model.dropout`: one drop probability for every hidden layer, or one per hidden layer, each in [0, 1).
    func decodeDropout(_ d: YAMLNode, layers: LayerSizes) -> [Double]? {
        func rate(_ n: YAMLNode) -> Double? {
            guard let v = Scalars.double(n, name: "model.dropout", sink: sink, min: 0) else { return nil }
            if !(v < 1) {
                sink.error(
                    n, "`model.dropout` must be less than 1 (the share of units dropped), found \(n.scalar ?? "")")
                return nil
            }
            return v
        }
        guard let list = d.sequence else { return rate(d).map { [$0] } }
        let rates = list.compactMap(rate)
        let hidden: Int = {
            switch layers {
            case .explicit(let s): return s.count - 2
            case .hidden(let h): return h.count
            }
        }()
        if list.isEmpty || (list.count != hidden && list.count != 1) {
            sink.error(
                d,
                "`model.dropout` lists \(list.count) rate\(list.count == 1 ? "" : "s") for \(hidden) hidden layer\(hidden == 1 ? "" : "s")"
            )
            return nil
        }
        return rates.count == list.count ? rates : nil
    }

    func decodeOutputs(_ node: YAMLNode?) -> OutputsConfig {
        var o = OutputsConfig()
        guard let r = MappingReader(node, path: "outputs", sink: sink, allowed: Self.outputsKeys) else { return o }
        o.cost = CostGranularity(rawValue: r.choice("cost", Self.costGranularities, default: "epoch"))!
        o.epochAccuracy = r.bool("epoch_accuracy", default: false)
        o.epochMetrics = r.bool("epoch_metrics", default: false)
        o.weights = r.bool("weights", default: true)
        o.diagnostics = r.bool("diagnostics", default: false)
        if let c = r["confusion"] {
            if let items = c.sequence {
                o.confusion = items.compactMap {
                    Scalars.choice($0, name: "outputs.confusion", choices: ["train", "validation", "test"], sink: sink)
                }
            } else if let b = Scalars.bool(c, name: "outputs.confusion", sink: sink) {
                o.confusion = b ? o.confusion : []
            }
        }
        return o
    }

    /// "a, b or c".
    static func orList(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " or " + items.last!
    }

    /// Combinations that are each valid alone but not together.
    func checkPairings(_ c: RunConfig, top: MappingReader) {
        if c.model.dropout != nil, c.optimizer.isFullBatch, let at = top["model"]?["dropout"] {
            sink.error(
                at,
                "`model.dropout` needs a first-order optimizer: '\(c.optimizer.name)' searches along lines of one fixed cost, which random masks would change from step to step"
            )
        }
        if c.outputs.diagnostics, c.optimizer.isFullBatch, let at = top["outputs"]?["diagnostics"] {
            sink.error(
                at, "`outputs.diagnostics` needs epochs, but optimizer '\(c.optimizer.name)' runs full-batch iterations"
            )
        }
        if c.outputs.epochAccuracy, c.optimizer.isFullBatch, let at = top["outputs"]?["epoch_accuracy"] {
            sink.error(
                at,
                "`outputs.epoch_accuracy` needs epochs, but optimizer '\(c.optimizer.name)' runs full-batch iterations")
        }
        if c.outputs.epochMetrics, c.optimizer.isFullBatch, let at = top["outputs"]?["epoch_metrics"] {
            sink.error(
                at,
                "`outputs.epoch_metrics` needs epochs, but optimizer '\(c.optimizer.name)' runs full-batch iterations")
        }
        if let e = c.training.earlyStopping, e.monitor != .trainCost, c.dataset.split.validation == nil,
            let at = top["training"]?["early_stopping"]?["monitor"]
        {
            sink.error(
                at,
                "`training.early_stopping.monitor: \(e.monitor.rawValue)` needs a validation split: add `dataset.split.validation` (e.g. `validation: 0.1`) or monitor train_cost"
            )
        }
        let m = c.model
        if !m.loss.accepts(output: m.output), let model = top["model"] {
            let at = model["loss"] ?? model["output"] ?? model
            let want = m.loss == .logistic ? "sigmoid" : "softmax or sigmoid"
            sink.error(at, "loss '\(m.loss.rawValue)' needs a \(want) output, but `model.output` is '\(m.output)'")
        }
        if c.outputs.cost == .minibatch, c.optimizer.isFullBatch, let at = top["outputs"]?["cost"] {
            let minibatch = OptimizerRegistry.all.filter { !$0.isFullBatch }.map { $0.name }
            sink.error(
                at,
                "`outputs.cost: minibatch` needs a minibatch optimizer (\(Self.orList(minibatch))); '\(c.optimizer.name)' works on the full batch and records one cost per iteration in cost.csv"
            )
        }
        if let training = top["training"], let at = training["minibatches"] ?? training["batch_size"],
            let problem = c.optimizer.batchingProblem(c.training.batching)
        {
            sink.error(at, problem)
        }
        checkIgnoredOptions(c, top: top)
    }

    /// Options that are valid keys but would have no effect in this combination: an error at the
    /// key rather than a silent no-op (a changed no-op would still force a retrain).
    func checkIgnoredOptions(_ c: RunConfig, top: MappingReader) {
        func key(_ section: YAMLNode?, _ name: String) -> YAMLNode? {
            section?.mapping?.first(where: { $0.key.scalar == name })?.key
        }
        if let why = c.optimizer.settings.checkpointProblem, let at = key(top["training"], "checkpoint") {
            sink.error(at, "`training.checkpoint` does not apply to optimizer '\(c.optimizer.name)': \(why); remove it")
        }
        if c.optimizer.isFullBatch {
            for k in ["epochs", "batch_size", "minibatches", "shuffle", "early_stopping"] {
                if let at = key(top["training"], k) {
                    sink.error(
                        at,
                        "`training.\(k)` does not apply to optimizer '\(c.optimizer.name)', which minimises the full-batch cost for `optimizer.max_iterations` iterations; remove it"
                    )
                }
            }
        } else if let o = top["optimizer"], o.mapping != nil {
            let rule = o["decay_rule"]?.scalar ?? (o["decay_every"] != nil ? "step" : "inverse-time")
            if rule != "step", let at = key(o, "decay_every") {
                sink.error(at, "`optimizer.decay_every` applies only to `decay_rule: step`, not '\(rule)'")
            }
            if rule != "step", let at = key(o, "decay_factor") {
                sink.error(
                    at,
                    "`optimizer.decay_factor` applies only to `decay_rule: step` (with `decay_every`), not '\(rule)'")
            }
            if rule == "step", let at = key(o, "decay") {
                sink.error(
                    at,
                    "`optimizer.decay` does not apply to `decay_rule: step`, whose rate is learning_rate × decay_factor^⌊epoch / decay_every⌋"
                )
            }
        }
        if c.model.output == .softmax, case .explicit(let sizes) = c.model.layers, sizes.last == 1 {
            sink.error(
                top["model"]?["output"] ?? top["model"] ?? top.node,
                "a softmax over one output unit is always 1 (cost 0, nothing learnt): use `output: sigmoid` for one unit, or two outputs"
            )
        }
    }
}
