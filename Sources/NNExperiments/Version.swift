/// nnexp's version, written into every run's config.yaml.
public enum NNExpVersion {
    /// The version text, e.g. `0.1.0`.
    public static let string = "0.1.0"
}
