import Foundation
import GSLBridge
import LinearAlgebra
import Numerics
import Testing

@testable import EffectiveGAN

/// Issue #23: every kernel kind means K = (η_G/N)·Θ (spec §4), so one generator gives one γ* however its
/// kernel is written, and a measured (N·d) × (N·d) tangent kernel goes in as is.
@Suite("One time unit for every kernel kind")
struct TimeUnitTests {
    static func rowsText(_ rows: [[Double]]) -> String {
        "[" + rows.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }

    /// The grid25 user's model in small: two targets, two particles, an MLP critic, wgan + r1, η_G = 0.8.
    static func config(kernel: String, dimension: Int = 2, particles: Int = 2, targets: String? = nil) -> String {
        """
        {"dimension": \(dimension), "target": \(targets ?? #"{"kind": "line", "modes": 2, "spacing": 2.0}"#),
         "generator": {"particles": \(particles), "learningRate": 0.8, "kernel": \(kernel)},
         "discriminator": {"kind": "mlp", "width": 16, "activation": "tanh", "train": "all", "seed": 3,
                           "learningRate": 1.1},
         "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
        """
    }

    static func optimum(_ json: String) throws -> OptimalStrength {
        try OptimalStrength.find(try TestModels.source(json), from: 1e-3, to: 1e3, steps: 31)
    }

    /// N = 2 latents on the sphere: the infinite-width NTK depends only on the norms (equal) and the one angle, so
    /// it is exactly universal with g₁ = Θ_11, φ = Θ_12/Θ_11 — the same generator written three ways.
    @Test("universal (φ, g₁), explicit Θ and ntk give one γ* (1e-6) for a kernel they share")
    func oneOptimumForOneGenerator() throws {
        let network = try GeneratorNetwork(
            depth: 2, activation: .relu, weightVariance: 1.7, biasVariance: 0.2, training: .all)
        let z = try LatentDistribution.sphere.samples(count: 2, dimension: 6, seed: 4)
        let theta = network.infiniteWidthKernel(latents: z)
        let g1 = (theta[0, 0] + theta[1, 1]) / 2
        let ratio = theta[0, 1] / g1
        #expect(theta[0, 0].isApproximatelyEqual(to: theta[1, 1], relativeTolerance: 1e-12))

        let ntk = try Self.optimum(
            Self.config(
                kernel: #"{"kind": "ntk", "depth": 2, "activation": "relu", "weightVariance": 1.7, "biasVariance": 0.2, "latentDimension": 6, "latentDistribution": "sphere", "seed": 4}"#
            ))
        let universal = try Self.optimum(
            Self.config(kernel: #"{"kind": "universal", "ratio": \#(ratio), "self": \#(g1)}"#))
        let explicit = try Self.optimum(
            Self.config(kernel: #"{"kind": "explicit", "matrix": \#(Self.rowsText(theta.rowArrays))}"#))
        for other in [universal, explicit] {
            #expect(other.gamma.isApproximatelyEqual(to: ntk.gamma, relativeTolerance: 1e-6))
            #expect(other.rate.isApproximatelyEqual(to: ntk.rate, relativeTolerance: 1e-6))
        }
        // Not a tautology of scale: γ* moves when the clock does (a kernel N times faster, the old explicit rule).
        let fast = try Self.optimum(
            Self.config(kernel: #"{"kind": "universal", "ratio": \#(ratio), "self": \#(2 * g1)}"#))
        #expect(!fast.gamma.isApproximatelyEqual(to: ntk.gamma, relativeTolerance: 1e-3))
    }

    @Test("resolved kernels are (η_G/N)·Θ for every kind")
    func resolvedScale() throws {
        let theta = [[2.0, 0.5, 0.1, 0.0], [0.5, 1.5, 0.0, 0.2], [0.1, 0.0, 1.0, 0.3], [0.0, 0.2, 0.3, 1.2]]
        let explicit = try TestModels.source(
            Self.config(kernel: #"{"kind": "explicit", "matrix": \#(Self.rowsText(theta))}"#, particles: 4)
        ).resolved
        for i in 0..<4 { for j in 0..<4 { #expect(explicit.kernel[i][j] == 0.8 / 4 * theta[i][j]) } }

        let network = try GeneratorNetwork(depth: 1, activation: .erf, weightVariance: 1, biasVariance: 0.1)
        let z = try LatentDistribution.gaussian.samples(count: 4, dimension: 5, seed: 7)
        let expected = network.infiniteWidthKernel(latents: z)
        let ntk = try TestModels.source(
            Self.config(
                kernel: #"{"kind": "ntk", "activation": "erf", "biasVariance": 0.1, "latentDimension": 5, "seed": 7}"#,
                particles: 4)
        ).resolved
        for i in 0..<4 { for j in 0..<4 { #expect(ntk.kernel[i][j] == 0.8 / 4 * expected[i, j]) } }
    }
}

/// Block kernels: an (N·d) × (N·d) tangent kernel with cross-output blocks.
@Suite("Block kernels")
struct BlockKernelTests {
    /// A random symmetric PSD (N·d) × (N·d) matrix with cross-output blocks: A Aᵀ / columns.
    static func randomKernel(side: Int, seed: UInt) -> [[Double]] {
        let rng = MersenneTwister(seed: seed)
        let columns = side + 3
        let a = (0..<side).map { _ in (0..<columns).map { _ in rng.gaussian() } }
        return (0..<side).map { i in
            (0..<side).map { j in zip(a[i], a[j]).reduce(0) { $0 + $1.0 * $1.1 } / Double(columns) }
        }
    }

    static func model(kernel rows: [[Double]], discriminator: String, loss: Loss, regularizer: RegularizerKind)
        throws -> EffectiveModel
    {
        let json = """
            {"dimension": 2, "target": {"kind": "ring", "modes": 3, "radius": 1.2},
             "generator": {"particles": 3, "learningRate": 0.9,
                           "kernel": {"kind": "explicit", "matrix": \(TimeUnitTests.rowsText(rows))}},
             "discriminator": \(discriminator),
             "loss": "\(loss.rawValue)", "regularizer": {"kind": "\(regularizer.rawValue)", "strength": 0.7}}
            """
        return EffectiveModel(try TestModels.source(json).resolved)
    }

    static let discriminators = [
        #"{"kind": "mlp", "width": 5, "activation": "tanh", "train": "all", "seed": 4, "learningRate": 1.3}"#,
        #"{"kind": "mlp", "width": 6, "activation": "sigmoid", "train": "outer", "seed": 5}"#,
        #"{"kind": "linear", "learningRate": 0.8}"#,
    ]

    @Test("structure equals dense dgeev (1e-9 ρ) with random PSD block kernels", arguments: [0, 1, 2])
    func structureMatchesDense(discriminatorIndex: Int) throws {
        for loss in [Loss.wgan, .nonsaturating] {
            for regularizer in [RegularizerKind.r1, .r2, .l2] {
                let kernel = Self.randomKernel(side: 6, seed: UInt(11 + discriminatorIndex))
                let model = try Self.model(
                    kernel: kernel, discriminator: Self.discriminators[discriminatorIndex], loss: loss,
                    regularizer: regularizer)
                guard case .block = model.kernel else {
                    Issue.record("a random 6 × 6 kernel with N = 3, d = 2 must stay a block kernel")
                    return
                }
                #expect(model.kernel.crossOutputShare > 0.1)
                try OscillatorStructureTests.check(model, "block \(discriminatorIndex) \(loss) \(regularizer)")
            }
        }
    }

    @Test("the analytic Jacobian with a block kernel equals central differences (1e-6)")
    func jacobianMatchesFiniteDifferences() throws {
        let model = try Self.model(
            kernel: Self.randomKernel(side: 6, seed: 3), discriminator: Self.discriminators[0], loss: .minimax,
            regularizer: .r1)
        let rng = MersenneTwister(seed: 8)
        let z = model.equilibriumState.map { $0 + 0.3 * rng.gaussian() }
        let analytic = model.jacobian(at: z)
        let numeric = model.finiteDifferenceJacobian(at: z)
        #expect((analytic - numeric).frobeniusNorm <= 1e-6 * numeric.frobeniusNorm)
    }

    @Test("K ⊗ I_d given as a block matrix reproduces the N × N result bit for bit")
    func kroneckerBlockIsBitIdentical() throws {
        let small = Self.randomKernel(side: 3, seed: 21)
        let d = 2
        let block = (0..<(3 * d)).map { r in (0..<(3 * d)).map { c in r % d == c % d ? small[r / d][c / d] : 0 } }
        for discriminator in Self.discriminators {
            let a = try Self.model(kernel: small, discriminator: discriminator, loss: .wgan, regularizer: .r1)
            let b = try Self.model(kernel: block, discriminator: discriminator, loss: .wgan, regularizer: .r1)
            let sa = try StabilityAnalysis(model: a)
            let sb = try StabilityAnalysis(model: b)
            #expect(sa.spectrum.eigenvalues == sb.spectrum.eigenvalues)
            let rng = MersenneTwister(seed: 2)
            let z = a.equilibriumState.map { $0 + 0.2 * rng.gaussian() }
            #expect(a.field(at: z) == b.field(at: z))
        }
    }

    @Test("the block arithmetic itself: .block(K ⊗ I_d) applies as .dense(K) to 1e-14, on vectors and blocks")
    func blockArithmeticMatchesDense() {
        let small = Self.randomKernel(side: 4, seed: 23)
        let d = 3
        let kron = (0..<(4 * d)).map { r in (0..<(4 * d)).map { c in r % d == c % d ? small[r / d][c / d] : 0 } }
        // Built directly, so the Kronecker detection of `init` cannot route it back to the N × N form.
        let block = KernelOperator.block(Matrix(kron), blockSize: d)
        let dense = KernelOperator.dense(Matrix(small))
        let rng = MersenneTwister(seed: 4)
        let u = (0..<(4 * d)).map { _ in rng.gaussian() }
        let scale = u.map(abs).max()! * small.joined().map(abs).max()! * 4
        for (x, y) in zip(block.apply(to: u, blockSize: d), dense.apply(to: u, blockSize: d)) {
            #expect(x.isApproximatelyEqual(to: y, absoluteTolerance: 1e-14 * scale))
        }
        let columns = Matrix(rows: 4 * d, columns: 2, columnMajor: (0..<(8 * d)).map { _ in rng.gaussian() })
        let viaBlock = block.apply(toBlocks: columns, blockSize: d)
        let viaDense = dense.apply(toBlocks: columns, blockSize: d)
        #expect((viaBlock - viaDense).frobeniusNorm <= 1e-14 * viaDense.frobeniusNorm)
    }

    @Test("kernel files: a .npy and a CSV Θ read as the inline matrix; wrong sizes are refused naming the key")
    func kernelFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("egan-kernel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let theta = Self.randomKernel(side: 6, seed: 5)
        let payload = DataTargetsTests.littleEndian(theta.joined().map(\.bitPattern))
        try Data(DataTargetsTests.npy(descr: "<f8", shape: [6, 6], payload: payload))
            .write(to: folder.appendingPathComponent("theta.npy"))
        let csv = theta.map { $0.map { "\($0)" }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        try csv.write(to: folder.appendingPathComponent("theta.csv"), atomically: true, encoding: .utf8)
        func resolved(_ kernel: String) throws -> ResolvedModel {
            let json = """
                {"dimension": 2, "target": {"kind": "ring", "modes": 3},
                 "generator": {"particles": 3, "kernel": \(kernel)},
                 "discriminator": {"kind": "linear"}, "loss": "wgan"}
                """
            return try ModelSource(
                json: JSONValue.parse(Data(json.utf8), source: "test"), defaultName: "t", baseDirectory: folder
            ).resolved
        }
        let inline = try resolved(#"{"kind": "explicit", "matrix": \#(TimeUnitTests.rowsText(theta))}"#)
        #expect(try resolved(#"{"kind": "explicit", "path": "theta.npy"}"#).kernel == inline.kernel)
        #expect(try resolved(#"{"kind": "explicit", "path": "theta.csv"}"#).kernel == inline.kernel)
        #expect(inline.kernel.count == 6)
        let tooSmall = Array(theta.prefix(4).map { Array($0.prefix(4)) })
        #expect {
            try resolved(#"{"kind": "explicit", "matrix": \#(TimeUnitTests.rowsText(tooSmall))}"#)
        } throws: { "\($0)".contains("generator.kernel.matrix") && "\($0)".contains("6 × 6") }
        #expect {
            try resolved(#"{"kind": "explicit"}"#)
        } throws: { "\($0)".contains("exactly one of") }
    }
}
