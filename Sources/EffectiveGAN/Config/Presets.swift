import Foundation

/// Built-in models, usable wherever a config file is.
///
/// Every preset whose regulariser is on carries a strength γ > 0, so `analyze`, `steps` and `crosscheck` describe a
/// damped GAN as typed: dirac γ = 1 (underdamped, λ = −½ ± i√3/2 by spec §6), ring8 γ = 10 and line2 γ = 1 (each
/// near, and below, its optimum: 19.09 and 1.07; `egan optimize NAME` finds it). Commands that sweep γ ignore it.
public enum Preset: String, CaseIterable, Sendable {
    case dirac
    case ring8
    case ring8Near = "ring8-near"
    case line2
    case ring8Collapse = "ring8-collapse"
    case digits100

    /// The preset `egan report` uses when given no config.
    public static let defaultPreset = Preset.ring8

    /// One line for `egan presets`.
    public var summary: String {
        switch self {
        case .dirac:
            return
                "Mescheder's Dirac GAN: one particle, target at 0, linear D without bias, wgan + r1 γ = 1 (spec §6 oracle)"
        case .ring8:
            return
                "8 modes on a ring of radius 2, 8 particles, φ = 0.1, 64 cos random features (outer), wgan + r1 γ = 10"
        case .ring8Near:
            return
                "ring8 starting near its equilibrium (each particle 0.05 from its target): where linear theory predicts the run"
        case .ring8Collapse:
            return
                "mode-collapse study: 32 particles in a narrow cloud (std 0.05) at (0.8, 0), 8 ring modes, 64 cos features, wgan + r1 γ = 1"
        case .line2:
            return
                "2 modes at ±1 on a line, 2 particles, tanh MLP of width 16 with all weights trained, nonsaturating + r1 γ = 1"
        case .digits100:
            return
                "100 real handwritten digits (8 × 8, standardised; bundled), 100 particles from a small cloud, relu MLP of width 256 trained all, wgan + r1 γ = 1"
        }
    }

    /// Presets that are another preset with a few keys changed.
    var derivation: (base: Preset, changes: [([String], JSONValue)])? {
        switch self {
        case .ring8Near:
            let nearTargets = JSONValue.object([
                ("kind", .string("targets")), ("std", .number(0.05)), ("seed", .integer(2)),
            ])
            return (.ring8, [(["name"], .string("ring8-near")), (["generator", "init"], nearTargets)])
        default:
            return nil
        }
    }

    /// The preset's config document (what a user could save and edit).
    public var document: JSONValue {
        get throws {
            if let (base, changes) = derivation {
                return try changes.reduce(base.document) { try $0.setting(path: $1.0, to: $1.1) }
            }
            return try JSONValue.parse(Data(json.utf8), source: "preset \(rawValue)")
        }
    }

    /// The config text of a preset written out in full (derived presets have none).
    var json: String {
        switch self {
        case .ring8Near:
            return ""
        case .dirac:
            return """
                {"name": "dirac", "dimension": 1,
                 "target": {"kind": "points", "points": [[0.0]]},
                 "generator": {"particles": 1, "learningRate": 1.0, "kernel": {"kind": "universal", "ratio": 0.0},
                               "init": {"kind": "points", "points": [[1.0]]}},
                 "discriminator": {"kind": "linear", "learningRate": 1.0, "outputBias": false},
                 "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
                """
        case .ring8:
            return """
                {"name": "ring8", "dimension": 2,
                 "target": {"kind": "ring", "modes": 8, "radius": 2.0, "samplesPerMode": 1, "spread": 0.0, "seed": 1},
                 "generator": {"particles": 8, "learningRate": 1.0, "kernel": {"kind": "universal", "ratio": 0.1},
                               "init": {"kind": "gaussian", "center": [0, 0], "std": 0.1, "seed": 2}},
                 "discriminator": {"kind": "mlp", "width": 64, "activation": "cos", "train": "outer", "weightStd": 1.0,
                                   "hiddenBias": "uniform-2pi", "seed": 3, "learningRate": 1.0},
                 "loss": "wgan", "regularizer": {"kind": "r1", "strength": 10.0}}
                """
        case .ring8Collapse:
            return """
                {"name": "ring8-collapse", "dimension": 2,
                 "target": {"kind": "ring", "modes": 8, "radius": 2.0},
                 "generator": {"particles": 32, "learningRate": 1.0, "kernel": {"kind": "universal", "ratio": 0.0},
                               "init": {"kind": "gaussian", "center": [0.8, 0.0], "std": 0.05, "seed": 1}},
                 "discriminator": {"kind": "mlp", "width": 64, "activation": "cos", "train": "outer", "weightStd": 1.0,
                                   "seed": 3, "learningRate": 1.0},
                 "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
                """
        case .digits100:
            // weightStd = 1/√d keeps the pre-activations O(1) on standardised pixels (unit overall variance).
            return """
                {"name": "digits100", "dimension": 64,
                 "target": {"kind": "dataset", "name": "digits100", "standardize": true},
                 "generator": {"particles": 100, "learningRate": 1.0, "kernel": {"kind": "universal", "ratio": 0.1},
                               "init": {"kind": "gaussian", "std": 0.1, "seed": 2}},
                 "discriminator": {"kind": "mlp", "width": 256, "activation": "relu", "train": "all", "weightStd": 0.125,
                                   "hiddenBias": "normal", "hiddenBiasStd": 1.0, "seed": 3, "learningRate": 1.0},
                 "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
                """
        case .line2:
            return """
                {"name": "line2", "dimension": 1,
                 "target": {"kind": "line", "modes": 2, "spacing": 2.0},
                 "generator": {"particles": 2, "learningRate": 1.0, "kernel": {"kind": "universal", "ratio": 0.0},
                               "init": {"kind": "gaussian", "center": [0], "std": 0.1, "seed": 2}},
                 "discriminator": {"kind": "mlp", "width": 16, "activation": "tanh", "train": "all", "weightStd": 1.0,
                                   "hiddenBias": "normal", "hiddenBiasStd": 1.0, "seed": 3, "learningRate": 1.0},
                 "loss": "nonsaturating", "regularizer": {"kind": "r1", "strength": 1.0}}
                """
        }
    }
}
