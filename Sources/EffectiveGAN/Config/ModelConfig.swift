/// A model described by its construction (spec §8): which targets, how many particles, which kernel and
/// discriminator. `resolve()` turns it into a `ResolvedModel`, which lists every number.
public struct ModelConfig: Equatable, Sendable {
    /// A short name used for report titles and file names.
    public var name: String
    /// The output-space dimension d.
    public var dimension: Int
    public var target: TargetSpec
    public var generator: GeneratorSpec
    public var discriminator: DiscriminatorSpec
    public var loss: Loss
    public var regularizer: RegularizerSpec
}

/// The target distribution: M points of equal weight 1/M.
public struct TargetSpec: Equatable, Sendable {
    /// Where the mode centres sit.
    public enum Layout: Equatable, Sendable {
        /// An explicit list of mode centres.
        case points([[Double]])
        /// `modes` centres on a circle of `radius` in the first two coordinates, the first at angle 0.
        case ring(modes: Int, radius: Double)
        /// `modes` centres on the first axis, `spacing` apart, centred on the origin.
        case line(modes: Int, spacing: Double)
        /// `side × side` centres in the first two coordinates, `spacing` apart, centred; first coordinate slowest.
        case grid(side: Int, spacing: Double)
        /// Points read from a data file or a bundled data set (kinds `file` and `dataset`).
        case data(DataTargets)
    }

    public var layout: Layout
    /// Samples drawn around each mode centre (mode-major order: all samples of mode 0 first).
    public var samplesPerMode: Int
    /// Standard deviation of the Gaussian samples; 0 gives the centres themselves.
    public var spread: Double
    /// Seed of the sampling stream (mt19937).
    public var seed: Int
}

/// The generator's effective description: particles, their learning rate and the kernel coupling them.
public struct GeneratorSpec: Equatable, Sendable {
    /// Number of particles N.
    public var particles: Int
    /// Generator learning rate η_G: K = (η_G/N)·Θ.
    public var learningRate: Double
    public var kernel: KernelSpec
    public var initial: InitSpec
    /// `likelihood`: likelihood guidance toward the targets' kernel density estimate.
    public var likelihood: LikelihoodGuidance?
    /// `network`: a finite generator; its kernel is Θ(w*) at the matched equilibrium (set when the config is read).
    public var network: NetworkGenerator?
    /// w*, Θ(w*) and the fit's residual, for a network generator.
    public var networkEquilibrium: NetworkEquilibrium?
}

/// The generator's tangent kernel Θ on its N latent samples (spec §4). Every kind runs on one clock: the
/// generator's loss is a mean over the N samples and it learns at η_G, so K = (η_G/N)·Θ.
public enum KernelSpec: Equatable, Sendable {
    /// Θ = g₁[(1 − φ) I + φ 𝟙𝟙ᵀ]: `ratio` φ = g₂/g₁, `selfValue` g₁.
    case universal(ratio: Double, selfValue: Double)
    /// Θ as measured: a symmetric positive semi-definite N × N matrix (acting as Θ ⊗ I_d) or an (N·d) × (N·d)
    /// block matrix (rows particle-major, row i·d + a), given inline (`matrix`) or read from a file (`path`).
    case explicit([[Double]])
    /// Θ the infinite-width NTK of a generator network at N seeded latent samples, as computed (no normalisation:
    /// its mean diagonal plays g₁).
    case ntk(network: GeneratorNetwork, latentDimension: Int, distribution: LatentDistribution, seed: Int)

    /// Θ = I, K = (η_G/N)·I: the push a generator network's outputs receive before Jᵀ (`NetworkFlow`), and the
    /// resolved kernel of a network read with `fit: false`.
    static let push = KernelSpec.universal(ratio: 0, selfValue: 1)
}

/// Where simulations start (the equilibrium is always the `matched` state of spec §5).
public enum InitSpec: Equatable, Sendable {
    /// Each coordinate of each particle is `center[c] + std · N(0, 1)`, drawn particle-major from seed `seed`.
    case gaussian(center: [Double], std: Double, seed: Int)
    /// Explicit starting positions, one per particle.
    case points([[Double]])
    /// Each particle at its matched target (particle i at y_{i mod M}) plus `std · N(0, 1)` per coordinate:
    /// a start near equilibrium, where the linear analysis should predict the nonlinear run.
    case aroundTargets(std: Double, seed: Int)
}

/// The discriminator's construction (spec §1 and §8).
public struct DiscriminatorSpec: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Sendable { case linear, mlp }
    /// How the hidden biases b_k are drawn.
    public enum HiddenBias: String, CaseIterable, Sendable {
        /// b_k uniform on [0, 2π): the default for sin/cos (random Fourier features).
        case uniform2pi = "uniform-2pi"
        /// b_k ~ N(0, hiddenBiasStd²): the default for other activations.
        case normal
    }

    public var kind: Kind
    /// `learningRate` (η_D, or "optimal") and `memory`/`memoryWeight` (fictitious play): how it learns.
    public var learning: CriticLearning
    /// `pack`: packing size m (`Packing`).
    public var pack: Int
    /// Whether the output bias c exists (and is trained).
    public var outputBias: Bool
    /// Fixed weight decay μ ≥ 0 (adds −μ·½‖θ‖² to V_D, not swept).
    public var weightDecay: Double
    /// Hidden widths H_1 … H_L, input side first (mlp only): `layers`, or `width` for one layer.
    public var layers: [Int]
    /// H_L, the readout's width (mlp only; 0 for linear).
    public var width: Int { layers.last ?? 0 }
    /// The key the widths came from (`discriminator.layers` or `discriminator.width`), for messages about them.
    public var widthsKey: String
    public var activation: Activation
    public var training: Training
    /// Standard deviation of the Gaussian entries of W; the random-feature bandwidth is its inverse.
    public var weightStd: Double
    public var hiddenBias: HiddenBias
    public var hiddenBiasStd: Double
    /// Seed of the W, b stream (mt19937): W row-major first, then b.
    public var seed: Int
}

/// The regulariser and its strength γ ≥ 0 (the swept parameter).
public struct RegularizerSpec: Equatable, Sendable {
    public var kind: RegularizerKind
    public var strength: Double
}

extension InitSpec {
    /// The same initial cloud drawn from another seed (`ModelEdit` of `generator.init.seed`); nil for explicit
    /// points, which have no seed (the edit refuses the key for them).
    func reseeded(_ seed: Int) -> InitSpec? {
        switch self {
        case let .gaussian(center, std, _): return .gaussian(center: center, std: std, seed: seed)
        case let .aroundTargets(std, _): return .aroundTargets(std: std, seed: seed)
        case .points: return nil
        }
    }
}
