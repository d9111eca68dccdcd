/// Every dataset source a spec can name, one line each, in the order messages and docs list them.
/// Adding a source: its own file (arguments, validation, shape, loading) and one line here.
public enum SourceRegistry {
    /// Every source, once; the spec decoder, canonical config, estimates and docs test derive from it.
    public static var all: [any DataSource.Type] {
        [
            MNISTSource.self,
            FashionMNISTSource.self,
            IrisSource.self,
            MoonsSource.self,
            CirclesSource.self,
            XORSource.self,
            BlobsSource.self,
            SpiralsSource.self,
            InlineSource.self,
            CSVSource.self,
            NPZSource.self
        ]
    }

    /// The source whose `dataset.name` is `name`.
    public static func named(_ name: String) -> (any DataSource.Type)? { all.first { $0.name == name } }

    /// Every `dataset.name`, in registry order.
    public static var names: [String] { all.map { $0.name } }

    /// Every key of every source, each once, in registry order.
    public static var allKeys: [String] {
        var seen: [String] = []
        for s in all { for k in s.keys where !seen.contains(k) { seen.append(k) } }
        return seen
    }
}
