import ArgumentParser
import EffectiveGAN
import LinearAlgebra
import ResultForms

extension GeneratorNetwork.Activation: ExpressibleByArgument {}
extension GeneratorNetwork.Training: ExpressibleByArgument {}
extension LatentDistribution: ExpressibleByArgument {}

struct KernelCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel", abstract: "A generator network's NTK at N latent samples, and how universal it is.",
        discussion: """
            Computes the infinite-width NTK Θ(z_i, z_j) of a fully connected generator (NTK parameterisation: \
            h¹ = (σ_w/√d_z) W¹z + σ_b b¹, h^{l+1} = (σ_w/√n) W^{l+1} φ(h^l) + σ_b b^{l+1}, all entries N(0, 1)) by the \
            layer recursion (arc-cosine forms for relu, Williams' forms for erf, Gauss–Hermite quadrature for tanh), \
            the empirical NTK J Jᵀ of finite random networks of --width averaged over --networks seeds, and the best \
            universal fit g₁ (diagonal), g₂ (off-diagonal), φ = g₂/g₁ with its relative residual. Use φ as \
            generator.kernel.ratio, or put {"kind": "ntk", …} in a config to use Θ itself.
              egan kernel --latent-dim 64 --latent-samples 16
              egan kernel --depth 3 --activation tanh --latent-dim 512 --latent-samples 32 --width 2048 --format json
            """)

    @Option(help: "Hidden layers L (1 to 64).", transform: { try Checked.count($0, in: 1...64) })
    var depth: Int = 1
    @Option(help: "Hidden width of the finite networks (empirical NTK).", transform: Checked.count(atLeast: 1))
    var width: Int = 1024
    @Option(help: "relu, erf or tanh.")
    var activation: GeneratorNetwork.Activation = .relu
    @Option(help: "Weight variance σ_w² (> 0).", transform: Checked.positive)
    var weightVar: Double = 1
    @Option(help: "Bias variance σ_b² (≥ 0).", transform: Checked.finite)
    var biasVar: Double = 0
    @Option(help: "Latent dimension d_z.", transform: Checked.count(atLeast: 1))
    var latentDim: Int = 64
    @Option(help: "Number of latent samples N (particles).", transform: Checked.count(atLeast: 1))
    var latentSamples: Int = 16
    /// `--samples` was this option's name; it clashed with simulate's sample times and stays as a hidden alias.
    @Option(name: .customLong("samples"), help: .hidden, transform: Checked.count(atLeast: 1))
    var legacySamples: Int?
    var samples: Int { legacySamples ?? latentSamples }
    @Option(help: "gaussian or sphere (radius √d_z).")
    var distribution: LatentDistribution = .gaussian
    @Option(help: "Seed of the latent samples (a whole number ≥ 0).", transform: Checked.seed)
    var seed: Int = 4
    @Option(
        help: "Random networks averaged for the empirical NTK (0: skip it; at most 1000).",
        transform: { try Checked.count($0, in: 0...1000) })
    var networks: Int = 4
    @Option(help: "all (full NTK) or readout (last layer only).")
    var train: GeneratorNetwork.Training = .all
    @OptionGroup var output: FormatOption

    func execute() throws -> String {
        let json = try output.chosen(csvRows: false, command: "kernel") == .json
        guard networks >= 0 else { throw KernelError.invalid("--networks must be ≥ 0 (got \(networks))") }
        let network = try GeneratorNetwork(
            depth: depth, activation: activation, weightVariance: weightVar, biasVariance: biasVar, training: train)
        let z = try distribution.samples(count: samples, dimension: latentDim, seed: seed)
        let exact = network.infiniteWidthKernel(latents: z)
        // A kernel that underflows to zero has no φ = g₂/g₁ (0/0): refused like one that overflows.
        guard exact.storage.allSatisfy(\.isFinite), UniversalFit(exact).g1 > 0 else {
            throw KernelError.invalid(
                "the kernel overflows or vanishes (non-finite or zero entries) with σ_w² = \(weightVar), σ_b² = \(biasVar); use variances of order 1"
            )
        }
        let fit = UniversalFit(exact)
        let draws = try parallelMap(networks) {
            try network.empiricalKernel(latents: z, width: width, seed: seed &+ 1000 &+ $0)
        }
        var mean: Matrix?
        if let first = draws.first {
            var sum = first
            for draw in draws.dropFirst() { for k in sum.storage.indices { sum.storage[k] += draw.storage[k] } }
            for k in sum.storage.indices { sum.storage[k] /= Double(draws.count) }
            mean = sum
        }
        let deviation = mean.map { ($0 - exact).frobeniusNorm / exact.frobeniusNorm }
        let empiricalFit = mean.map(UniversalFit.init)
        let comparison = KernelComparison(
            network: network, latentDimension: latentDim, samples: samples, distribution: distribution, seed: seed,
            infiniteWidth: fit, empirical: empiricalFit, width: width, networks: networks, deviation: deviation)
        return json ? KernelForms.json(comparison).commandOutput(source: nil) : KernelForms.table(comparison)
    }
}
