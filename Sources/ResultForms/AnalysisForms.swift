import EffectiveGAN
import Foundation

/// The human-readable form of an analysis (`egan analyze`): the summary rows, then the active modes.
public enum AnalysisForms {
    /// - Parameter modes: how many active modes to list (0: all; nil: all up to 100, else the 20 slowest).
    public static func render(_ analysis: StabilityAnalysis, model: EffectiveModel, name: String, modes: Int? = nil)
        -> String
    {
        let spectrum = analysis.spectrum
        var rows: [(String, String)] = [
            (
                "model",
                "\(name): N = \(model.particleCount), M = \(model.targetCount), d = \(model.dimension), P = \(model.parameterCount)"
            ),
            (
                "state dimension",
                "\(analysis.stateDimension)"
                    + (analysis.method == .oscillator
                        ? " (oscillator structure: quadratic eigenproblem in first-order form, size \(analysis.diagonalisedDimension))"
                        : " (dense dgeev)")
            ),
            ("equilibrium", "‖F(z*)‖ = \(Format.number(analysis.equilibriumResidual))"),
        ]
        if let moved = analysis.movedEquilibrium {
            rows.append(
                (
                    "equilibrium shift",
                    "particles \(Format.number(moved.particleShift)), θ \(Format.number(moved.parameterShift)) from the matched state (likelihood guidance; \(moved.iterations) Newton steps)"
                ))
        }
        rows += [
            (
                "loss / regularizer",
                "\(model.loss.rawValue) / \(model.regularizer.rawValue), γ = \(Format.number(analysis.gamma))"
            ),
            (
                "modes",
                "\(spectrum.count(of: .neutral)) neutral, \(spectrum.count(of: .oscillatory)) oscillatory, \(spectrum.count(of: .real)) real (\(spectrum.unstableCount) unstable)"
            ),
            ("neutral rule", NeutralText.rule(spectrum)),
            ("regime", spectrum.regime.rawValue),
            ("rate r", Format.number(spectrum.rate)),
        ]
        if let dominant = spectrum.dominantMode {
            rows.append(
                (
                    "dominant λ",
                    "\(Format.complex(dominant.resolvedEigenvalue))  (ζ = \(Format.number(dominant.dampingRatio, digits: 4)))"
                ))
        }
        if let eigen = model.kernel.universalEigenvalues {
            let relative = model.particleCount > 1 ? "relative \(Format.number(eigen.relative)), " : ""
            rows.append(("kernel eigenvalues", "\(relative)centre \(Format.number(eigen.centre))"))
        } else if let modes = try? model.kernel.kernelModes() {
            let n = Double(model.particleCount)
            rows.append(
                (
                    "kernel eigenvalues",
                    "relative (mean) \(Format.number(modes.relative)), centre \(Format.number(modes.centre))"
                ))
            rows.append(
                (
                    "universal fit",
                    "φ = \(Format.number(modes.fit.ratio)), predicts relative \(Format.number(modes.fit.g1 - modes.fit.g2)), centre \(Format.number(modes.fit.g1 + (n - 1) * modes.fit.g2)); residual \(Format.number(modes.fit.residual, digits: 3))"
                ))
        }
        var text = TextTable.keyValue(rows)
        let active = spectrum.activeModesByRate
        let shown =
            modes.map { $0 == 0 ? active.count : min($0, active.count) } ?? (active.count <= 100 ? active.count : 20)
        text += "\nactive eigenvalues, slowest first\n"
        text += TextTable.render(
            header: ["#", "Re λ", "Im λ", "rate", "frequency", "ζ", "kind"],
            rows: active.prefix(shown).enumerated().map { k, mode in
                [
                    "\(k + 1)", Format.number(mode.resolvedEigenvalue.real),
                    Format.number(mode.resolvedEigenvalue.imaginary), Format.number(mode.rate),
                    Format.number(mode.frequency), Format.number(mode.dampingRatio, digits: 4),
                    mode.kind.rawValue + (mode.multiplicity > 1 ? " ×\(mode.multiplicity)" : ""),
                ]
            })
        if shown < active.count {
            text += "… \(active.count - shown) faster modes not listed (--modes 0 lists all; --format json has them)\n"
        }
        return text
    }
}

/// Where neutral modes come from, in words.
public enum NeutralText {
    public static func rule(_ spectrum: Spectrum) -> String {
        guard let b = spectrum.neutralBreakdown else { return "tolerance |λ| ≤ 1e-8 ρ (no structure applies)" }
        var parts: [String] = []
        if b.unseenParticleDirections > 0 {
            parts.append("\(b.unseenParticleDirections) particle directions the discriminator cannot see")
        }
        if b.immobileParticleDirections > 0 {
            parts.append("\(b.immobileParticleDirections) particle directions the kernel cannot move")
        }
        if b.innerWeights > 0 { parts.append("\(b.innerWeights) inner weights") }
        if b.unseenFeatures > 0 { parts.append("\(b.unseenFeatures) readout directions no point excites") }
        if b.outputBias > 0 { parts.append("the output bias c") }
        if b.undampedReadout > 0 {
            parts.append("\(b.undampedReadout) undamped readout directions the particles cannot answer")
        }
        return "by structure: " + (parts.isEmpty ? "none" : parts.joined(separator: "; "))
    }
}
