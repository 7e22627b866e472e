/// The toolkit's version, printed by `egan --version` and recorded in report provenance.
public enum EffectiveGANVersion {
    public static let current = "0.1.0"
}
