import Foundation
import GSLBridge
import LinearAlgebra

extension ModelConfig {
    /// Every number of the model (spec §8), drawn from the seeded mt19937 streams.
    ///
    /// Random streams, each from its own seed: target samples (mode-major, coordinate-minor), the initial cloud
    /// (particle-major), the discriminator (W row-major, then b).
    public func resolve() -> ResolvedModel {
        let targets = target.points(dimension: dimension)
        let n = generator.particles
        let equilibrium = (0..<n).map { targets[$0 % targets.count] }
        return ResolvedModel(
            targets: targets, particles: equilibrium,
            initialParticles: generator.initial.points(equilibrium: equilibrium),
            kernel: generator.kernel.matrix(particles: n, learningRate: generator.learningRate),
            discriminator: discriminator.resolve(dimension: dimension * discriminator.pack),
            learning: discriminator.learning,
            pack: discriminator.pack, likelihood: generator.likelihood, loss: loss,
            regularizer: regularizer.kind,
            gamma: regularizer.strength, targetSource: target.source,
            targetModes: target.samplesPerMode > 1 ? (0..<targets.count).map { $0 / target.samplesPerMode } : nil)
    }
}

extension TargetSpec {
    /// Where data targets came from (nil for the geometric kinds).
    var source: TargetSource? {
        if case let .data(data) = layout { return data.source }
        return nil
    }

    /// Mode centres in `dimension` coordinates (unused coordinates are 0).
    func modeCentres(dimension: Int) -> [[Double]] {
        func point(_ first: Double, _ second: Double = 0) -> [Double] {
            var p = [Double](repeating: 0, count: dimension)
            p[0] = first
            if dimension > 1 { p[1] = second }
            return p
        }
        switch layout {
        case let .points(points):
            return points
        case let .data(data):
            return data.points
        case let .ring(modes, radius):
            return (0..<modes).map { k in
                let angle = 2 * Double.pi * Double(k) / Double(modes)
                return point(radius * cos(angle), radius * sin(angle))
            }
        case let .line(modes, spacing):
            let centre = Double(modes - 1) / 2
            return (0..<modes).map { point((Double($0) - centre) * spacing) }
        case let .grid(side, spacing):
            let centre = Double(side - 1) / 2
            return (0..<(side * side)).map { k in
                point((Double(k / side) - centre) * spacing, (Double(k % side) - centre) * spacing)
            }
        }
    }

    /// The M target points: `samplesPerMode` Gaussian samples of std `spread` around each centre.
    func points(dimension: Int) -> [[Double]] {
        let centres = modeCentres(dimension: dimension)
        guard samplesPerMode > 1 || spread > 0 else { return centres }
        let rng = MersenneTwister(seed: UInt(bitPattern: seed))
        return centres.flatMap { centre in
            (0..<samplesPerMode).map { _ in centre.map { $0 + rng.gaussian(sigma: spread) } }
        }
    }
}

extension KernelSpec {
    /// K = (η_G/N)·Θ (spec §4), N × N or (N·d) × (N·d) like Θ.
    func matrix(particles n: Int, learningRate: Double) -> [[Double]] {
        let scale = learningRate / Double(n)
        switch self {
        case let .universal(ratio, selfValue):
            // Θ = g₁[(1 − φ) I + φ 𝟙𝟙ᵀ]: diagonal η_G g₁/N, off-diagonal η_G g₁ φ/N (rounded as η_G·g₁ first, as
            // every stored result since the first release was).
            let diagonal = learningRate * selfValue / Double(n)
            let offDiagonal = diagonal * ratio
            return (0..<n).map { i in (0..<n).map { j in i == j ? diagonal : offDiagonal } }
        case let .explicit(rows):
            return rows.map { $0.map { scale * $0 } }
        case let .ntk(network, latentDimension, distribution, seed):
            // Sample generation cannot fail here: both sizes were validated.
            let z =
                (try? distribution.samples(count: n, dimension: latentDimension, seed: seed))
                ?? Matrix(rows: n, columns: 1)
            return network.infiniteWidthKernel(latents: z).rowArrays.map { $0.map { scale * $0 } }
        }
    }
}

extension InitSpec {
    func points(equilibrium: [[Double]]) -> [[Double]] {
        switch self {
        case let .points(points):
            return points
        case let .gaussian(center, std, seed):
            let rng = MersenneTwister(seed: UInt(bitPattern: seed))
            return equilibrium.map { _ in center.map { $0 + rng.gaussian(sigma: std) } }
        case let .aroundTargets(std, seed):
            let rng = MersenneTwister(seed: UInt(bitPattern: seed))
            return equilibrium.map { $0.map { $0 + rng.gaussian(sigma: std) } }
        }
    }
}

extension DiscriminatorSpec {
    func resolve(dimension: Int) -> ResolvedModel.Discriminator {
        switch kind {
        case .linear:
            return .linear(outputBias: outputBias, weightDecay: weightDecay)
        case .mlp:
            // One stream: every layer's W (row-major, input side first), then every layer's b; with one layer that
            // is spec §1's "W rows first, then b". Every W entry ~ N(0, weightStd²) (the H^{-1/2} of each layer is
            // in the forward pass, not in the draw).
            let rng = MersenneTwister(seed: UInt(bitPattern: seed))
            let inputs = [dimension] + layers.dropLast()
            let weights = zip(layers, inputs).map { width, count in
                (0..<width).map { _ in (0..<count).map { _ in rng.gaussian(sigma: weightStd) } }
            }
            let biases = layers.map { width in
                (0..<width).map { _ in
                    hiddenBias == .uniform2pi ? 2 * Double.pi * rng.uniform() : rng.gaussian(sigma: hiddenBiasStd)
                }
            }
            return .mlp(
                MLPCritic(
                    activation: activation, training: training,
                    layers: zip(weights, biases).map { MLPCritic.Layer(weights: $0, biases: $1) },
                    outputBias: outputBias,
                    weightDecay: weightDecay))
        }
    }
}
