/// Every optimizer a spec can name, one line each, in the order messages and docs list them.
/// Adding an optimizer: its own file (settings, update rule, keys, validation) and one line here.
public enum OptimizerRegistry {
    /// Every optimizer, once; the spec decoder, canonical config, `nnexp check` messages and docs test derive from it.
    public static var all: [any Optimizer.Type] {
        [
            SGDConfig.self,
            AdamConfig.self,
            BFGSConfig.self,
            LBFGSConfig.self,
            CGConfig.self,
            RpropConfig.self,
            RMSpropConfig.self,
            AdagradConfig.self,
            AdamWConfig.self
        ]
    }

    /// The optimizer whose `optimizer.type` is `name`.
    public static func named(_ name: String) -> (any Optimizer.Type)? { all.first { $0.name == name } }

    /// Every `optimizer.type`, in registry order.
    public static var names: [String] { all.map { $0.name } }

    /// Every key of every optimizer, each once, in registry order.
    public static var allKeys: [String] {
        var seen: [String] = []
        for o in all { for k in o.keys where !seen.contains(k) { seen.append(k) } }
        return seen
    }
}
