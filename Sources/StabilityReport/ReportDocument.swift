import EffectiveGAN
import Foundation
import GSLBridge
import LinearAlgebra
import ResultForms

/// The Markdown text of a stability report.
extension ReportAnalysis {
    /// - Parameters:
    ///   - figureFiles: each figure's file relative to the report (e.g. `rate` → `default/rate-1a2b3c4d.svg`).
    ///   - command: the command line that produced the report, for provenance.
    public func markdown(figureFiles: [String: String], command: String, date: Date) -> String {
        func figure(_ caption: String, _ name: String) -> String {
            figureFiles[name].map { "![\(caption)](\($0))\n\n" } ?? ""
        }
        var md = "# Stability report: \(source.name)\n\n"
        md += summary + "\n"
        md += figure("Convergence rate against γ", "rate")
        md +=
            modelSection + "\n" + spectraSection + "\n" + sweepSection + "\n" + stepsSection + "\n" + crossCheckSection
            + "\n"
        md += "## Figures\n\n"
        md += figure("Eigenvalue branches", "branches")
        md += "The slow modes, which set the convergence rate (Re λ from −4 r(γ\\*) to r(γ\\*)/2):\n\n"
        md += figure("Eigenvalue branches near the imaginary axis", "branches-slow")
        md +=
            "Each branch's decay rate and frequency against γ; black dots are exceptional points, where an oscillating pair lands on the real axis (that mode's own critical damping):\n\n"
        md += figure("Decay rates against γ", "rates-vs-gamma")
        md += figure("Frequencies against γ", "frequencies-vs-gamma")
        md += figure("Relaxation against the linear envelope", "relaxation")
        md += figure("Particle positions", "positions")
        md += "The relaxation and the run from the initial cloud are integrated with \(integrator.description).\n\n"
        md += provenance(command: command, date: date)
        return md
    }

    var summary: String {
        let critical = optimum.criticalPoints.map {
            "γ_c = \(Format.refined($0.value)) (\($0.below.rawValue) → \($0.above.rawValue), \($0.mechanism.rawValue))"
        }
        return """
            > **Summary.** The fastest convergence is at **γ\\* = \(Format.refined(optimum.gamma))** with rate \
            **r(γ\\*) = \(Format.refined(optimum.rate))** (dominant λ = \(optimum.dominant.map { Format.complex($0.resolvedEigenvalue) } ?? "—")); \
            γ\\* is \(optimum.relation.sentence).
            > Critical points: \(critical.isEmpty ? "none in the searched interval" : critical.joined(separator: "; ")).
            > Regimes: \(regimeSentence)
            > Global outcome from the initial cloud at γ\\*: \(globalOutcome.sentence)\(shortenedRun.map { " (run \($0))" } ?? "").

            """ + (disagreement.map { "\n" + $0 + "\n\n" } ?? "")
    }

    var modelSection: String {
        var rows: [(String, String)] = [
            ("targets M", "\(model.targetCount) in dimension d = \(model.dimension)"),
            ("particles N", "\(model.particleCount)"),
        ]
        rows.append(("kernel", model.kernel.summary))
        switch source.resolved.discriminator {
        case let .linear(outputBias, _):
            rows.append(("discriminator", "linear\(outputBias ? ", with output bias" : ", no output bias")"))
        case let .mlp(critic):
            rows.append(
                (
                    "discriminator",
                    "MLP, \(critic.activation), \(critic.shapeDescription), train \(critic.training.rawValue)\(critic.outputBias ? ", output bias" : "")"
                ))
        }
        rows += [
            (
                "trained parameters P",
                model.discriminator.parameterBlocks.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
            ),
            ("state dimension N·d + P", "\(model.stateDimension)"), ("loss", model.loss.rawValue),
            ("regulariser", "\(model.regularizer.rawValue) (γ swept)"),
            ("η_D", model.learning.rate.map { Format.number($0) } ?? "optimal (θ slaved to argmax V_D)"),
            ("weight decay μ", Format.number(model.weightDecay)),
        ]
        if let config = source.config {
            rows.append(("η_G", Format.number(config.generator.learningRate)))
        }
        return "## Model\n\n" + Markdown.table(header: ["setting", "value"], rows: rows.map { [$0.0, $0.1] })
    }

    var spectraSection: String {
        var md = "## Spectrum\n\n"
        for (label, analysis) in spectra {
            let s = analysis.spectrum
            md += "### \(label)\n\n"
            md +=
                "Regime **\(s.regime.rawValue)**, rate r = \(Format.number(s.rate)), dominant λ = \(s.dominantMode.map { Format.complex($0.resolvedEigenvalue) } ?? "—"); "
            md +=
                "\(s.count(of: .neutral)) neutral, \(s.count(of: .oscillatory)) oscillatory, \(s.count(of: .real)) real modes.\n\n"
            let modes = s.activeModesByRate.filter { $0.eigenvalue.imaginary >= 0 }
            let shown = modes.prefix(8)
            md += Markdown.table(
                header: ["λ", "rate", "frequency", "ζ", "kind"],
                rows: shown.map {
                    [
                        Format.complex($0.resolvedEigenvalue), Format.number($0.rate), Format.number($0.frequency),
                        Format.number($0.dampingRatio, digits: 4), $0.kind.rawValue,
                    ]
                })
            if modes.count > shown.count {
                md += "\n(\(modes.count - shown.count) faster modes not shown; one row per conjugate pair.)\n"
            }
            md += "\n"
        }
        return md
    }

    var sweepSection: String {
        let points = optimum.scan.points
        let stride = max(1, points.count / 20)
        let thinned = points.enumerated().filter { $0.offset % stride == 0 || $0.offset == points.count - 1 }.map(
            \.element)
        return
            "## Sweep of γ\n\n\(points.count) log-spaced points from \(Format.number(points.first!.value)) to \(Format.number(points.last!.value)); every \(stride)th shown.\n\n"
            + Markdown.table(
                header: ["γ", "regime", "rate r", "dominant λ"],
                rows: thinned.map {
                    [
                        Format.number($0.value), $0.spectrum.regime.rawValue, Format.number($0.spectrum.rate),
                        $0.spectrum.dominantMode.map { Format.complex($0.resolvedEigenvalue) } ?? "—",
                    ]
                })
    }

    var stepsSection: String {
        "## Discrete training at γ*\n\nLargest stable learning rate h (spec §7, bisection to relative 1e-6):\n\n"
            + Markdown.table(
                header: ["scheme", "h_max"],
                rows: stepLimits.map { [$0.0, $0.1 == 0 ? "none" : Format.refined($0.1)] })
    }

    var crossCheckSection: String {
        "## Simulation cross-check\n\nA linear test: the equilibrium is perturbed along the dominant eigenvector by ε = 1e-5, the full nonlinear flow is integrated for two e-foldings (an oscillation for 4 to 20 periods; rk8pd, or msbdf when stiff, at rtol 1e-10), and the rate and frequency are fitted on the last two thirds of that window (log-linear regression for a real mode, Prony's method of order 2 for an oscillation). PASS means the linearisation holds near the equilibrium; it says nothing about runs that start far away (see the global outcome above). Tolerance 2 %.\n\n"
            + Markdown.table(
                header: CrossCheck.tableHeader,
                rows: crossChecks.map(\.tableCells))
            + skippedChecks.map { "\nNot checked at γ = \(Format.number($0.gamma)): \($0.reason).\n" }.joined()
    }

    func provenance(command: String, date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        let rows = [
            ["toolkit", "EffectiveGAN \(EffectiveGANVersion.current)"], ["command", "`\(command)`"],
            ["resolved model hash (FNV-1a 64)", "`\(modelHash)`"],
            ["LAPACK/BLAS", LinearAlgebraLibrary.openBLASConfiguration],
            ["GSL", GSLLibrary.version], ["date", formatter.string(from: date)],
        ]
        return "## Provenance\n\n" + Markdown.table(header: ["", ""], rows: rows)
    }
}

/// Markdown helpers.
enum Markdown {
    static func table(header: [String], rows: [[String]]) -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        return ([line(header), "|" + header.map { _ in "---" }.joined(separator: "|") + "|"] + rows.map(line)).joined(
            separator: "\n") + "\n"
    }
}
