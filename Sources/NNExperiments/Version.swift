/// nnexp's version, written into every run's config.yaml.
public enum NNExpVersion {
    public static let string = "0.1.0"
}
