import Foundation
import Testing

@testable import EffectiveGAN

/// Issue #14: the BLAS-3 field (`MLPBatchedFieldEvaluator`) against the pointwise one it replaces at d ≥ 8.
@Suite("Batched field")
struct BatchedFieldTests {
    /// max_i |F_batched − F_pointwise| / max_i |F_pointwise| at a random state.
    static func disagreement(_ model: EffectiveModel, blocks: Int = 1, seed: UInt = 11) -> (Double, Double) {
        let z = TestModels.randomState(near: model, seed: seed)
        let reference = field(model, z, FieldWorkspace(model, layout: .pointwise))
        let batched = field(model, z, FieldWorkspace(model, layout: .batched(maximumBlocks: blocks)))
        let scale = reference.map(abs).max() ?? 0
        let error = zip(batched, reference).map { abs($0 - $1) }.max() ?? 0
        return (error / max(scale, .leastNormalMagnitude), scale)
    }

    static func field(_ model: EffectiveModel, _ z: [Double], _ workspace: FieldWorkspace) -> [Double] {
        var out = [Double](repeating: .nan, count: model.stateDimension)
        z.withUnsafeBufferPointer { zp in
            out.withUnsafeMutableBufferPointer {
                model.field(at: zp.baseAddress!, into: $0.baseAddress!, workspace: workspace)
            }
        }
        return out
    }

    @Test(
        "batched = pointwise to 1e-12 on every activation × training × loss × regulariser × d × decay",
        arguments: Activation.allCases, Training.allCases)
    func agreesWithPointwise(activation: Activation, training: Training) throws {
        try TestModels.forEachMLP(activation: activation, training: training, width: 6) { model, label in
            let (error, scale) = Self.disagreement(model)
            #expect(scale > 0.01, "\(label): the field is not exercised (max |F| = \(scale))")
            #expect(error <= 1e-12, "\(label): \(error)")
        }
    }

    @Test("fictitious play and packing take the same path", arguments: Training.allCases)
    func memoryAndPacking(training: Training) throws {
        for regularizer in [RegularizerKind.r1, .r2] {
            let memory = try FictitiousPlayTests.model(regularizer: regularizer, training: training, memory: "2.5")
            let packed = try PackingTests.mlp(pack: 2, loss: .minimax, regularizer: regularizer, training: training)
            for model in [memory, packed] {
                let (error, _) = Self.disagreement(model)
                #expect(error <= 1e-12, "\(training) \(regularizer): \(error)")
            }
        }
    }

    /// Every output element comes from one block with the full inner dimension, so splitting products over cores
    /// must not change a bit.
    @Test("the result does not depend on the number of blocks (bit for bit)")
    func blockInvariance() throws {
        let model = try TestModels.source(
            """
            {"dimension": 12, "target": {"kind": "ring", "modes": 4, "radius": 2.0, "samplesPerMode": 16, "spread": 0.5},
             "generator": {"particles": 64, "kernel": {"kind": "universal", "ratio": 0.2}},
             "discriminator": {"kind": "mlp", "width": 96, "activation": "tanh", "train": "all", "seed": 3},
             "loss": "wgan", "regularizer": {"kind": "r1", "strength": 0.8}}
            """
        ).resolved
        let effective = EffectiveModel(model)
        #expect(64 * 96 * 12 * 3 >= MLPBatchedFieldEvaluator.parallelWork, "the products must be split")
        let z = TestModels.randomState(near: effective, size: 0.2)
        let one = Self.field(effective, z, FieldWorkspace(effective, layout: .batched(maximumBlocks: 1)))
        for blocks in [2, 3, 7] {
            let split = Self.field(effective, z, FieldWorkspace(effective, layout: .batched(maximumBlocks: blocks)))
            let differing = zip(split, one).enumerated().filter { $0.1.0 != $0.1.1 }.map(\.offset)
            #expect(
                differing.isEmpty,
                "\(blocks) blocks: \(differing.count) of \(one.count) differ, first at \(differing.prefix(5)) (particles end at \(effective.particleBlockLength)), max |Δ| \(zip(split, one).map { abs($0 - $1) }.max()!)"
            )
        }
        #expect(Self.disagreement(effective).0 <= 1e-12)
    }
}
